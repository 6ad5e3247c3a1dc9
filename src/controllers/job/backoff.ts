// Pod re-creation backoff after failures (upstream job controller's backoffRecord and
// getRemainingTimeForFailuresCount): after N consecutive failures (N ≥ 1) the next pod waits
// DEFAULT_JOB_POD_FAILURE_BACKOFF × 2^(N-1), capped at MAX_JOB_POD_FAILURE_BACKOFF, counted from
// the last failure. Pure; the controller keeps the records and reads time from its clock.

/** Upstream DefaultJobPodFailureBackOff: 10 s. */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
/** Upstream MaxJobPodFailureBackOff: 6 min. */
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 360_000;

export interface BackoffRecord {
  /** Failures since the last success. */
  failuresAfterLastSuccess: number;
  /** When the last failure was seen, ms since the epoch. */
  lastFailureAt: number;
}

/** The delay after `failures` consecutive failures (0 for none). */
export function backoffDelayMs(failures: number, baseMs = DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, maxMs = MAX_JOB_POD_FAILURE_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  let d = baseMs;
  for (let i = 1; i < failures && d < maxMs; i++) d *= 2;
  return Math.min(d, maxMs);
}

/** How long until a new pod may be created at `now` (0 when it may be created now). */
export function remainingBackoffMs(record: BackoffRecord | undefined, now: number): number {
  if (!record || record.failuresAfterLastSuccess <= 0) return 0;
  return Math.max(0, record.lastFailureAt + backoffDelayMs(record.failuresAfterLastSuccess) - now);
}

/**
 * The record after a sync saw `newSucceeded` and `newFailed` newly finished pods at `now`
 * (upstream newBackoffRecord): a success resets the count, failures after it add up.
 */
export function nextBackoffRecord(prev: BackoffRecord | undefined, newSucceeded: number, newFailed: number, now: number): BackoffRecord {
  let rec = prev ?? { failuresAfterLastSuccess: 0, lastFailureAt: 0 };
  if (newSucceeded > 0) rec = { failuresAfterLastSuccess: 0, lastFailureAt: rec.lastFailureAt };
  if (newFailed > 0) rec = { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + newFailed, lastFailureAt: now };
  return rec;
}
