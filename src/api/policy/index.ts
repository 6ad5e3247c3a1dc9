// policy: resource types (poddisruptionbudgets), the Eviction body schema, and their types.
import type { ResourceType } from '../resource.js';
import { podDisruptionBudgets } from './pod-disruption-budget.js';

export const POLICY_RESOURCES: readonly ResourceType<any>[] = [podDisruptionBudgets];

export * from './pod-disruption-budget.js';
export * from './eviction.js';
