// coordination.k8s.io: resource types, schemas and types.
import type { ResourceType } from '../resource.js';
import { leases } from './lease.js';

export const COORDINATION_RESOURCES: readonly ResourceType<any>[] = [leases];

export * from './lease.js';
