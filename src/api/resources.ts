// The catalogue of every resource type Capstan serves, in discovery order.
import type { ResourceType } from './resource.js';
import { configMaps } from './core/configmap.js';

export const RESOURCES: readonly ResourceType<any>[] = [
  configMaps,
];
