// The taint eviction controller's pure core (upstream pkg/controller/tainteviction): whether a pod
// on a node with NoExecute taints must go, and when. A pod that does not tolerate every NoExecute
// taint goes at once; one that does stays for the shortest tolerationSeconds among the tolerations
// used (forever when none sets it).
import type { Taint } from '../../api/index.js';

/** The toleration fields matching reads (core/v1 Toleration). */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Upstream Toleration.ToleratesTaint: effect and key must match when set; Exists ignores the value. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '': case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    case 'Exists': return true;
    default: return false;
  }
}

export const noExecuteTaints = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/**
 * Upstream GetMatchingTolerations: for each taint the first toleration tolerating it, or
 * undefined when some taint is not tolerated.
 */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

/** What to do about one pod: keep it (cancel any planned eviction), delete it now, or after `afterMs`. */
export type EvictionDecision = { kind: 'keep' } | { kind: 'delete-now' } | { kind: 'delete-after'; afterMs: number };

/** Upstream processPodOnNode + getMinTolerationTime for a pod's tolerations and its node's taints. */
export function evictionDecision(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): EvictionDecision {
  const noExecute = noExecuteTaints(taints);
  if (noExecute.length === 0) return { kind: 'keep' };
  const used = matchingTolerations(noExecute, tolerations);
  if (!used) return { kind: 'delete-now' };
  let min = -1;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return { kind: 'delete-now' };
    if (min < 0 || t.tolerationSeconds < min) min = t.tolerationSeconds;
  }
  return min < 0 ? { kind: 'keep' } : { kind: 'delete-after', afterMs: min * 1000 };
}

/** A planned eviction: when it was first planned and when it is due. */
export interface PlannedEvictionTime {
  createdAt: number;
  fireAt: number;
}

/** What the controller does for one pod at `now`: forget any plan, delete now, or wait for `plan`. */
export type EvictionStep = { kind: 'cancel' } | { kind: 'delete' } | { kind: 'wait'; plan: PlannedEvictionTime };

/**
 * One sync's step (upstream processPodOnNode with its timed worker queue): tolerationSeconds
 * count from when the eviction was first planned, so re-syncs (resyncs, a taint swapped for
 * another) neither postpone nor restart it; a shorter toleration brings it forward.
 */
export function evictionStep(decision: EvictionDecision, existing: PlannedEvictionTime | undefined, now: number): EvictionStep {
  if (decision.kind === 'keep') return { kind: 'cancel' };
  if (decision.kind === 'delete-now') return { kind: 'delete' };
  const createdAt = existing?.createdAt ?? now;
  const fireAt = createdAt + decision.afterMs;
  return fireAt > now ? { kind: 'wait', plan: { createdAt, fireAt } } : { kind: 'delete' };
}
