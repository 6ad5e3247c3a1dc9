// Which pods a ReplicaSet deletes first when it has too many (upstream getPodsToDelete and
// ActivePodsWithRanks.Less, with LogarithmicScaleDown and PodDeletionCost as in current releases).
// Pods earlier in the order are cheaper to lose:
//   1. not yet scheduled before scheduled;
//   2. Pending before Unknown before Running;
//   3. not ready before ready;
//   4. lower controller.kubernetes.io/pod-deletion-cost first;
//   5. more related pods on the same node first (doubled-up pods);
//   6. ready for a shorter time first (compared on a log2 scale of the age);
//   7. more container restarts first;
//   8. newer first (log2 scale of the age), then by uid.
import type { Pod } from '../../api/index.js';
import { isPodReady, podReadySince } from '../pod-util.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

function maxRestarts(p: Pod): number {
  let max = 0;
  for (const c of p.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

/** log2 of the age in nanoseconds (upstream compares durations), -1 if not in the past. */
function logAge(t: number, now: number): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** Upstream afterOrZero: a zero time sorts first, then the later time. */
function afterOrZero(t1: number, t2: number): boolean {
  if (!t1 || !t2) return !t1;
  return t1 > t2;
}

export interface RankedPod {
  pod: Pod;
  /** Related pods on the same node as this one. */
  rank: number;
}

/** Negative: `a` should be deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na ? -1 : 1;
  const oa = PHASE_ORDINAL[pa.status?.phase ?? 'Pending'] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? 'Pending'] ?? 0;
  if (oa !== ob) return oa - ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uidOrder = (pa.metadata?.uid ?? '') < (pb.metadata?.uid ?? '') ? -1 : (pa.metadata?.uid ?? '') > (pb.metadata?.uid ?? '') ? 1 : 0;
  if (ra && rb) {
    const ta = podReadySince(pa);
    const tb = podReadySince(pb);
    if (ta !== tb) {
      if (!ta || !tb) return afterOrZero(ta, tb) ? -1 : 1;
      const diff = logAge(ta, now) - logAge(tb, now);
      return diff !== 0 ? diff : uidOrder;
    }
  }
  const rsa = maxRestarts(pa);
  const rsb = maxRestarts(pb);
  if (rsa !== rsb) return rsb - rsa;
  const ka = Date.parse(pa.metadata?.creationTimestamp ?? '') || 0;
  const kb = Date.parse(pb.metadata?.creationTimestamp ?? '') || 0;
  if (ka !== kb) {
    if (!ka || !kb) return afterOrZero(ka, kb) ? -1 : 1;
    const diff = logAge(ka, now) - logAge(kb, now);
    return diff !== 0 ? diff : uidOrder;
  }
  return 0;
}

/**
 * The `diff` pods of `pods` to delete. `related` are the pods whose placement counts for rank 5
 * (the ReplicaSet's own pods, or those of every ReplicaSet of its Deployment); defaults to `pods`.
 */
export function podsToDelete(pods: readonly Pod[], diff: number, now: number, related: readonly Pod[] = pods): Pod[] {
  if (diff >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n) onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: pod.spec?.nodeName ? onNode.get(pod.spec.nodeName) ?? 0 : 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}
