// The controllers Capstan knows, by upstream name, and upstream kube-controller-manager's
// `--controllers` semantics: a comma-separated list where `*` enables every controller enabled by
// default, `foo` enables foo and `-foo` disables it (a disable wins over `*`).
import type { ControllerDescriptor } from './controller.js';
import { replicaSetControllerDescriptor } from './replicaset/index.js';
import { deploymentControllerDescriptor } from './deployment/index.js';
import { garbageCollectorControllerDescriptor } from './garbage-collector/index.js';
import { namespaceControllerDescriptor } from './namespace/index.js';
import { endpointsControllerDescriptor } from './endpoints/index.js';
import { endpointSliceControllerDescriptor } from './endpointslice/index.js';
import { endpointSliceMirroringControllerDescriptor } from './endpointslice-mirroring/index.js';
import { serviceAccountControllerDescriptor } from './serviceaccount/index.js';
import { disruptionControllerDescriptor } from './disruption/index.js';
import { nodeLifecycleControllerDescriptor, taintEvictionControllerDescriptor } from './node-lifecycle/index.js';
import { nodeIpamControllerDescriptor } from './node-ipam/index.js';
import { podGCControllerDescriptor } from './podgc/index.js';
import { jobControllerDescriptor } from './job/index.js';
import { ttlAfterFinishedControllerDescriptor } from './ttl-after-finished/index.js';
import { cronJobControllerDescriptor } from './cronjob/index.js';
import { resourceQuotaControllerDescriptor } from './resourcequota/index.js';
import { daemonSetControllerDescriptor } from './daemonset/index.js';
import { statefulSetControllerDescriptor } from './statefulset/index.js';
import { serviceLBControllerDescriptor } from './service-lb/index.js';
import { clusterDNSControllerDescriptor } from './cluster-dns/index.js';

/** Every known controller, in start order. */
export const CONTROLLERS: readonly ControllerDescriptor[] = [replicaSetControllerDescriptor, deploymentControllerDescriptor, daemonSetControllerDescriptor, statefulSetControllerDescriptor, garbageCollectorControllerDescriptor, namespaceControllerDescriptor, endpointsControllerDescriptor, endpointSliceControllerDescriptor, endpointSliceMirroringControllerDescriptor, serviceAccountControllerDescriptor, disruptionControllerDescriptor, nodeLifecycleControllerDescriptor, taintEvictionControllerDescriptor, nodeIpamControllerDescriptor, serviceLBControllerDescriptor, clusterDNSControllerDescriptor, podGCControllerDescriptor, resourceQuotaControllerDescriptor, jobControllerDescriptor, cronJobControllerDescriptor, ttlAfterFinishedControllerDescriptor];

export class ControllersFlagError extends Error {}

/**
 * The controllers to run for a `--controllers` value (default `['*']`). Throws
 * ControllersFlagError for an unknown name, as upstream's validation does.
 */
export function enabledControllers(list: readonly string[] = ['*'], known: readonly ControllerDescriptor[] = CONTROLLERS): ControllerDescriptor[] {
  const names = new Set(known.map((c) => c.name));
  const items = list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    const name = item.startsWith('-') ? item.slice(1) : item;
    if (name !== '*' && !names.has(name)) throw new ControllersFlagError(`"${name}" is not in the list of known controllers`);
  }
  const star = items.includes('*');
  return known.filter((c) => {
    if (items.includes(`-${c.name}`)) return false;
    if (items.includes(c.name)) return true;
    return star && c.enabledByDefault;
  });
}
