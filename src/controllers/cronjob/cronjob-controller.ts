// The CronJob controller (upstream pkg/controller/cronjob, controller v2): creates a Job for each
// scheduled time of every CronJob, honouring suspend, startingDeadlineSeconds and
// concurrencyPolicy, keeps status.active / lastScheduleTime / lastSuccessfulTime, and deletes
// finished Jobs beyond the history limits. Time comes only from the context's clock, so a test on a
// ManualClock fires schedules by advancing it. Level-triggered: each sync recomputes what is due
// from the CronJob's status and its Jobs, then asks to run again at the next scheduled time.
import {
  isStatusError, cronJobs as cronJobsResource, jobs as jobsResource, jsonEqual,
  type CronJob, type Job, type KubeObject,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { controllerRefOf } from '../owner-refs.js';
import { CONTROLLER_UID_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { finishedCondition, jobFromTemplate, jobNameFor, jobsBeyondHistory, mostRecentScheduleTime, TOO_MANY_MISSED } from './plan.js';
import { nextScheduleTime, parseSchedule, type CronSchedule } from './schedule.js';

/** Upstream ConcurrentCronJobSyncs default. */
export const CRONJOB_WORKERS = 5;
/** Upstream nextScheduleDelta: wake a little after the scheduled time. */
const NEXT_SCHEDULE_DELTA_MS = 100;

type CronJobStatus = NonNullable<CronJob['status']>;
type ActiveRef = NonNullable<CronJobStatus['active']>[number];

/** Go's RFC 3339 at whole seconds, as metav1.Time serializes. */
function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The zone schedules are read in when spec.timeZone is unset: this process's (as upstream). */
const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export class CronJobController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly cjStore: Indexer;
  private readonly jobStore: Indexer;
  private readonly cjClient: ResourceClient;
  private readonly jobClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = CRONJOB_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.cjClient = ctx.client.resource(cronJobsResource);
    this.jobClient = ctx.client.resource(jobsResource);
    this.recorder = ctx.recorder('cronjob-controller');
    const cjInformer = ctx.informers.informerFor(cronJobsResource);
    const jobInformer = ctx.informers.informerFor(jobsResource);
    this.cjStore = cjInformer.store;
    this.jobStore = jobInformer.store;
    cjInformer.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (_o, cj) => this.queue.add(objectKey(cj)),
      onDelete: (cj) => this.queue.add(objectKey(cj)),
    });
    const jobChanged = (j: unknown) => {
      const job = j as Job;
      const ref = controllerRefOf(job);
      if (ref?.kind !== 'CronJob') return;
      const cj = this.cjStore.getByName(job.metadata?.namespace ?? '', ref.name);
      if (cj?.metadata?.uid === ref.uid) this.queue.add(objectKey(cj));
    };
    jobInformer.addEventHandler({ onAdd: jobChanged, onUpdate: (_o, j) => jobChanged(j), onDelete: jobChanged });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  private ref(cj: CronJob): KubeObject {
    return { ...cj, apiVersion: 'batch/v1', kind: 'CronJob' } as KubeObject;
  }

  /** Converges one CronJob (upstream syncCronJob). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.cjStore.get(key) as CronJob | undefined;
    if (!cached) return;
    const cj = cached;
    const { namespace } = splitKey(key);
    const now = this.ctx.clock.now();
    const jobs = (this.jobStore.byIndex(CONTROLLER_UID_INDEX, cj.metadata?.uid ?? '') as Job[]).filter((j) => j.metadata?.namespace === namespace);
    const status: CronJobStatus = structuredClone(cj.status ?? {});
    let active: ActiveRef[] = [...(status.active ?? [])];

    // Reconcile status.active with the Jobs that exist.
    for (const job of jobs) {
      const inActive = active.some((r) => r.uid === job.metadata?.uid);
      const done = finishedCondition(job);
      if (inActive && done) {
        active = active.filter((r) => r.uid !== job.metadata?.uid);
        this.recorder.event(this.ref(cj), 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name}, condition: ${done}`);
        if (done === 'Complete' && job.status?.completionTime) {
          const last = Date.parse(status.lastSuccessfulTime ?? '') || 0;
          if (Date.parse(job.status.completionTime) > last) status.lastSuccessfulTime = job.status.completionTime;
        }
      } else if (!inActive && !done && !job.metadata?.deletionTimestamp) {
        active.push(activeRef(job));
      }
    }
    for (const ref of [...active]) {
      if (jobs.some((j) => j.metadata?.uid === ref.uid)) continue;
      // Not in the cache: ask the API before forgetting it (the cache may lag our own create).
      const live = await this.jobClient.get(namespace, ref.name ?? '').catch((e: unknown) => (isStatusError(e, 'NotFound') ? undefined : Promise.reject(e))) as Job | undefined;
      if (!live || live.metadata?.uid !== ref.uid) {
        active = active.filter((r) => r !== ref);
        this.recorder.event(this.ref(cj), 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      }
    }
    // An empty list is omitted, as upstream serializes it.
    status.active = active.length ? active : undefined;

    const result = await this.schedule(cj, jobs, status, now);
    if (!jsonEqual(status, cj.status ?? {})) {
      await this.cjClient.updateStatus(namespace, { ...this.ref(cj), status } as KubeObject);
    }
    await this.cleanupHistory(cj, jobs);
    return result;
  }

  /** Starts the due Job if any (mutating `status`); returns when to look again. */
  private async schedule(cj: CronJob, jobs: Job[], status: CronJobStatus, now: number): Promise<ReconcileResult | void> {
    if (cj.metadata?.deletionTimestamp) return;
    const spec = cj.spec ?? {};
    let sched: CronSchedule;
    try {
      sched = parseSchedule(spec.schedule ?? '');
    } catch (e) {
      this.recorder.event(this.ref(cj), 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${(e as Error).message}`);
      return;
    }
    const tz = spec.timeZone ?? sched.timeZone ?? LOCAL_TIME_ZONE;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch (e) {
      this.recorder.event(this.ref(cj), 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: ${(e as Error).message}`);
      return;
    }
    if (spec.suspend) return;
    const again = (): ReconcileResult | void => {
      const next = nextScheduleTime(sched, now, tz);
      return next === undefined ? undefined : { requeueAfterMs: next - now + NEXT_SCHEDULE_DELTA_MS };
    };
    const { time: scheduled, missed } = mostRecentScheduleTime(cj, sched, tz, now);
    if (missed > TOO_MANY_MISSED) {
      this.recorder.event(this.ref(cj), 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    if (scheduled === undefined) return again();
    const sds = spec.startingDeadlineSeconds;
    if (sds !== undefined && sds !== null && scheduled + sds * 1000 < now) {
      this.recorder.event(this.ref(cj), 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc3339(scheduled)}`);
      return again();
    }
    const name = jobNameFor(cj, scheduled);
    if (jobs.some((j) => j.metadata?.name === name) || status.active?.some((r) => r.name === name)) return again();
    if (spec.concurrencyPolicy === 'Forbid' && (status.active?.length ?? 0) > 0) {
      this.recorder.event(this.ref(cj), 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return again();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        try {
          await this.jobClient.delete(cj.metadata?.namespace ?? '', ref.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: ref.uid } });
          this.recorder.event(this.ref(cj), 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
        } catch (e) {
          if (!isStatusError(e, 'NotFound')) {
            this.recorder.event(this.ref(cj), 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`);
            throw e;
          }
        }
        status.active = status.active?.filter((r) => r !== ref);
      }
    }
    let job: Job;
    try {
      job = await this.jobClient.create(cj.metadata?.namespace ?? '', jobFromTemplate(cj, scheduled, tz)) as Job;
      this.recorder.event(this.ref(cj), 'Normal', 'SuccessfulCreate', `Created job ${name}`);
    } catch (e) {
      if (!isStatusError(e, 'AlreadyExists')) {
        this.recorder.event(this.ref(cj), 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw e;
      }
      // Created by an earlier sync whose status write was lost: adopt the record if it is ours.
      job = await this.jobClient.get(cj.metadata?.namespace ?? '', name) as Job;
      if (controllerRefOf(job)?.uid !== cj.metadata?.uid) return again();
    }
    if (!status.active?.some((r) => r.uid === job.metadata?.uid)) status.active = [...(status.active ?? []), activeRef(job)];
    status.lastScheduleTime = rfc3339(scheduled);
    return again();
  }

  /** Deletes finished Jobs beyond the history limits (upstream cleanupFinishedJobs). */
  private async cleanupHistory(cj: CronJob, jobs: Job[]): Promise<void> {
    for (const job of jobsBeyondHistory(cj, jobs)) {
      try {
        await this.jobClient.delete(job.metadata?.namespace ?? '', job.metadata?.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: job.metadata?.uid } });
        this.recorder.event(this.ref(cj), 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
      }
    }
  }
}

function activeRef(job: Job): ActiveRef {
  return {
    apiVersion: 'batch/v1', kind: 'Job', namespace: job.metadata?.namespace, name: job.metadata?.name,
    uid: job.metadata?.uid, resourceVersion: job.metadata?.resourceVersion,
  };
}
