// The core/v1 resource types declared in this folder besides pods and configmaps (which the
// catalogue registers from their own files), in discovery order, plus their schemas and types.
import type { ResourceType } from '../resource.js';
import { namespaces } from './namespace.js';
import { nodes } from './node.js';
import { services } from './service.js';
import { endpoints } from './endpoints.js';
import { secrets } from './secret.js';
import { events } from './event.js';
import { serviceAccounts } from './service-account.js';
import { limitRanges } from './limit-range.js';
import { resourceQuotas } from './resource-quota.js';
import { persistentVolumes } from './persistent-volume.js';
import { persistentVolumeClaims } from './persistent-volume-claim.js';

export const CORE_RESOURCES: readonly ResourceType<any>[] = [
  namespaces, nodes, services, endpoints, secrets, events, serviceAccounts, limitRanges, resourceQuotas,
  persistentVolumes, persistentVolumeClaims,
];

export * from './object-reference.js';
export * from './namespace.js';
export * from './node.js';
export * from './service.js';
export { externallyAccessible, needsClusterIP, needsNodePort, needsHealthCheckNodePort, isHeadless } from './service-strategy.js';
export * from './endpoints.js';
export * from './secret.js';
export * from './event.js';
export * from './service-account.js';
export * from './limit-range.js';
export * from './resource-quota.js';
export * from './persistent-volume.js';
export * from './persistent-volume-claim.js';
