// The kubelet's pod workers (upstream podWorkers + PLEG + housekeeping): watches the pods bound to
// this node, syncs each pod in its own turn (one sync at a time per pod, pods in parallel), relists
// the runtime every second to notice containers that changed by themselves, resyncs every pod
// periodically, and cleans up what the runtime holds for pods that no longer exist.
//
// After a restart a new PodWorkers over the same runtime adopts what it finds: sandboxes and
// containers carry the pod's uid and the container's name and attempt (labels.ts), so running
// containers are matched to their pods and left running, and restart counts continue.
import type { KubeObject, Pod } from '../../api/index.js';
import { jsonEqual, podsRef as podsResource } from '../../api/light.js';
import { ApiEventRecorder, Informer, ItemExponentialRateLimiter, realClock, WorkQueue, type Client, type Clock, type EventRecorder, type TimerHandle } from '../../client/index.js';
import type { ContainerRuntime, ImageService } from '../../runtime/index.js';
import { ProbeManager } from '../probes/probe-manager.js';
import { StatusManager } from '../status/status-manager.js';
import { Backoff, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS } from './backoff.js';
import type { PodDeps } from './deps.js';
import { podEventSink } from './events.js';
import { ImagePuller } from './image-puller.js';
import { cleanUpPod, syncPod, terminatePod } from './pod-sync.js';
import { podRuntimeState, runtimeStateByPod, type PodRuntimeState } from './runtime-state.js';
import type { PodRecord, SyncContext } from './sync-context.js';

export interface PodWorkersOptions {
  client: Client;
  nodeName: string;
  runtime: ContainerRuntime;
  images: ImageService;
  deps: PodDeps;
  /** The node's addresses, reported as the pods' hostIP(s). */
  hostIPs?: string[];
  clock?: Clock;
  /** How often the runtime is relisted for changes (upstream PLEG: 1 s). */
  relistPeriodMs?: number;
  /** How often every pod is synced even without changes (default 60 s). */
  resyncPeriodMs?: number;
  /** Pods synced at the same time (default 8). */
  workers?: number;
  /** CrashLoopBackOff and ImagePullBackOff: first and longest delay (upstream 10 s, 300 s). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Records events (default: written to the API as component kubelet, host = node). */
  recorder?: EventRecorder;
  /** Failures that will be retried. Default: ignored. */
  onError?(err: unknown, key?: string): void;
}

const ORPHAN = 'orphan/';

export class PodWorkers {
  readonly statuses: StatusManager;
  readonly probes: ProbeManager;
  readonly recorder: EventRecorder;
  private readonly informer: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly ctx: SyncContext;
  private readonly clock: Clock;
  private readonly records = new Map<string, PodRecord>();
  /** Pod key → uid last synced under it; uid → key (probe verdicts name pods by uid). */
  private readonly uidOfKey = new Map<string, string>();
  private readonly keyOfUid = new Map<string, string>();
  private signatures = new Map<string, string>();
  /** Image pull and CrashLoopBackOff, cleaned of idle entries on each full resync. */
  private readonly backoffs: [Backoff, Backoff];
  private started = false;

