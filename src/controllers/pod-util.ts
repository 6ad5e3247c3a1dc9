// Pod predicates shared by the workload controllers (upstream podutil and controller_utils).
import type { Pod } from '../api/index.js';

/** Not terminated and not being deleted (upstream IsPodActive). */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

function readyCondition(p: Pod) {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The Ready condition is True (upstream IsPodReady). */
export function isPodReady(p: Pod): boolean {
  return readyCondition(p)?.status === 'True';
}

/** When the pod last became Ready, in ms since the epoch (0 if unknown or not ready). */
export function podReadySince(p: Pod): number {
  const c = readyCondition(p);
  if (c?.status !== 'True' || !c.lastTransitionTime) return 0;
  return Date.parse(c.lastTransitionTime);
}

/** Ready for at least `minReadySeconds` at `now` (upstream IsPodAvailable). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(p);
  return since > 0 && since + minReadySeconds * 1000 <= now;
}
