// The pod garbage collector's pure core (upstream pkg/controller/podgc): which pods to remove in
// one pass, from a snapshot of pods and nodes. No I/O.
import type { Node, Pod, Taint } from '../../api/index.js';

/** Upstream --terminated-pod-gc-threshold default. */
export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12_500;
/** Upstream gcCheckPeriod. */
export const GC_CHECK_PERIOD_MS = 20_000;
/** Upstream quarantineTime: a node missing from the cache this long is looked up before its pods go. */
export const QUARANTINE_MS = 40_000;
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

/** Succeeded or Failed (upstream isPodTerminated). */
export function isPodTerminated(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== undefined && phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

const created = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
const evicted = (p: Pod) => p.status?.reason === 'Evicted';

/**
 * Terminated pods beyond `threshold`, the ones to delete first: evicted before others, then the
 * oldest (upstream gcTerminated with byEvictionAndCreationTimestamp). `threshold` <= 0 disables.
 */
export function terminatedPodsToDelete(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter((p) => isPodTerminated(p) && !p.metadata?.deletionTimestamp);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  return [...terminated]
    .sort((a, b) => Number(evicted(b)) - Number(evicted(a)) || created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .slice(0, excess);
}

/** Nodes named by pods' spec.nodeName that the node cache does not hold (candidates for quarantine). */
export function missingNodes(pods: readonly Pod[], nodeExists: (name: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (n && !nodeExists(n)) out.add(n);
  }
  return out;
}

/** Being deleted yet never scheduled: nothing will ever finish them (upstream gcUnscheduledTerminating). */
export function unscheduledTerminatingPods(pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => p.metadata?.deletionTimestamp && !p.spec?.nodeName);
}

/**
 * Terminating pods on nodes that are not Ready and carry the out-of-service taint (upstream
 * gcTerminating): the node is known to be down, so they are force-deleted.
 */
export function terminatingPodsOnOutOfServiceNodes(pods: readonly Pod[], nodeByName: (name: string) => Node | undefined): Pod[] {
  return pods.filter((p) => {
    if (!p.metadata?.deletionTimestamp || !p.spec?.nodeName) return false;
    const node = nodeByName(p.spec.nodeName);
    if (!node) return false;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    return !ready && (node.spec?.taints ?? []).some((t: Taint) => t.key === TAINT_OUT_OF_SERVICE);
  });
}
