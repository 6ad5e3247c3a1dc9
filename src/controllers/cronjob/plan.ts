// The CronJob controller's decisions (upstream cronjob_controllerv2 utils): which scheduled time
// is due, how the Job for it is named and built, which finished Jobs fall out of the history.
// Pure functions of the CronJob, its Jobs and the time.
import type { CronJob, Job, KubeObject } from '../../api/index.js';
import { newControllerRef } from '../owner-refs.js';
import { formatInZone, nextScheduleTime, type CronSchedule } from './schedule.js';

/** Upstream annotation carrying a Job's scheduled time (RFC 3339 in the CronJob's zone). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Upstream warns when more start times than this were missed. */
export const TOO_MANY_MISSED = 100;

/** Missed times counted one by one; past this, the most recent is found from windows before now. */
const MAX_COUNTED = 1000;
const HOUR = 3_600_000;
const WINDOWS_MS = [HOUR, 24 * HOUR, 31 * 24 * HOUR, 366 * 24 * HOUR, 5 * 366 * 24 * HOUR];

/**
 * The most recent scheduled time at or before `now` not yet handled, counting from
 * lastScheduleTime (or the creation time), bounded by startingDeadlineSeconds (upstream
 * mostRecentScheduleTime). `missed` is how many times were due since then (counted up to
 * 1000 and reported as 1001 beyond: enough for upstream's "too many missed" warning).
 */
export function mostRecentScheduleTime(cj: CronJob, sched: CronSchedule, timeZone: string, now: number): { time?: number; missed: number } {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? '');
  if (Number.isNaN(earliest)) earliest = now;
  const sds = cj.spec?.startingDeadlineSeconds;
  if (sds !== undefined && sds !== null) earliest = Math.max(earliest, now - sds * 1000);
  const lastIn = (from: number, limit = Infinity): { time?: number; count: number } => {
    let time: number | undefined;
    let count = 0;
    for (let t = nextScheduleTime(sched, from, timeZone); t !== undefined && t <= now && count < limit; t = nextScheduleTime(sched, t, timeZone)) {
      time = t;
      count++;
    }
    return { time, count };
  };
  const counted = lastIn(earliest, MAX_COUNTED + 1);
  if (counted.count <= MAX_COUNTED) return { time: counted.time, missed: counted.count };
  // A long outage of a frequent schedule: look for the latest time in growing windows before now.
  for (const w of WINDOWS_MS) {
    const { time } = lastIn(Math.max(earliest, now - w));
    if (time !== undefined) return { time, missed: counted.count };
  }
  return { time: counted.time, missed: counted.count };
}

/** Upstream getJobName: `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function jobNameFor(cj: CronJob, scheduled: number): string {
  return `${cj.metadata?.name ?? ''}-${Math.floor(scheduled / 60_000)}`;
}

/** The Job for `scheduled` (upstream getJobFromTemplate2). */
export function jobFromTemplate(cj: CronJob, scheduled: number, timeZone: string): KubeObject {
  const tmpl = cj.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name: jobNameFor(cj, scheduled),
      namespace: cj.metadata?.namespace,
      labels: { ...tmpl.metadata?.labels },
      annotations: { ...tmpl.metadata?.annotations, [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduled, timeZone) },
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: structuredClone(tmpl.spec ?? {}),
  } as KubeObject;
}

/** 'Complete' or 'Failed' once the Job finished (upstream getFinishedStatus). */
export function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/**
 * Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first by
 * start time (upstream removeOldestJobs; a Job not started sorts first).
 */
export function jobsBeyondHistory(cj: CronJob, jobs: readonly Job[]): Job[] {
  const startOf = (j: Job) => Date.parse(j.status?.startTime ?? '') || 0;
  const pick = (type: 'Complete' | 'Failed', limit: number | undefined | null) => {
    if (limit === undefined || limit === null) return [];
    const done = jobs.filter((j) => finishedCondition(j) === type && !j.metadata?.deletionTimestamp).sort((a, b) => startOf(a) - startOf(b));
    return done.slice(0, Math.max(0, done.length - limit));
  };
  return [...pick('Complete', cj.spec?.successfulJobsHistoryLimit), ...pick('Failed', cj.spec?.failedJobsHistoryLimit)];
}
