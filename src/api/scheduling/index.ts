// scheduling.k8s.io: resource types, schemas and types.
import type { ResourceType } from '../resource.js';
import { priorityClasses } from './priority-class.js';

export const SCHEDULING_RESOURCES: readonly ResourceType<any>[] = [priorityClasses];

export * from './priority-class.js';
