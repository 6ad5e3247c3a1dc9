// The Job controller (upstream pkg/controller/job): runs a Job's pods to completion and reports
// their outcome in status and conditions. Level-triggered: `sync(key)` reads the caches and
// converges, whatever event queued the key.
//
// Counting contract (upstream job tracking with finalizers): every pod is created with the
// batch.kubernetes.io/job-tracking finalizer. A finished pod (Succeeded, Failed, or deleted before
// it succeeded) that still has it is first recorded in status.uncountedTerminatedPods, THEN its
// finalizer is removed, THEN it moves from the uncounted lists into status.succeeded/failed. So a
// pod is counted exactly once even if it is deleted or this controller restarts mid-way; a pod
// without the finalizer was counted already. Pods this controller deletes itself (excess
// parallelism, suspend, a finished job's leftovers) lose the finalizer first and are not counted
// (a simplification: upstream counts some of them as failed).
//
// Finished Jobs keep a Complete or Failed condition; the intermediate SuccessCriteriaMet /
// FailureTarget conditions are set first, as current upstream does.
import {
  isStatusError, jobs as jobsResource, jsonEqual, labelSelectorFromObject, pods as podsResource,
  type Job, type KubeObject, type LabelSelectorObject, type Pod,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import { claimObjects } from '../claim.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { ControllerExpectations } from '../expectations.js';
import { controllerRefOf } from '../owner-refs.js';
import { isPodActive, isPodReady } from '../pod-util.js';
import { NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../replicaset/slow-start.js';
import { nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './backoff.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { completionIndexOf, firstPendingIndexes, formatIndexes } from './indexes.js';
import { JOB_API_VERSION, JOB_KIND, JOB_TRACKING_FINALIZER, podFromJob, removeTrackingFinalizerPatch } from './pod-template.js';
import { finishedAs, recordFinishedPods } from './tracking.js';
import { activeDeadlineAt, isJobFinished, jobOutcome, setJobCondition, wantActive, type JobCounts } from './status.js';

/** Upstream ConcurrentJobSyncs default. */
export const JOB_WORKERS = 5;
/** Upstream MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Queue keys of pods whose Job is gone, beside the jobs' `namespace/name` keys. */
const ORPHAN_POD_PREFIX = 'orphan-pod:';

type JobStatus = NonNullable<Job['status']>;

/** Go's RFC 3339 at whole seconds, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `v` without empty lists and objects (which the API may or may not keep): for comparisons. */
function pruneEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(pruneEmpty) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = pruneEmpty(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

function hasTrackingFinalizer(p: Pod): boolean {
  return (p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

export class JobController implements Controller {
  readonly queue: WorkQueue<string>;
  readonly expectations: ControllerExpectations;
  private readonly jobStore: Indexer;
  private readonly podStore: Indexer;
  private readonly jobClient: ResourceClient;
  private readonly podClient: ResourceClient;
  private readonly recorder: EventRecorder;
  /** Per job key: consecutive failures and when the last was seen (upstream backoffRecordStore). */
  private readonly backoff = new Map<string, BackoffRecord>();
  /** Per job key: uids of finished pods already fed into `backoff` (a retried sync must not count them twice). */
  private readonly backoffSeen = new Map<string, Set<string>>();
  /** Pod uids whose finalizer this controller removed, until the informer shows it (upstream finalizerExpectations). */
  private readonly finalizerRemoved = new Set<string>();

  constructor(private readonly ctx: ControllerContext, private readonly workers = JOB_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.jobClient = ctx.client.resource(jobsResource);
    this.podClient = ctx.client.resource(podsResource);
    this.recorder = ctx.recorder('job-controller');
    const jobInformer = ctx.informers.informerFor(jobsResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    this.jobStore = jobInformer.store;
    this.podStore = podInformer.store;
    jobInformer.addEventHandler({
      onAdd: (j) => this.queue.add(objectKey(j)),
      onUpdate: (_o, j) => this.queue.add(objectKey(j)),
      onDelete: (j) => {
        this.expectations.delete(objectKey(j));
        this.backoff.delete(objectKey(j));
        this.backoffSeen.delete(objectKey(j));
        this.queue.add(objectKey(j));
      },
    });
    podInformer.addEventHandler({
      onAdd: (p) => this.podChanged(p as Pod, true),
      onUpdate: (_o, p) => this.podChanged(p as Pod, false),
      onDelete: (p) => {
        this.finalizerRemoved.delete((p as Pod).metadata?.uid ?? '');
        this.podChanged(p as Pod, false);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  private podChanged(pod: Pod, added: boolean): void {
    if (!hasTrackingFinalizer(pod)) this.finalizerRemoved.delete(pod.metadata?.uid ?? '');
    const ref = controllerRefOf(pod);
    const job = ref?.kind === JOB_KIND ? this.jobStore.getByName(pod.metadata?.namespace ?? '', ref.name) : undefined;
    if (!ref || job?.metadata?.uid !== ref.uid) {
      // Its Job is gone (or released it): nobody will count it, so let it go.
      if (hasTrackingFinalizer(pod)) this.queue.add(`${ORPHAN_POD_PREFIX}${objectKey(pod)}`);
      return;
    }
    const key = objectKey(job);
    if (added) this.expectations.creationObserved(key);
    this.queue.add(key);
  }

  /** Tracking finalizer still to be removed (and not already removed by us, pending the informer). */
  private tracked(p: Pod): boolean {
    return hasTrackingFinalizer(p) && !this.finalizerRemoved.has(p.metadata?.uid ?? '');
  }

  /** Converges one Job (upstream syncJob), or lets an orphaned pod go. Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    if (key.startsWith(ORPHAN_POD_PREFIX)) return this.syncOrphanPod(key.slice(ORPHAN_POD_PREFIX.length));
    let job = this.jobStore.get(key) as Job | undefined;
    const { namespace } = splitKey(key);
    if (!job) {
      this.expectations.delete(key);
      this.backoff.delete(key);
      this.backoffSeen.delete(key);
      return;
    }
    if (job.spec?.managedBy && job.spec.managedBy !== 'kubernetes.io/job-controller') return;
    const selector = labelSelectorFromObject(job.spec?.selector as LabelSelectorObject | undefined);
    const candidates = this.podStore.byIndex(NAMESPACE_INDEX, namespace) as Pod[];
    const { claimed: pods, error: claimError } = await claimObjects({
      owner: job, ownerApiVersion: JOB_API_VERSION, ownerKind: JOB_KIND, selector, dependents: this.podClient,
      getOwnerFresh: () => this.jobClient.get(namespace, job!.metadata?.name ?? ''),
    }, candidates.filter((p) => !p.metadata?.deletionTimestamp || controllerRefOf(p)?.uid === job!.metadata?.uid));
    if (claimError) throw claimError;

    if (isJobFinished(job)) {
      // Leftovers of a finished job: let them go.
      await this.removeFinalizers(pods.filter((p) => this.tracked(p)));
      return;
    }
    const now = this.ctx.clock.now();
    const nowTime = rfc3339(now);
    const spec = job.spec ?? {};
    const indexed = spec.completionMode === 'Indexed';
    let status: JobStatus = structuredClone(job.status ?? {});
    if (!spec.suspend && !status.startTime) status.startTime = nowTime;

    // 1. Record newly finished pods as uncounted (before touching their finalizers).
    const { uncounted, succeededIndexes, toUnfinalize, failJobMessage } = recordFinishedPods(job, pods, (p) => this.tracked(p));
    this.observeFinished(key, pods, now);
    if (failJobMessage) status.conditions = setJobCondition(status.conditions, 'FailureTarget', 'True', 'PodFailurePolicy', failJobMessage, nowTime);
    if (toUnfinalize.length) {
      status.uncountedTerminatedPods = { succeeded: [...uncounted.succeeded], failed: [...uncounted.failed] };
      if (indexed) status.completedIndexes = formatIndexes(succeededIndexes);
      job = await this.writeStatus(job, status);
      status = structuredClone(job.status ?? {});
      // 2. Remove the finalizers, then 3. move the recorded pods into the counters.
      await this.removeFinalizers(toUnfinalize);
    }
    const stillTracked = new Set(pods.filter((p) => this.tracked(p)).map((p) => p.metadata?.uid ?? ''));
    const move = (uids: Set<string>) => [...uids].filter((u) => !stillTracked.has(u));
    const movedSucceeded = move(uncounted.succeeded);
    const movedFailed = move(uncounted.failed);
    status.succeeded = (status.succeeded ?? 0) + movedSucceeded.length;
    status.failed = (status.failed ?? 0) + movedFailed.length;
    const uncountedLeft = {
      succeeded: [...uncounted.succeeded].filter((u) => stillTracked.has(u)),
      failed: [...uncounted.failed].filter((u) => stillTracked.has(u)),
    };
    // Empty lists are omitted, as upstream serializes them.
    status.uncountedTerminatedPods = {
      ...(uncountedLeft.succeeded.length ? { succeeded: uncountedLeft.succeeded } : {}),
      ...(uncountedLeft.failed.length ? { failed: uncountedLeft.failed } : {}),
    };
    if (indexed) status.completedIndexes = formatIndexes(succeededIndexes);

    let active = pods.filter(isPodActive);
    const counts: JobCounts = {
      succeeded: status.succeeded + uncountedLeft.succeeded.length,
      failed: status.failed + uncountedLeft.failed.length,
      active: active.length,
      succeededIndexes: succeededIndexes.size,
      restarts: active.reduce((n, p) => n + [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
        .reduce((m, c) => m + (c.restartCount ?? 0), 0), 0),
    };
    let requeueAfterMs: number | undefined;
    const outcome = jobOutcome({ ...job, status } as Job, counts, now, failJobMessage);
    if (outcome) {
      // Stop what still runs, then declare the end once nothing is left to count.
      await this.deletePods(job, active);
      active = [];
      const target = outcome.type === 'Failed' ? 'FailureTarget' : 'SuccessCriteriaMet';
      status.conditions = setJobCondition(status.conditions, target, 'True', outcome.reason, outcome.message, nowTime);
      if (uncountedLeft.succeeded.length + uncountedLeft.failed.length === 0) {
        status.conditions = setJobCondition(status.conditions, outcome.type, 'True', outcome.reason, outcome.message, nowTime);
        if (outcome.type === 'Complete') {
          status.completionTime = nowTime;
          this.recorder.event(this.ref(job), 'Normal', 'Completed', 'Job completed');
        } else {
          this.recorder.event(this.ref(job), 'Warning', outcome.reason, outcome.message);
        }
      }
    } else if (spec.suspend) {
      await this.deletePods(job, active);
      active = [];
      if (!status.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
        status.conditions = setJobCondition(status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', nowTime);
        this.recorder.event(this.ref(job), 'Normal', 'Suspended', 'Job suspended');
        // Upstream: a suspended job restarts its activeDeadlineSeconds clock when resumed.
        delete status.startTime;
      }
    } else {
      if (status.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
        status.conditions = setJobCondition(status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', nowTime);
        this.recorder.event(this.ref(job), 'Normal', 'Resumed', 'Job resumed');
      }
      if (this.expectations.satisfied(key)) {
        const res = await this.manageJob(key, job, active, counts, succeededIndexes);
        active = res.active;
        requeueAfterMs = res.requeueAfterMs;
      }
      const deadline = activeDeadlineAt({ ...job, status } as Job);
      if (deadline !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(0, deadline - now) + 100);
    }
    status.active = active.length;
    status.ready = active.filter(isPodReady).length;
    status.terminating = pods.filter((p) => p.metadata?.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? '')).length;
    if (!jsonEqual(pruneEmpty(status), pruneEmpty(job.status ?? {}))) await this.writeStatus(job, status);
    if (uncountedLeft.succeeded.length + uncountedLeft.failed.length > 0) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, 1000);
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /**
   * Removes the tracking finalizer from a pod whose Job no longer exists or no longer controls it
   * (upstream orphan pod cleanup), after confirming with the API that the Job is really gone.
   */
  private async syncOrphanPod(podKey: string): Promise<void> {
    const pod = this.podStore.get(podKey) as Pod | undefined;
    if (!pod || !this.tracked(pod)) return;
    const ref = controllerRefOf(pod);
    if (ref?.kind === JOB_KIND) {
      const live = await this.jobClient.get(pod.metadata?.namespace ?? '', ref.name).catch((e: unknown) => (isStatusError(e, 'NotFound') ? undefined : Promise.reject(e)));
      if (live && live.metadata?.uid === ref.uid && !live.metadata?.deletionTimestamp) return;
    }
    await this.removeFinalizers([pod]);
  }

  /** Feeds pods that finished since the last look into the job's backoff record (at `now`). */
  private observeFinished(key: string, pods: Pod[], now: number): void {
    const seen = this.backoffSeen.get(key) ?? new Set<string>();
    this.backoffSeen.set(key, seen);
    let succeeded = 0;
    let failed = 0;
    const policy = (this.jobStore.get(key) as Job | undefined)?.spec?.podFailurePolicy;
    for (const p of pods) {
      const uid = p.metadata?.uid ?? '';
      const outcome = finishedAs(p);
      if (!outcome || seen.has(uid)) continue;
      // Deleted by this controller (finalizer already dropped, never ran to an end): not a failure.
      if (!p.status?.phase?.match(/^(Succeeded|Failed)$/) && !this.tracked(p)) continue;
      seen.add(uid);
      if (outcome === 'Succeeded') succeeded++;
      else if (!policy || p.status?.phase !== 'Failed' || matchPodFailurePolicy(policy, p).countFailed) failed++;
    }
    if (succeeded || failed) this.backoff.set(key, nextBackoffRecord(this.backoff.get(key), succeeded, failed, now));
  }

  /** Creates or deletes pods toward the wanted active count (upstream manageJob). */
  private async manageJob(key: string, job: Job, active: Pod[], counts: JobCounts, succeededIndexes: Set<number>): Promise<{ active: Pod[]; requeueAfterMs?: number }> {
    const want = wantActive(job, counts);
    if (active.length > want) {
      // Not-ready and newest first, as upstream's ActivePods ordering.
      const victims = [...active].sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b))
        || (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '')).slice(0, Math.min(active.length - want, MAX_POD_CREATE_DELETE_PER_SYNC));
      await this.deletePods(job, victims);
      return { active: active.filter((p) => !victims.includes(p)) };
    }
    if (active.length === want) return { active };
    const wait = remainingBackoffMs(this.backoff.get(key), this.ctx.clock.now());
    if (wait > 0) return { active, requeueAfterMs: wait };
    let count = Math.min(want - active.length, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] | undefined;
    if (job.spec?.completionMode === 'Indexed') {
      const activeIndexes = active.map(completionIndexOf).filter((i): i is number => i !== undefined);
      indexes = firstPendingIndexes(activeIndexes, succeededIndexes, count, job.spec?.completions ?? 1);
      count = indexes.length;
    }
    if (count === 0) return { active };
    this.expectations.expectCreations(key, count);
    let next = 0;
    const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, () => this.createPod(job, indexes?.[next++]));
    for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
    if (error) throw error;
    return { active };
  }

  private ref(job: Job): KubeObject {
    return { ...job, apiVersion: JOB_API_VERSION, kind: JOB_KIND } as KubeObject;
  }

  private async createPod(job: Job, index: number | undefined): Promise<void> {
    try {
      const pod = await this.podClient.create(job.metadata?.namespace ?? '', podFromJob(job, index));
      this.recorder.event(this.ref(job), 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
    } catch (e) {
      this.recorder.event(this.ref(job), 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message ?? String(e)}`);
      throw e;
    }
  }

  /** Deletes pods this controller no longer wants; they lose the tracking finalizer first (not counted). */
  private async deletePods(job: Job, victims: Pod[]): Promise<void> {
    await this.removeFinalizers(victims.filter((p) => this.tracked(p)));
    const results = await Promise.allSettled(victims.map((p) => this.podClient.delete(p.metadata?.namespace ?? '', p.metadata?.name ?? '', { preconditions: { uid: p.metadata?.uid } })));
    let first: unknown;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        this.recorder.event(this.ref(job), 'Normal', 'SuccessfulDelete', `Deleted pod: ${victims[i]!.metadata?.name}`);
      } else if (!isStatusError(r.reason, 'NotFound')) {
        this.recorder.event(this.ref(job), 'Warning', 'FailedDelete', `Error deleting: ${(r.reason as Error).message ?? String(r.reason)}`);
        first ??= r.reason;
      }
    });
    if (first) throw first;
  }

  private async removeFinalizers(pods: Pod[]): Promise<void> {
    const results = await Promise.allSettled(pods.map(async (p) => {
      await this.podClient.patch(p.metadata?.namespace ?? '', p.metadata?.name ?? '', 'strategic', removeTrackingFinalizerPatch(p.metadata?.uid));
      this.finalizerRemoved.add(p.metadata?.uid ?? '');
    }));
    pods.forEach((p, i) => {
      const r = results[i]!;
      // A pod already gone has nothing left to remove.
      if (r.status === 'rejected' && isStatusError(r.reason, 'NotFound')) this.finalizerRemoved.add(p.metadata?.uid ?? '');
    });
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isStatusError(r.reason, 'NotFound'));
    if (failed) throw failed.reason;
  }

  private async writeStatus(job: Job, status: JobStatus): Promise<Job> {
    return await this.jobClient.updateStatus(job.metadata?.namespace ?? '', { ...job, apiVersion: JOB_API_VERSION, kind: JOB_KIND, status } as KubeObject) as Job;
  }
}