  constructor(private readonly opts: PodWorkersOptions) {
    this.clock = opts.clock ?? realClock;
    const podClient = opts.client.resource(podsResource);
    this.statuses = new StatusManager(podClient);
    this.recorder = opts.recorder ?? new ApiEventRecorder(opts.client, 'kubelet', opts.nodeName, this.clock, (e) => opts.onError?.(e), { host: opts.nodeName, aggregate: true });
    this.queue = new WorkQueue<string>({ clock: this.clock, rateLimiter: new ItemExponentialRateLimiter<string>(100, 10_000) });
    this.informer = new Informer(podClient, { fieldSelector: `spec.nodeName=${opts.nodeName}`, onError: (e) => opts.onError?.(e) });
    const enqueue = (p: KubeObject) => this.queue.add(`${p.metadata?.namespace}/${p.metadata?.name}`);
    // As upstream's pod config (checkAndUpdatePod): a change of status alone — mostly this
    // kubelet's own writes — does not call for a sync; readiness-gate conditions set by others do.
    this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (o, n) => { if (needsSync(o as Pod, n as Pod)) enqueue(n); }, onDelete: enqueue });
    const event = podEventSink(this.recorder);
    this.probes = new ProbeManager({
      runtime: opts.runtime, clock: this.clock, onError: (e) => opts.onError?.(e),
      onChange: (uid) => { const key = this.keyOfUid.get(uid); if (key) this.queue.add(key); },
      event: (pod, c, type, reason, message) => event(pod, type, reason, message, c.name),
    });
    const backoff = () => new Backoff(this.clock, opts.backoffInitialMs ?? INITIAL_BACKOFF_MS, opts.backoffMaxMs ?? MAX_BACKOFF_MS);
    this.backoffs = [backoff(), backoff()];
    this.ctx = {
      runtime: opts.runtime, deps: opts.deps, puller: new ImagePuller(opts.images, this.backoffs[0], this.clock), crashBackoff: this.backoffs[1],
      probes: this.probes, event, clock: this.clock, hostIPs: opts.hostIPs ?? [],
    };
  }

  /** Runs until `signal` aborts; resolves once workers, informer and probes have stopped. Call once. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('PodWorkers already started');
    this.started = true;
    if (signal.aborted) return;
    const informerDone = this.informer.start(signal);
    const workers = Array.from({ length: this.opts.workers ?? 8 }, () => this.work());
    const relistEvery = this.opts.relistPeriodMs ?? 1000;
    const resyncEvery = this.opts.resyncPeriodMs ?? 60_000;
    let lastResync = this.clock.now();
    let timer: TimerHandle | undefined;
    const tick = (): void => {
      const full = this.clock.now() - lastResync >= resyncEvery;
      if (full) lastResync = this.clock.now();
      this.relist(full).catch((e) => this.opts.onError?.(e)).finally(() => {
        if (!signal.aborted) timer = this.clock.setTimer(relistEvery, tick);
      });
    };
    timer = this.clock.setTimer(0, tick);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    timer?.cancel();
    this.queue.shutDown();
    await Promise.all([informerDone, ...workers]);
    this.probes.stop();
    await this.recorder.flush();
  }

  /** Resolves once the pod informer has synced. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    return this.informer.waitForSync(signal);
  }

  /** Upstream PLEG relist: enqueues pods whose containers changed (all of them on a full resync) and orphans. */
  private async relist(full: boolean): Promise<void> {
    if (!this.informer.hasSynced()) return;
    if (full) for (const b of this.backoffs) b.gc();
    const byPod = await runtimeStateByPod(this.opts.runtime);
    const next = new Map<string, string>();
    const live = new Set<string>();
    for (const obj of this.informer.store.list()) {
      const uid = obj.metadata?.uid ?? '';
      live.add(uid);
      const st = byPod.get(uid);
      const sig = st ? [...st.sandboxes.map((s) => `${s.id}:${s.state}`), ...st.containers.map((c) => `${c.id}:${c.state}`)].join(',') : '';
      next.set(uid, sig);
      if (full || this.signatures.get(uid) !== sig) this.queue.add(`${obj.metadata?.namespace}/${obj.metadata?.name}`);
    }
    this.signatures = next;
    for (const uid of byPod.keys()) if (!live.has(uid) && !this.keyOfUid.has(uid)) this.queue.add(`${ORPHAN}${uid}`);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const requeue = await this.syncKey(key);
        this.queue.forget(key);
        if (requeue !== undefined) this.queue.addAfter(key, requeue);
      } catch (e) {
        this.opts.onError?.(e, key);
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async readState(uid: string): Promise<PodRuntimeState> {
    return podRuntimeState(this.opts.runtime, uid);
  }

  private async forget(uid: string): Promise<void> {
    await cleanUpPod(this.ctx, uid, await this.readState(uid));
    this.records.delete(uid);
    this.statuses.forget(uid);
    const key = this.keyOfUid.get(uid);
    this.keyOfUid.delete(uid);
    if (key && this.uidOfKey.get(key) === uid) this.uidOfKey.delete(key);
  }

  /** One pod's turn; returns when to sync it again, if a deadline or back-off says so. */
  private async syncKey(key: string): Promise<number | undefined> {
    if (key.startsWith(ORPHAN)) {
      await this.forget(key.slice(ORPHAN.length));
      return undefined;
    }
    const pod = this.informer.store.get(key) as Pod | undefined;
    const uid = pod?.metadata?.uid;
    const previous = this.uidOfKey.get(key);
    // Gone from the API (or replaced by a pod with a new uid): the old one's leftovers go.
    if (previous && previous !== uid) await this.forget(previous);
    if (!pod || !uid) return undefined;
    this.uidOfKey.set(key, uid);
    this.keyOfUid.set(uid, key);
    let rec = this.records.get(uid);
    if (!rec) {
      rec = { uid, firstSeen: this.clock.now(), waiting: new Map() };
      this.records.set(uid, rec);
    }
    const readState = () => this.readState(uid);
    if (pod.metadata?.deletionTimestamp) {
      await terminatePod(this.ctx, this.statuses, pod, rec, readState);
      return undefined;
    }
    return (await syncPod(this.ctx, this.statuses, pod, rec, readState)).requeueAfterMs;
  }
}

/** What a sync reads from the API object: metadata (less the write bookkeeping), spec, and the readiness gates' conditions. */
function syncedView(p: Pod): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = p.metadata ?? {};
  const gates = new Set((p.spec?.readinessGates ?? []).map((g) => g.conditionType));
  return [meta, p.spec, (p.status?.conditions ?? []).filter((c) => gates.has(c.type ?? ''))];
}

export function needsSync(old: Pod, pod: Pod): boolean {
  return !jsonEqual(syncedView(old), syncedView(pod));
}
