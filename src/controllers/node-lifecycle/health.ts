// The node lifecycle controller's pure core (upstream nodelifecycle tryUpdateNodeHealth and
// doNoExecuteTaintingPass): when did we last hear from a node, has it been silent past its grace
// period, what conditions and NoExecute taint follow. No I/O; `now` is passed in, so tests use
// any clock.
import type { Lease, Node, Taint } from '../../api/index.js';

export type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

/** Upstream NodeMonitorGracePeriod default (50 s since Kubernetes 1.32). */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** Upstream NodeMonitorPeriod default. */
export const DEFAULT_NODE_MONITOR_PERIOD_MS = 5_000;
/** Upstream NodeStartupGracePeriod default: a node that never reported Ready gets this long. */
export const DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS = 60_000;

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';

/** The kubelet conditions the controller turns Unknown (upstream nodeConditionTypes). */
export const KUBELET_CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/**
 * What the controller remembers about a node between passes (upstream nodeHealthData).
 * `probeTimestamp` is the controller's own clock reading when the node last showed life (a new
 * Ready heartbeat or Lease renewal), never the kubelet's timestamps, so clock skew cannot matter.
 */
export interface NodeHealth {
  probeTimestamp: number;
  readyHeartbeat?: string;
  leaseRenewTime?: string;
}

export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/**
 * The node's health after observing `node` and its `lease` at `now`. A first sighting counts as
 * life, except for a node that never posted Ready: its clock starts at its creation (upstream).
 */
export function observeNodeHealth(prev: NodeHealth | undefined, node: Node, lease: Lease | undefined, now: number): NodeHealth {
  const ready = readyCondition(node);
  const readyHeartbeat = ready?.lastHeartbeatTime;
  const leaseRenewTime = lease?.spec?.renewTime;
  if (!prev) {
    const created = Date.parse(node.metadata?.creationTimestamp ?? '');
    return { probeTimestamp: !ready && Number.isFinite(created) ? Math.min(created, now) : now, readyHeartbeat, leaseRenewTime };
  }
  const renewed = (readyHeartbeat !== undefined && readyHeartbeat !== prev.readyHeartbeat)
    || (leaseRenewTime !== undefined && leaseRenewTime !== prev.leaseRenewTime && isLater(leaseRenewTime, prev.leaseRenewTime));
  return { probeTimestamp: renewed ? now : prev.probeTimestamp, readyHeartbeat, leaseRenewTime };
}

function isLater(t: string, than: string | undefined): boolean {
  return than === undefined || Date.parse(t) > Date.parse(than);
}

/** The grace period that applies to `node`: the startup one until it ever posted Ready. */
export function gracePeriodFor(node: Node, monitorGraceMs: number, startupGraceMs = DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS): number {
  return readyCondition(node) ? monitorGraceMs : startupGraceMs;
}

/** Silent for longer than its grace period at `now`. */
export function isNodeSilent(health: NodeHealth, graceMs: number, now: number): boolean {
  return now > health.probeTimestamp + graceMs;
}

/**
 * The conditions of a silent node (upstream: every kubelet condition becomes Unknown with reason
 * NodeStatusUnknown, or NodeStatusNeverUpdated if it was never posted), or undefined when they
 * already say so. Heartbeat times are kept: they record the kubelet's last word.
 */
export function unknownConditions(node: Node, now: number): NodeCondition[] | undefined {
  const at = isoSeconds(now);
  const conditions = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of KUBELET_CONDITION_TYPES) {
    const i = conditions.findIndex((c) => c.type === type);
    if (i < 0) {
      conditions.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: at,
      });
      changed = true;
    } else if (conditions[i].status !== 'Unknown') {
      conditions[i] = { ...conditions[i], status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at };
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

/** The NoExecute taint the node's Ready condition calls for (upstream doNoExecuteTaintingPass). */
export function wantedNoExecuteTaint(node: Node): string | undefined {
  const status = readyCondition(node)?.status;
  if (status === 'False') return TAINT_NOT_READY;
  if (status === 'Unknown') return TAINT_UNREACHABLE;
  return undefined;
}

/**
 * The node's taints with exactly `wanted` of the two readiness NoExecute taints (none when
 * undefined), `timeAdded` set to `now` on a new one; undefined when nothing changes (upstream
 * swaps not-ready for unreachable and back in one update).
 */
export function taintsWithReadiness(taints: readonly Taint[] | undefined, wanted: string | undefined, now: number): Taint[] | undefined {
  const current = taints ?? [];
  const isReadinessTaint = (t: Taint) => t.effect === 'NoExecute' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE);
  const present = current.filter(isReadinessTaint);
  if (present.length === (wanted ? 1 : 0) && (!wanted || present[0].key === wanted)) return undefined;
  const kept = current.filter((t) => !isReadinessTaint(t));
  return wanted ? [...kept, { key: wanted, effect: 'NoExecute', timeAdded: isoSeconds(now) }] : kept;
}

/** Upstream nodeConditionToTaintKeyStatusMap: the NoSchedule taint each condition status calls for. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const CONDITION_TAINT_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);

/**
 * The node's taints with the NoSchedule taints its conditions and `spec.unschedulable` call for
 * (upstream doNoScheduleTaintingPass, TaintNodesByCondition): so new pods — which tolerate the
 * NoExecute readiness taints for 300 s by default — are not scheduled onto a node that is not
 * ready. Other taints are kept as they are; undefined when nothing changes. Not rate-limited.
 */
export function taintsWithConditions(taints: readonly Taint[] | undefined, node: Node): Taint[] | undefined {
  const wanted = new Set<string>();
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type ?? '']?.[c.status ?? ''];
    if (key) wanted.add(key);
  }
  if (node.spec?.unschedulable) wanted.add(TAINT_UNSCHEDULABLE);
  const current = taints ?? [];
  const isConditionTaint = (t: Taint) => t.effect === 'NoSchedule' && CONDITION_TAINT_KEYS.has(t.key ?? '');
  const present = new Set(current.filter(isConditionTaint).map((t) => t.key));
  if (present.size === wanted.size && [...wanted].every((k) => present.has(k))) return undefined;
  return [...current.filter((t) => !isConditionTaint(t) || wanted.has(t.key ?? '')), ...[...wanted].filter((k) => !present.has(k)).map((key) => ({ key, effect: 'NoSchedule' }))];
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
