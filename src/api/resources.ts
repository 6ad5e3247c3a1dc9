// The catalogue of every resource type Capstan serves, in discovery order.
import type { ResourceType } from './resource.js';
import { CORE_RESOURCES } from './core/index.js';
import { pods } from './core/pod.js';
import { configMaps } from './core/configmap.js';
import { APPS_RESOURCES } from './apps/index.js';
import { EVENTS_RESOURCES } from './events/index.js';
import { DISCOVERY_RESOURCES } from './discovery/index.js';
import { COORDINATION_RESOURCES } from './coordination/index.js';
import { SCHEDULING_RESOURCES } from './scheduling/index.js';
import { POLICY_RESOURCES } from './policy/index.js';
import { BATCH_RESOURCES } from './batch/index.js';
import { AUTOSCALING_RESOURCES } from './autoscaling/index.js';
import { NETWORKING_RESOURCES } from './networking/index.js';
import { AUTHORIZATION_RESOURCES } from './authorization/index.js';

export const RESOURCES: readonly ResourceType<any>[] = [
  pods,
  configMaps,
  ...CORE_RESOURCES,
  ...APPS_RESOURCES,
  ...BATCH_RESOURCES,
  ...AUTOSCALING_RESOURCES,
  ...EVENTS_RESOURCES,
  ...DISCOVERY_RESOURCES,
  ...COORDINATION_RESOURCES,
  ...SCHEDULING_RESOURCES,
  ...POLICY_RESOURCES,
  ...NETWORKING_RESOURCES,
  ...AUTHORIZATION_RESOURCES,
];
