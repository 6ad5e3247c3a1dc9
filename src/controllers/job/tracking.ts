// Step 1 of the Job controller's counting (see job-controller.ts): which finished pods to record in
// status.uncountedTerminatedPods before their tracking finalizers are removed. Pure: a function of
// the job's status, its pods and which pods still carry the finalizer.
import type { Job, Pod } from '../../api/index.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { completionIndexOf, parseIndexes } from './indexes.js';

/** Upstream MaxUncountedPods: at most this many pods recorded per status write. */
export const MAX_UNCOUNTED_PODS = 500;

export interface FinishedPods {
  /** Uncounted uids after this sync: the status' lists plus the newly recorded pods. */
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  /** Indexed mode: completed indexes including the newly succeeded pods'. */
  succeededIndexes: Set<number>;
  /** Finished pods whose finalizer is to be removed once `uncounted` is written. */
  toUnfinalize: Pod[];
  /** The first podFailurePolicy FailJob message among newly failed pods. */
  failJobMessage?: string;
}

/** A finished pod as the counting sees it: Succeeded, or Failed (including deleted before it succeeded). */
export function finishedAs(p: Pod): 'Succeeded' | 'Failed' | undefined {
  const phase = p.status?.phase;
  if (phase === 'Succeeded') return 'Succeeded';
  if (phase === 'Failed' || p.metadata?.deletionTimestamp) return 'Failed';
  return undefined;
}

/**
 * Records finished, still-tracked pods (upstream trackJobStatusAndRemoveFinalizers' first half):
 * - succeeded pods count once; in Indexed mode only one pod per index, within completions;
 * - failed pods count unless a podFailurePolicy Ignore rule matches (the finalizer still goes);
 * - pods already in the uncounted lists are only unfinalized.
 */
export function recordFinishedPods(job: Job, pods: readonly Pod[], tracked: (p: Pod) => boolean, max = MAX_UNCOUNTED_PODS): FinishedPods {
  const spec = job.spec ?? {};
  const status = job.status ?? {};
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? 1;
  const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
  const succeededIndexes = indexed ? parseIndexes(status.completedIndexes, completions) : new Set<number>();
  const toUnfinalize: Pod[] = [];
  let failJobMessage: string | undefined;
  let recorded = 0;
  for (const p of pods) {
    const uid = p.metadata?.uid ?? '';
    const outcome = finishedAs(p);
    if (!outcome || !tracked(p)) continue;
    if (uncounted.succeeded.has(uid) || uncounted.failed.has(uid)) {
      toUnfinalize.push(p);
      continue;
    }
    if (recorded >= max) continue;
    recorded++;
    toUnfinalize.push(p);
    if (outcome === 'Succeeded') {
      const ix = completionIndexOf(p);
      if (indexed && (ix === undefined || ix >= completions || succeededIndexes.has(ix))) continue;
      uncounted.succeeded.add(uid);
      if (ix !== undefined) succeededIndexes.add(ix);
      continue;
    }
    const match = spec.podFailurePolicy && p.status?.phase === 'Failed' ? matchPodFailurePolicy(spec.podFailurePolicy, p) : { countFailed: true };
    if (!match.countFailed) continue;
    if ('message' in match && match.message) failJobMessage ??= match.message;
    uncounted.failed.add(uid);
  }
  return { uncounted, succeededIndexes, toUnfinalize, failJobMessage };
}
