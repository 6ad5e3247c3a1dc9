// The scheduler's loop (upstream scheduler.go / schedule_one.go): pop a pod, run the profile's
// algorithm over a fresh snapshot, assume the pod on the chosen node, run Reserve and Permit,
// then bind asynchronously while the next pod is scheduled. The scheduling cycle is synchronous
// (no await between snapshot and assume), so informer events never interleave with it.
//
// Lifecycle: `start(signal)` lists/watches pods and nodes, schedules until `signal` aborts, then
// waits for in-flight bindings and informers and resolves. An aborted signal stops new bindings
// at once (a leader that lost its lease must not bind).
//
// Preemption: after a FitError, PostFilter (DefaultPreemption) may pick victims through the
// framework handle's `preempt`; their deletion runs asynchronously like a binding, the preemptor
// is nominated (status.nominatedNodeName) and retried when the victims' deletion frees room.
import { hostname } from 'node:os';
import { isStatusError, type KubeObject, type Pod } from '../api/index.js';
import { Informer, realClock, type Client, type Clock, type EventHandlers, type TimerHandle } from '../client/index.js';
import { FitError } from './algorithm/fit-error.js';
import { schedulePod } from './algorithm/schedule-pod.js';
import { SchedulerCache } from './cache/scheduler-cache.js';
import { DEFAULT_SCHEDULER_NAME, defaultConfiguration, type KubeSchedulerConfiguration } from './framework/config.js';
import { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import type { QueuedPodInfo } from './framework/interfaces.js';
import { buildProfiles, frameworkForPod } from './framework/profiles.js';
import type { Registry } from './framework/registry.js';
import { asStatus, SUCCESS, type Status } from './framework/status.js';
import { nodeEventHandlers, podEventHandlers } from './event-handlers.js';
import { Nominator } from './nominator.js';
import { newInTreeRegistry } from './plugins/registry.js';
import { trimNode, trimPod } from './informer-transforms.js';
import { ClusterListers } from './listers.js';
import { FORGOTTEN_POD } from './queue/cluster-events.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { Recorder, scheduledMessage } from './recorder.js';

export interface SchedulerOptions {
  client: Client;
  /**
   * The client for `pods/binding` POSTs alone (default `client`): schedulerClients gives it
   * BINDING_CLIENT_CONNECTIONS, pipelined connections kept apart from the lists, watches, lease
   * renewals, preemption's deletes and events.
   */
  bindingClient?: Client;
  /** A KubeSchedulerConfiguration (already parsed); defaults to upstream's. */
  config?: KubeSchedulerConfiguration;
  /** Plugins by name; defaults to the in-tree registry. */
  registry?: Registry;
  clock?: Clock;
  /** This instance's name in events (reportingInstance); defaults to the hostname. */
  identity?: string;
  /** Failures the scheduler recovers from (API errors, plugin errors). Default: ignored. */
  onError?(err: unknown): void;
  /** Informer retry delays (tests shorten them). */
  informerBackoff?: { initialMs?: number; maxMs?: number };
}

/** Longest run of scheduling cycles without letting the event loop turn (wall-clock ms). */
const YIELD_EVERY_MS = 2;
/**
 * Binding requests in flight beyond which the loop waits for one to end before the next cycle:
 * enough to keep the API server busy while each binding waits for its store commit (the more
 * bindings a commit takes, the less each costs the server), few enough that a backlog scheduled
 * faster than the API server binds does not pile up thousands of pending requests (and their
 * memory) in the client. Placement is unaffected: assumed pods are accounted. Events are not
 * counted (their bounded queue drops what it cannot hold).
 */
export const MAX_BINDINGS_IN_FLIGHT = 512;

/**
 * The scheduler's connections for bindings: MAX_BINDINGS_IN_FLIGHT POSTs pipelined over 32
 * connections, so that the API server's group commits take hundreds of bindings at once without
 * hundreds of connections. Only bindings: their answers are small Status objects, and a binding
 * repeated after its connection was lost before the answer is refused with 409 (the pod is bound
 * already; it leaves the queue with its update). Pipelining requests with large answers (the
 * deleted pods preemption gets back) made Node's HTTP server pause the connection's parser and
 * fail it (HPE_PAUSED), and put lease renewals behind queued bindings. Measured on the backlog
 * (docs/PERFORMANCE.md): 64 connections, one request each, 37 % of the raw binding rate;
 * 256 × 1, 70–81 %; 32 × 8 (256 in flight), 84–94 %; 32 × 16, 90–94 %.
 */
export const BINDING_CLIENT_CONNECTIONS = { maxSockets: 32, pipelining: MAX_BINDINGS_IN_FLIGHT / 32 };

/** Why a binding cycle did not bind: the scheduler is stopping (e.g. lost its lease). */
const STOPPED = asStatus('scheduler stopped');

const isNotFound = (e: unknown): boolean => isStatusError(e, 'NotFound');

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' };

export class Scheduler {
  readonly queue: SchedulingQueue;
  readonly cache: SchedulerCache;
  readonly profiles: Map<string, Framework>;
  readonly nominator = new Nominator();
  /** Services, workload controllers and namespaces, for default spreading and namespaceSelectors. */
  private readonly listers: ClusterListers;
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly recorder: Recorder;
  private readonly onError: (err: unknown) => void;
  /** In-flight binding cycles and preemption/nomination writes (a count); `start` waits for them. */
  private pendingWork = 0;
  /** Resolves `start`'s wait once pendingWork is back to 0. */
  private onIdle: (() => void) | undefined;
  /** PreBind + Bind calls not finished yet (the loop's back-pressure, see MAX_BINDINGS_IN_FLIGHT). */
  private bindingsInFlight = 0;
  /** Resolves the scheduling loop's wait once fewer than MAX_BINDINGS_IN_FLIGHT are in flight. */
  private onRoom: (() => void) | undefined;
  private readonly workDone = (): void => {
    if (--this.pendingWork === 0) this.onIdle?.();
  };
  private readonly workFailed = (e: unknown): void => {
    this.onError(e);
    this.workDone();
  };
  private nextStartNodeIndex = 0;
  private stopped: AbortSignal = AbortSignal.abort();

  constructor(private readonly opts: SchedulerOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.onError = opts.onError ?? (() => {});
    const cfg = defaultConfiguration(opts.config ?? {});
    const pods = (opts.bindingClient ?? this.client).resource(PODS);
    const binder = async (pod: Pod, nodeName: string): Promise<void> => {
      const ns = pod.metadata?.namespace ?? '';
      await pods.createSubresource(ns, pod.metadata?.name ?? '', 'binding', {
        apiVersion: 'v1', kind: 'Binding',
        metadata: { name: pod.metadata?.name, namespace: ns, uid: pod.metadata?.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      } as never);
    };
    this.listers = new ClusterListers(this.client, { onError: this.onError, backoff: opts.informerBackoff });
    const registry = (opts.registry ?? newInTreeRegistry()).withInjectedArgs({
      PodTopologySpread: { defaultSelector: this.listers.defaultSelector },
      InterPodAffinity: { namespaceLabels: this.listers.namespaceLabels },
    });
    this.profiles = buildProfiles(registry, cfg, {
      clock: () => this.clock.now(), binder,
      preempt: (preemptor, nodeName, victims) => this.track(this.preempt(preemptor, nodeName, victims)),
      nominatedPodsForNode: (nodeName) => this.nominator.nominatedPodsForNode(nodeName),
      hasNominatedPods: () => this.nominator.size > 0,
    });
    const first = this.profiles.values().next().value as Framework;
    this.queue = new SchedulingQueue({
      clock: this.clock,
      less: (a, b) => first.queueSortLess(a, b),
      preEnqueue: (pod) => frameworkForPod(this.profiles, pod)?.runPreEnqueuePlugins(pod) ?? SUCCESS,
      podInitialBackoffMs: (cfg.podInitialBackoffSeconds ?? 1) * 1000,
      podMaxBackoffMs: (cfg.podMaxBackoffSeconds ?? 10) * 1000,
    });
    this.cache = new SchedulerCache({ clock: this.clock });
    this.recorder = new Recorder(this.client, opts.identity ?? hostname(), () => this.clock.now(), this.onError);
  }

  /** Runs until `signal` aborts; resolves after a clean stop. Call once. */
  async start(signal: AbortSignal): Promise<void> {
    this.stopped = signal;
    const targets = { queue: this.queue, cache: this.cache, responsibleFor: (p: Pod) => !!frameworkForPod(this.profiles, p) };
    const informerOpts = { onError: this.onError, backoff: this.opts.informerBackoff };
    // Cached trimmed to what scheduling reads (see informer-transforms.ts): most of its memory.
    const podInformer = new Informer(this.client.resource(PODS), { ...informerOpts, transform: trimPod });
    const nodeInformer = new Informer(this.client.resource(NODES), { ...informerOpts, transform: trimNode });
    podInformer.addEventHandler(podEventHandlers(targets));
    podInformer.addEventHandler(this.nominatorHandlers(targets.responsibleFor));
    nodeInformer.addEventHandler(nodeEventHandlers(targets));
    const informers = [podInformer.start(signal), nodeInformer.start(signal), this.listers.run(signal)];
    const queueRun = this.queue.run(signal);
    // Assumed pods whose binding never showed up are dropped every second (upstream cleanupAssumedPods).
    let cleanup: TimerHandle | undefined;
    const tick = () => {
      if (signal.aborted) return;
      if (this.cache.cleanupExpiredAssumedPods().length > 0) this.queue.moveAllToActiveOrBackoffQueue(FORGOTTEN_POD);
      cleanup = this.clock.setTimer(1000, tick);
    };
    cleanup = this.clock.setTimer(1000, tick);
    try {
      if ((await podInformer.waitForSync(signal)) && (await nodeInformer.waitForSync(signal))) {
        let sliceStart = performance.now();
        // A loop waiting for room must notice that it has to stop.
        signal.addEventListener('abort', () => { const room = this.onRoom; this.onRoom = undefined; room?.(); }, { once: true });
        for (;;) {
          const qpi = await this.queue.pop(signal);
          if (!qpi) break;
          try {
            this.scheduleOne(qpi);
          } catch (e) {
            this.onError(e);
            this.queue.addUnschedulableIfNotPresent({ ...qpi, unschedulablePlugins: undefined }, this.queue.currentCycle);
          }
          // Let informer events and bindings progress between cycles, at least every YIELD_EVERY_MS:
          // a turn of the event loop per pod costs more than the cycle itself when a backlog is
          // drained, and the binding requests issued meanwhile go out together. The assume cache
          // already accounts every pod scheduled in the slice.
          if (this.bindingsInFlight >= MAX_BINDINGS_IN_FLIGHT) {
            await new Promise<void>((r) => { this.onRoom = r; });
            sliceStart = performance.now();
          } else if (performance.now() - sliceStart >= YIELD_EVERY_MS) {
            await new Promise<void>((r) => setImmediate(r));
            sliceStart = performance.now();
          }
        }
      }
    } finally {
      cleanup?.cancel();
      this.queue.close();
      if (this.pendingWork > 0) await new Promise<void>((r) => { this.onIdle = r; });
      await Promise.allSettled([...informers, queueRun]);
    }
  }

  /** One scheduling cycle (upstream ScheduleOne up to the asynchronous binding cycle). */
  private scheduleOne(qpi: QueuedPodInfo): void {
    const pod = qpi.pod;
    const cycle = this.queue.currentCycle;
    const fwk = frameworkForPod(this.profiles, pod);
    if (!fwk || pod.metadata?.deletionTimestamp || this.cache.isAssumedPod(pod)) {
      this.queue.done(pod);
      return;
    }
    const state = new CycleState();
    let host: string;
    try {
      const result = schedulePod(fwk, state, this.cache.updateSnapshot(), pod, { nextStartNodeIndex: this.nextStartNodeIndex });
      this.nextStartNodeIndex = result.nextStartNodeIndex;
      host = result.suggestedHost;
    } catch (e) {
      if (e instanceof FitError) {
        if (fwk.hasPostFilterPlugins()) {
          const post = fwk.runPostFilterPlugins(state, pod, e.diagnosis);
          if (!post.status.isSuccess() && post.status.message()) e.diagnosis.postFilterMsg = post.status.message();
          const nominated = post.result?.nominatedNodeName;
          if (nominated !== undefined) this.nominate(pod, nominated);
        }
        this.failed(qpi, cycle, 'Unschedulable', e.message, new Set([...e.diagnosis.unschedulablePlugins, ...e.diagnosis.pendingPlugins]));
      } else {
        this.failed(qpi, cycle, 'SchedulerError', (e as Error).message);
      }
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName: host } };
    this.cache.assumePod(assumed);
    // The pod is accounted on its node now; its nomination would count it twice.
    this.nominator.delete(pod);
    const undo = (reason: string, s: Status) => {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      this.failed(qpi, cycle, reason, s.message(), s.isRejected() ? new Set([s.plugin]) : undefined);
    };
    const reserve = fwk.runReservePluginsReserve(state, assumed, host);
    if (!reserve.isSuccess()) return undo(reserve.isRejected() ? 'Unschedulable' : 'SchedulerError', reserve);
    const permit = fwk.runPermitPlugins(state, assumed, host);
    if (!permit.status.isSuccess()) {
      // Waiting on Permit is not supported (no in-tree plugin waits): treated as a rejection.
      return undo(permit.status.isRejected() || permit.status.isWait() ? 'Unschedulable' : 'SchedulerError', permit.status);
    }
    this.track(this.bindingCycle(fwk, state, qpi, cycle, assumed, host));
  }

  /** Keeps an asynchronous side task so that `start` waits for it before resolving. */
  private track(work: Promise<void>): void {
    this.pendingWork++;
    work.then(this.workDone, this.workFailed);
  }

  /**
   * Upstream handleSchedulingFailure's nomination: records `nodeName` for `pod` (or clears it
   * when '') in the nominator and in the pod's status.nominatedNodeName.
   */
  private nominate(pod: Pod, nodeName: string): void {
    const current = pod.status?.nominatedNodeName ?? '';
    this.nominator.add(pod, nodeName);
    if (current === nodeName) return;
    this.track(this.patchNominatedNodeName(pod, nodeName));
  }

  private async patchNominatedNodeName(pod: Pod, nodeName: string): Promise<void> {
    try {
      await this.client.resource(PODS).patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'merge', { status: { nominatedNodeName: nodeName || null } }, 'status');
    } catch (e) {
      if (!isNotFound(e)) this.onError(e);
    }
  }

  /**
   * Upstream prepareCandidate: marks each victim DisruptionTarget=True, deletes it, records a
   * Preempted event on it, and clears the nominations of lower-priority pods to `nodeName`
   * (they may no longer fit there). Victims already gone are skipped silently.
   */
  private async preempt(preemptor: Pod, nodeName: string, victims: readonly Pod[]): Promise<void> {
    if (this.stopped.aborted) return;
    const pods = this.client.resource(PODS);
    const schedulerName = preemptor.spec?.schedulerName || DEFAULT_SCHEDULER_NAME;
    const lower = this.nominator.lowerPriorityNominatedPods(preemptor, nodeName);
    for (const p of lower) this.nominator.delete(p);
    await Promise.all(victims.map(async (victim) => {
      const ns = victim.metadata?.namespace ?? '';
      const name = victim.metadata?.name ?? '';
      try {
        const condition = {
          type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler',
          message: `${schedulerName}: preempting to accommodate a higher priority pod`,
          lastTransitionTime: new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
        };
        await pods.patch(ns, name, 'strategic', { status: { conditions: [condition] } }, 'status');
        await pods.delete(ns, name);
      } catch (e) {
        if (!isNotFound(e)) this.onError(e);
        return;
      }
      await this.recorder.event(victim, { type: 'Normal', reason: 'Preempted', action: 'Preempting', message: `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${nodeName}` });
    }));
    await Promise.all(lower.map((p) => this.patchNominatedNodeName(p, '')));
  }

  /** Keeps the nominator in step with pods' status.nominatedNodeName as the informer sees them. */
  private nominatorHandlers(responsibleFor: (p: Pod) => boolean): EventHandlers {
    const pending = (p: Pod): boolean => !p.spec?.nodeName && !p.metadata?.deletionTimestamp && responsibleFor(p)
      && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
    return {
      onAdd: (obj: KubeObject) => {
        const pod = obj as Pod;
        if (pending(pod) && pod.status?.nominatedNodeName) this.nominator.add(pod, pod.status.nominatedNodeName);
      },
      onUpdate: (oldObj: KubeObject, newObj: KubeObject) => {
        const pod = newObj as Pod;
        if (pending(pod)) this.nominator.update(oldObj as Pod, pod);
        else this.nominator.delete(pod);
      },
      onDelete: (obj: KubeObject) => this.nominator.delete(obj as Pod),
    };
  }

  /** PreBind, Bind, PostBind (upstream bindingCycle); runs concurrently with later cycles. */
  private async bindingCycle(fwk: Framework, state: CycleState, qpi: QueuedPodInfo, cycle: number, assumed: Pod, host: string): Promise<void> {
    let status: Status;
    this.bindingsInFlight++;
    try {
      status = this.stopped.aborted ? STOPPED : await fwk.runPreBindPlugins(state, assumed, host);
      if (status.isSuccess()) status = this.stopped.aborted ? STOPPED : await fwk.runBindPlugins(state, assumed, host);
    } finally {
      this.bindingsInFlight--;
      if (this.onRoom && this.bindingsInFlight < MAX_BINDINGS_IN_FLIGHT) {
        const room = this.onRoom;
        this.onRoom = undefined;
        room();
      }
    }
    if (status.isSkip()) status = asStatus(`no bind plugin bound pod "${assumed.metadata?.name ?? ''}"`);
    if (!status.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, assumed, host);
      this.cache.forgetPod(assumed);
      if (this.stopped.aborted) {
        this.queue.done(assumed);
        return;
      }
      // The assumed pod's resources are free again (upstream moves with AssignedPodDelete).
      this.queue.moveAllToActiveOrBackoffQueue(FORGOTTEN_POD);
      this.failed(qpi, cycle, 'SchedulerError', `Binding rejected: ${status.message()}`);
      return;
    }
    this.cache.finishBinding(assumed);
    this.queue.done(assumed);
    fwk.runPostBindPlugins(state, assumed, host);
    await this.recorder.event(assumed, { type: 'Normal', reason: 'Scheduled', action: 'Binding', message: scheduledMessage(assumed, host) });
  }

  /**
   * Upstream handleSchedulingFailure: a FailedScheduling event, the pod back in the queue (by
   * `plugins`: unschedulable until a helpful event; none: backoff), and PodScheduled=False.
   */
  private failed(qpi: QueuedPodInfo, cycle: number, reason: string, message: string, plugins?: Set<string>): void {
    const pod = qpi.pod;
    this.queue.addUnschedulableIfNotPresent({ ...qpi, unschedulablePlugins: plugins }, cycle);
    // Dropped by the queue: the pod was deleted or assigned meanwhile, nothing to report.
    if (this.queue.where(pod) === undefined) return;
    void this.recorder.event(pod, { type: 'Warning', reason: 'FailedScheduling', action: 'Scheduling', message });
    void this.recorder.podScheduledFalse(pod, reason, message);
  }
}
