// Cluster events that may make an unschedulable pod schedulable (upstream framework.ClusterEvent
// and each plugin's EventsToRegister), and how node updates are classified. Pure functions.
import type { Node, Pod } from '../../api/index.js';

export type ClusterEventAction =
  | 'Add' | 'Delete' | 'UpdateNodeAllocatable' | 'UpdateNodeLabel' | 'UpdateNodeTaint' | 'UpdateNodeCondition';

export interface ClusterEvent {
  resource: 'Node' | 'AssignedPod';
  action: ClusterEventAction;
  /** Upstream's label, e.g. `NodeAdd`, used in logs. */
  label: string;
}

export const NODE_ADD: ClusterEvent = { resource: 'Node', action: 'Add', label: 'NodeAdd' };
export const ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'AssignedPod', action: 'Delete', label: 'AssignedPodDelete' };
/** Used when a pod is forgotten (binding failed): its resources are free again. */
export const FORGOTTEN_POD: ClusterEvent = { resource: 'AssignedPod', action: 'Delete', label: 'ForgottenPod' };

const nodeUpdate = (action: ClusterEventAction, label: string): ClusterEvent => ({ resource: 'Node', action, label });
export const NODE_ALLOCATABLE_CHANGE = nodeUpdate('UpdateNodeAllocatable', 'NodeAllocatableChange');
export const NODE_LABEL_CHANGE = nodeUpdate('UpdateNodeLabel', 'NodeLabelChange');
export const NODE_TAINT_CHANGE = nodeUpdate('UpdateNodeTaint', 'NodeTaintChange');
export const NODE_CONDITION_CHANGE = nodeUpdate('UpdateNodeCondition', 'NodeConditionChange');

/**
 * Which events each in-tree plugin's rejection can be resolved by (upstream EventsToRegister).
 * A pod rejected by a plugin not listed here is moved on every event (the safe default).
 */
const PLUGIN_EVENTS: Readonly<Record<string, readonly string[]>> = {
  NodeResourcesFit: ['Node/Add', 'Node/UpdateNodeAllocatable', 'AssignedPod/Delete'],
  NodePorts: ['Node/Add', 'AssignedPod/Delete'],
  NodeName: ['Node/Add'],
  NodeAffinity: ['Node/Add', 'Node/UpdateNodeLabel'],
  // spec.unschedulable is reported as a taint change, as upstream does.
  NodeUnschedulable: ['Node/Add', 'Node/UpdateNodeTaint'],
  TaintToleration: ['Node/Add', 'Node/UpdateNodeTaint'],
};

/** Whether `event` may help a pod rejected by `plugins` (empty/absent: any event may). */
export function eventMayHelp(event: ClusterEvent, plugins: ReadonlySet<string> | undefined): boolean {
  if (!plugins || plugins.size === 0) return true;
  const key = `${event.resource}/${event.action}`;
  for (const p of plugins) {
    const interested = PLUGIN_EVENTS[p];
    if (!interested || interested.includes(key)) return true;
  }
  return false;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The events a node update amounts to (upstream nodeSchedulingPropertiesChange); heartbeats give none. */
export function nodeUpdateEvents(oldNode: Node, newNode: Node): ClusterEvent[] {
  const out: ClusterEvent[] = [];
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) out.push(NODE_ALLOCATABLE_CHANGE);
  if (!same(oldNode.metadata?.labels, newNode.metadata?.labels)) out.push(NODE_LABEL_CHANGE);
  if (!same(oldNode.spec?.taints, newNode.spec?.taints) || !!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable) out.push(NODE_TAINT_CHANGE);
  const conds = (n: Node) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).sort().join(',');
  if (conds(oldNode) !== conds(newNode)) out.push(NODE_CONDITION_CHANGE);
  return out;
}

/**
 * Whether a pending pod's update may change its scheduling outcome (upstream isPodUpdated: any
 * change besides status, resourceVersion, generation and managed fields).
 */
export function podSchedulingChanged(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = p.metadata ?? {};
    return { metadata: meta, spec: p.spec };
  };
  return !same(strip(oldPod), strip(newPod));
}
