// When a finished Job expires (upstream pkg/controller/ttlafterfinished timeLeft): the finish
// time is the Complete or Failed condition's lastTransitionTime; the job expires
// ttlSecondsAfterFinished after it. Pure.
import type { Job } from '../../api/index.js';

/** The finish time of a finished job, ms since the epoch (undefined while it runs). */
export function jobFinishTime(job: Job): number | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** Ms left before the job may be deleted at `now` (≤ 0: now), or undefined when it never expires (no TTL or not finished). */
export function ttlTimeLeftMs(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finished = jobFinishTime(job);
  if (finished === undefined) return undefined;
  return finished + ttl * 1000 - now;
}
