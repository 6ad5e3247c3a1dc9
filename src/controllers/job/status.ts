// The Job controller's decisions about a job as a whole (upstream syncJob's middle part): is it
// finished, how many pods should run, which conditions to set. Pure functions of the job and the
// counts a sync computed.
import type { Job } from '../../api/index.js';

type JobCondition = NonNullable<NonNullable<Job['status']>['conditions']>[number];

/** Upstream condition reasons and messages (batch/v1 JobReason*). */
export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';

export interface JobCounts {
  /** Succeeded pods counted so far (status.succeeded plus uncounted ones). */
  succeeded: number;
  /** Failed pods counted so far (status.failed plus uncounted ones). */
  failed: number;
  /** Active (not terminal, not deleted) pods. */
  active: number;
  /** Indexed mode: how many distinct indexes succeeded. */
  succeededIndexes: number;
  /** restartPolicy OnFailure: container restarts summed over active pods (absent: 0). */
  restarts?: number;
}

export type JobOutcome =
  | { type: 'Failed'; reason: string; message: string }
  | { type: 'Complete'; reason: string; message: string };

/** True once the job has a Complete or Failed condition set to True (upstream IsJobFinished). */
export function isJobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function hasCondition(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/**
 * Whether the job reached an end at `now`, in upstream's order: a pod failure policy FailJob
 * match, then backoffLimit (failed > backoffLimit, or for OnFailure pods restarts ≥ backoffLimit), then activeDeadlineSeconds since startTime,
 * then completion (Indexed: every index succeeded; NonIndexed: completions succeeded, or — work
 * queue jobs without completions — some pod succeeded and none is active).
 */
export function jobOutcome(job: Job, counts: JobCounts, now: number, failJobMessage?: string): JobOutcome | undefined {
  const spec = job.spec ?? {};
  const existing = job.status?.conditions?.find((c) => c.type === 'FailureTarget' && c.status === 'True');
  if (existing) return { type: 'Failed', reason: existing.reason ?? '', message: existing.message ?? '' };
  if (failJobMessage) return { type: 'Failed', reason: REASON_POD_FAILURE_POLICY, message: failJobMessage };
  const backoffLimit = spec.backoffLimit ?? 6;
  // OnFailure: the kubelet restarts failed containers in place, so restarts count as failures
  // (upstream pastBackoffLimitOnFailure).
  const restarts = counts.restarts ?? 0;
  const pastOnFailure = spec.template?.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
  if (counts.failed > backoffLimit || pastOnFailure) return { type: 'Failed', reason: REASON_BACKOFF_LIMIT_EXCEEDED, message: MESSAGE_BACKOFF_LIMIT_EXCEEDED };
  const deadline = activeDeadlineAt(job);
  if (deadline !== undefined && now >= deadline) return { type: 'Failed', reason: REASON_DEADLINE_EXCEEDED, message: MESSAGE_DEADLINE_EXCEEDED };
  const completions = spec.completions;
  const complete = spec.completionMode === 'Indexed'
    ? counts.succeededIndexes >= (completions ?? 1)
    : completions !== undefined && completions !== null ? counts.succeeded >= completions : counts.succeeded > 0 && counts.active === 0;
  if (complete) return { type: 'Complete', reason: REASON_COMPLETIONS_REACHED, message: MESSAGE_COMPLETIONS_REACHED };
  return undefined;
}

/** When activeDeadlineSeconds runs out (ms since the epoch), if set and the job started. */
export function activeDeadlineAt(job: Job): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime;
  if (ads === undefined || ads === null || !start || job.spec?.suspend) return undefined;
  return Date.parse(start) + ads * 1000;
}

/**
 * How many pods should be active (upstream manageJob's wantActive): parallelism, capped by the
 * completions still missing; a work-queue job (no completions) stops creating once one succeeded.
 */
export function wantActive(job: Job, counts: JobCounts): number {
  const spec = job.spec ?? {};
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions;
  if (completions === undefined || completions === null) return counts.succeeded > 0 ? 0 : parallelism;
  const done = spec.completionMode === 'Indexed' ? counts.succeededIndexes : counts.succeeded;
  return Math.max(0, Math.min(parallelism, completions - done));
}

/**
 * `conditions` with `type` set (upstream ensureJobConditionStatus): lastTransitionTime moves only
 * when the status changes; returns the same array when nothing changed.
 */
export function setJobCondition(conditions: JobCondition[] | undefined, type: string, status: 'True' | 'False', reason: string, message: string, at: string): JobCondition[] {
  const list = conditions ?? [];
  const prev = list.find((c) => c.type === type);
  if (prev && prev.status === status && prev.reason === reason && prev.message === message) return list;
  const next: JobCondition = {
    type, status, reason, message, lastProbeTime: at,
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime ?? at : at,
  };
  return prev ? list.map((c) => (c === prev ? next : c)) : [...list, next];
}
