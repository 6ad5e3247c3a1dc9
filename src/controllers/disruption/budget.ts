// PodDisruptionBudget arithmetic (upstream pkg/controller/disruption: getExpectedPodCount,
// buildDisruptedPodMap, countHealthyPods, updatePdbStatus, and pdb helper's
// UpdateDisruptionAllowedCondition). Pure functions of a snapshot: the controller supplies the
// selected pods, the scale of their controllers and the time.
import type { Pod, PodDisruptionBudget } from '../../api/index.js';
import { isPodReady } from '../pod-util.js';

export type PdbStatus = NonNullable<PodDisruptionBudget['status']>;
type PdbSpec = NonNullable<PodDisruptionBudget['spec']>;
type Condition = NonNullable<PdbStatus['conditions']>[number];

/** Upstream DeletionTimeout: an evicted pod not deleted by then counts again. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/**
 * Upstream intstr.GetScaledValueFromIntOrPercent: an integer as is, `N%` of `total` rounded up
 * or down. Throws for anything else ("invalid value for IntOrString").
 */
export function scaledValueFromIntOrPercent(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid value "${v}"`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * expectedPods and desiredHealthy (upstream getExpectedPodCount). `expectedScale` sums the scale
 * of the selected pods' controllers; it is asked only when the budget is a percentage or uses
 * maxUnavailable (an integer minAvailable counts the selected pods), and may throw.
 */
export function expectedPodCount(spec: PdbSpec, selectedPods: number, expectedScale: () => number): { expectedCount: number; desiredHealthy: number } {
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const expectedCount = expectedScale();
    const maxUnavailable = scaledValueFromIntOrPercent(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable) };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: selectedPods, desiredHealthy: spec.minAvailable };
    const expectedCount = expectedScale();
    return { expectedCount, desiredHealthy: scaledValueFromIntOrPercent(spec.minAvailable, expectedCount, true) };
  }
  return { expectedCount: 0, desiredHealthy: 0 };
}

/**
 * The disruptedPods entries still pending (upstream buildDisruptedPodMap): kept for pods that
 * exist, are not yet being deleted and were evicted less than DELETION_TIMEOUT_MS ago. `recheckAt`
 * is the earliest time one of them expires; `notDeleted` names the pods whose entry expired.
 */
export function buildDisruptedPodMap(pods: readonly Pod[], disrupted: Readonly<Record<string, string>> | undefined, now: number): { disruptedPods: Record<string, string>; recheckAt?: number; notDeleted: string[] } {
  const out: Record<string, string> = {};
  const notDeleted: string[] = [];
  let recheckAt: number | undefined;
  if (!disrupted) return { disruptedPods: out, notDeleted };
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? '';
    const at = disrupted[name];
    if (at === undefined) continue;
    const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now) {
      notDeleted.push(name);
      continue;
    }
    if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
    out[name] = at;
  }
  return { disruptedPods: out, recheckAt, notDeleted };
}

/** Ready pods not being deleted nor about to be (upstream countHealthyPods). */
export function countHealthyPods(pods: readonly Pod[], disrupted: Readonly<Record<string, string>>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = disrupted[pod.metadata?.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * Upstream apimeta.SetStatusCondition for one condition: the transition time moves only when the
 * status changes. Returns a new list.
 */
export function setCondition(conditions: readonly Condition[] | undefined, wanted: Omit<Condition, 'lastTransitionTime'>, nowIso: string): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === wanted.type);
  const old = i >= 0 ? list[i] : undefined;
  const next = { ...wanted, lastTransitionTime: old && old.status === wanted.status && old.lastTransitionTime ? old.lastTransitionTime : nowIso } as Condition;
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

/** The DisruptionAllowed condition for `status` (upstream UpdateDisruptionAllowedCondition). */
export function disruptionAllowedCondition(status: PdbStatus, nowIso: string): Condition[] {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  return setCondition(status.conditions, {
    type: DISRUPTION_ALLOWED, status: allowed ? 'True' : 'False', reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
    message: '', observedGeneration: status.observedGeneration,
  }, nowIso);
}

/**
 * The budget's next status (upstream updatePdbStatus). A budget with no expected pods allows no
 * disruption, so pods appearing before the next sync are safe.
 */
export function budgetStatus(
  pdb: PodDisruptionBudget, counts: { currentHealthy: number; desiredHealthy: number; expectedCount: number }, disruptedPods: Record<string, string>, nowIso: string,
): PdbStatus {
  let disruptionsAllowed = counts.currentHealthy - counts.desiredHealthy;
  if (counts.expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const status: PdbStatus = {
    ...(Object.keys(disruptedPods).length ? { disruptedPods } : {}),
    disruptionsAllowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedCount,
    observedGeneration: pdb.metadata?.generation ?? 0,
    conditions: pdb.status?.conditions,
  };
  status.conditions = disruptionAllowedCondition(status, nowIso);
  return status;
}

/** The status after a failed sync (upstream failSafe): nothing allowed, condition SyncFailed. */
export function failSafeStatus(pdb: PodDisruptionBudget, message: string, nowIso: string): PdbStatus {
  const status: PdbStatus = { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...pdb.status, disruptionsAllowed: 0 };
  status.conditions = setCondition(status.conditions, {
    type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration: status.observedGeneration,
  }, nowIso);
  return status;
}
