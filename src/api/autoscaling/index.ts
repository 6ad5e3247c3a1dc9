// autoscaling: HorizontalPodAutoscaler in v1 and v2 (two ResourceTypes, each stored in its own
// shape, not converted between versions yet) and the Scale subresource kind.
import type { ResourceType } from '../resource.js';
import { horizontalPodAutoscalersV1 } from './hpa-v1.js';
import { horizontalPodAutoscalersV2 } from './hpa-v2.js';

/** v2 first: it is the preferred version of the group. */
export const AUTOSCALING_RESOURCES: readonly ResourceType<any>[] = [horizontalPodAutoscalersV2, horizontalPodAutoscalersV1];

export * from './hpa-common.js';
export * from './hpa-v1.js';
export * from './hpa-v2-schema.js';
export * from './hpa-v2.js';
export * from './scale.js';
