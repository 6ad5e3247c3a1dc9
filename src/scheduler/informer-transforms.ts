// What the scheduler keeps of the pods and nodes it caches (upstream kube-scheduler strips
// managedFields with an informer transform; this goes further). With 5,000 nodes and tens of
// thousands of pods the informer caches are most of the scheduler's memory, and most of a running
// pod's status (container statuses, IPs, QoS class) is never read by any plugin.
//
// Contract: everything a plugin, the queue's cluster-event detection, the recorder or preemption
// reads survives — metadata; a pod's spec but of its (init) containers only name, resources,
// ports and restartPolicy (ephemeral containers dropped); of a pod's status: phase, the
// PodScheduled and DisruptionTarget conditions, nominatedNodeName, startTime; of a node's status:
// capacity, allocatable, conditions, images. A new reader of anything else must add it here.
// The scheduler only ever writes pods with partial patches, so trimmed objects never go back.
import type { KubeObject, Node, Pod } from '../api/index.js';

type PodStatus = NonNullable<Pod['status']>;
type NodeStatus = NonNullable<Node['status']>;

const KEPT_POD_STATUS = ['phase', 'conditions', 'nominatedNodeName', 'startTime'] as const satisfies readonly (keyof PodStatus)[];
const KEPT_POD_CONDITIONS = new Set(['PodScheduled', 'DisruptionTarget']);
type Container = NonNullable<NonNullable<Pod['spec']>['containers']>[number];
const KEPT_CONTAINER = ['name', 'resources', 'ports', 'restartPolicy'] as const satisfies readonly (keyof Container)[];
const KEPT_NODE_STATUS = ['capacity', 'allocatable', 'conditions', 'images'] as const satisfies readonly (keyof NodeStatus)[];

function pick<T extends object>(from: T | undefined, keys: readonly (keyof T)[]): T | undefined {
  if (!from) return from;
  const out = {} as T;
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** The pod as the scheduler caches it (a new object; the argument is not changed). */
export function trimPod(obj: KubeObject): KubeObject {
  const pod = obj as Pod;
  const out = { ...pod };
  if (pod.spec) {
    const { ephemeralContainers: _dropped, ...spec } = pod.spec;
    out.spec = spec;
    if (spec.containers) spec.containers = spec.containers.map((c) => pick(c, KEPT_CONTAINER)!);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map((c) => pick(c, KEPT_CONTAINER)!);
  }
  if (pod.status) {
    const status = pick(pod.status, KEPT_POD_STATUS)!;
    if (status.conditions) status.conditions = status.conditions.filter((c) => KEPT_POD_CONDITIONS.has(c.type ?? ''));
    out.status = status;
  }
  return out as KubeObject;
}

/** The node as the scheduler caches it (a new object; the argument is not changed). */
export function trimNode(obj: KubeObject): KubeObject {
  const node = obj as Node;
  if (!node.status) return obj;
  return { ...node, status: pick(node.status, KEPT_NODE_STATUS) } as KubeObject;
}
