// What the scheduler keeps of the pods and nodes it caches (upstream kube-scheduler strips
// managedFields with an informer transform; this goes further). With 5,000 nodes and tens of
// thousands of pods the informer caches are most of the scheduler's memory, and most of a running
// pod's status (container statuses, IPs, QoS class) is never read by any plugin.
//
// Contract: everything a plugin, the queue's cluster-event detection, the recorder or preemption
// reads survives — metadata, spec, and of a pod's status: phase, conditions, nominatedNodeName,
// startTime; of a node's status: capacity, allocatable, conditions, images. A new reader of any
// other status field must add it here.
import type { KubeObject, Node, Pod } from '../api/index.js';

type PodStatus = NonNullable<Pod['status']>;
type NodeStatus = NonNullable<Node['status']>;

const KEPT_POD_STATUS = ['phase', 'conditions', 'nominatedNodeName', 'startTime'] as const satisfies readonly (keyof PodStatus)[];
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
  if (!pod.status) return obj;
  return { ...pod, status: pick(pod.status, KEPT_POD_STATUS) } as KubeObject;
}

/** The node as the scheduler caches it (a new object; the argument is not changed). */
export function trimNode(obj: KubeObject): KubeObject {
  const node = obj as Node;
  if (!node.status) return obj;
  return { ...node, status: pick(node.status, KEPT_NODE_STATUS) } as KubeObject;
}
