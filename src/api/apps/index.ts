// apps/v1: the workload controllers' resources, in discovery order, with their schemas and types.
import type { ResourceType } from '../resource.js';
import { deployments } from './deployment.js';
import { replicaSets } from './replicaset.js';
import { daemonSets } from './daemonset.js';
import { statefulSets } from './statefulset.js';
import { controllerRevisions } from './controllerrevision.js';

export const APPS_RESOURCES: readonly ResourceType<any>[] = [deployments, replicaSets, daemonSets, statefulSets, controllerRevisions];

export * from './deployment.js';
export * from './replicaset.js';
export * from './daemonset.js';
export * from './statefulset.js';
export * from './controllerrevision.js';
