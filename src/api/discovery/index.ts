// discovery.k8s.io: resource types, schemas and types.
import type { ResourceType } from '../resource.js';
import { endpointSlices } from './endpoint-slice.js';

export const DISCOVERY_RESOURCES: readonly ResourceType<any>[] = [endpointSlices];

export * from './endpoint-slice.js';
