// The scheduling queue (upstream internal/queue.PriorityQueue): pending pods wait in one of
//  - activeQ: ready to be tried, ordered by the profile's QueueSort `less` (priority, then age);
//  - backoffQ: failed recently, ordered by when their backoff expires (1 s doubling to 10 s);
//  - unschedulable: rejected by plugins; moved out by a cluster event that may help
//    (moveAllToActiveOrBackoffQueue) or after 5 minutes at most;
//  - gated: refused by a PreEnqueue plugin (scheduling gates), re-checked when the pod changes.
// A popped pod is "in flight" until the scheduler calls `done` (bound) or
// `addUnschedulableIfNotPresent` (failed). Time comes from the injected Clock; `run` drives the
// periodic flushes, tests may call the flush methods directly.
import type { Pod } from '../../api/index.js';
import type { Clock, TimerHandle } from '../../client/index.js';
import type { QueuedPodInfo } from '../framework/interfaces.js';
import { podKey } from '../framework/node-info.js';
import type { Status } from '../framework/status.js';
import { eventMayHelp, podSchedulingChanged, type ClusterEvent } from './cluster-events.js';
import { KeyedHeap } from './heap.js';

export interface SchedulingQueueOptions {
  clock: Clock;
  /** The QueueSort plugin's less function (all profiles share one, as upstream requires). */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  /** PreEnqueue plugins of the pod's profile; a non-success keeps the pod gated. */
  preEnqueue?(pod: Pod): Status;
  /** Default 1000 ms (podInitialBackoffSeconds). */
  podInitialBackoffMs?: number;
  /** Default 10000 ms (podMaxBackoffSeconds). */
  podMaxBackoffMs?: number;
  /** How long a pod may stay unschedulable before it is retried anyway (default 5 min). */
  podMaxInUnschedulablePodsDurationMs?: number;
}

interface InFlight {
  /** The newest version seen while the pod was being scheduled. */
  pod: Pod;
  deleted: boolean;
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly gated = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waiters: (() => void)[] = [];
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  /** Incremented by every pop (upstream schedulingCycle). */
  private schedulingCycle = 0;
  /** The cycle at which the last move request happened (upstream moveRequestCycle). */
  private moveRequestCycle = -1;
  private closed = false;

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.clock = opts.clock;
    this.initialBackoffMs = opts.podInitialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.podMaxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.podMaxInUnschedulablePodsDurationMs ?? 5 * 60_000;
    const key = (p: QueuedPodInfo) => podKey(p.pod);
    this.activeQ = new KeyedHeap(key, (a, b) => opts.less(a, b));
    this.backoffQ = new KeyedHeap(key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** A new pending pod (informer add). Ignored if the pod is already queued or in flight. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.has(key) || this.inFlight.has(key)) return;
    const now = this.clock.now();
    this.addToActiveOrGated({ pod, timestamp: now, attempts: 0, initialAttemptTimestamp: now });
  }

  /** A pending pod changed (informer update). */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    const flight = this.inFlight.get(key);
    if (flight) {
      flight.pod = newPod;
      return;
    }
    const active = this.activeQ.get(key);
    if (active) {
      this.activeQ.addOrUpdate({ ...active, pod: newPod });
      return;
    }
    const backoff = this.backoffQ.get(key);
    if (backoff) {
      this.backoffQ.addOrUpdate({ ...backoff, pod: newPod });
      return;
    }
    const gated = this.gated.get(key);
    if (gated) {
      this.gated.delete(key);
      this.addToActiveOrGated({ ...gated, pod: newPod });
      return;
    }
    const unsched = this.unschedulable.get(key);
    if (unsched) {
      const updated = { ...unsched, pod: newPod };
      if (!podSchedulingChanged(oldPod, newPod)) {
        this.unschedulable.set(key, updated);
        return;
      }
      this.unschedulable.delete(key);
      if (this.isBackingOff(updated)) this.backoffQ.addOrUpdate(updated);
      else this.addToActiveOrGated(updated);
      return;
    }
    this.add(newPod);
  }

  /** The pod was deleted or got assigned: it leaves the queue (an in-flight attempt is dropped later). */
  delete(pod: Pod): void {
    const key = podKey(pod);
    const flight = this.inFlight.get(key);
    if (flight) flight.deleted = true;
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.gated.delete(key);
  }

  /**
   * The next pod to schedule, waiting while the activeQ is empty; `undefined` once `signal`
   * aborts or the queue is closed. The pod is in flight until `done` or `addUnschedulableIfNotPresent`.
   */
  async pop(signal: AbortSignal): Promise<QueuedPodInfo | undefined> {
    for (;;) {
      if (signal.aborted || this.closed) return undefined;
      const next = this.activeQ.pop();
      if (next) {
        this.schedulingCycle++;
        next.attempts++;
        this.inFlight.set(podKey(next.pod), { pod: next.pod, deleted: false });
        return next;
      }
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => { signal.removeEventListener('abort', onAbort); resolve(); });
      });
    }
  }

  /** The cycle number of the last pop (pass it back to addUnschedulableIfNotPresent). */
  get currentCycle(): number { return this.schedulingCycle; }

  /** The scheduling attempt of an in-flight pod ended (bound, or dropped). */
  done(pod: Pod): void {
    this.inFlight.delete(podKey(pod));
  }

  /**
   * A failed attempt (upstream AddUnschedulableIfNotPresent). `podInfo.unschedulablePlugins`
   * empty means an error: the pod goes to backoffQ. So does a pod for which a move request came
   * while it was being scheduled (`cycle` is the pop's cycle). Others wait in unschedulable.
   * Deleted pods are dropped; the newest version seen in flight is kept.
   */
  addUnschedulableIfNotPresent(podInfo: QueuedPodInfo, cycle: number): void {
    const key = podKey(podInfo.pod);
    const flight = this.inFlight.get(key);
    this.inFlight.delete(key);
    if (flight?.deleted) return;
    if (this.has(key)) return;
    const pi: QueuedPodInfo = { ...podInfo, pod: flight?.pod ?? podInfo.pod, timestamp: this.clock.now() };
    const isError = !pi.unschedulablePlugins || pi.unschedulablePlugins.size === 0;
    if (isError || this.moveRequestCycle >= cycle) this.backoffQ.addOrUpdate(pi);
    else this.unschedulable.set(key, pi);
  }

  /**
   * A cluster event happened (node added/changed, assigned pod deleted): every unschedulable pod
   * it may help goes to activeQ, or backoffQ while its backoff lasts.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent): void {
    for (const [key, pi] of this.unschedulable) {
      if (!eventMayHelp(event, pi.unschedulablePlugins)) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(pi)) this.backoffQ.addOrUpdate(pi);
      else this.addToActiveOrGated({ ...pi, timestamp: this.clock.now() });
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** Moves pods whose backoff expired to activeQ (upstream flushBackoffQCompleted, every second). */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.backoffExpiry(head) > now) break;
      this.backoffQ.pop();
      this.addToActiveOrGated(head);
    }
  }

  /** Retries pods unschedulable for longer than the maximum (upstream flushUnschedulablePodsLeftover). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    for (const [key, pi] of this.unschedulable) {
      if (now - pi.timestamp < this.maxUnschedulableMs) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(pi)) this.backoffQ.addOrUpdate(pi);
      else this.addToActiveOrGated(pi);
    }
  }

  /** Runs the periodic flushes (1 s and 30 s, as upstream) until `signal` aborts, then wakes poppers. */
  async run(signal: AbortSignal): Promise<void> {
    const timers: TimerHandle[] = [];
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (signal.aborted) return;
        fn();
        timers[slot] = this.clock.setTimer(ms, tick);
      };
      const slot = timers.length;
      timers.push(this.clock.setTimer(ms, tick));
    };
    every(1000, () => this.flushBackoffQCompleted());
    every(30_000, () => this.flushUnschedulablePodsLeftover());
    await new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    for (const t of timers) t.cancel();
    this.close();
  }

  /** Wakes every pop; later pops return undefined. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Backoff of a pod after `attempts` tries: initial · 2^(attempts-1), capped (upstream calculateBackoffDuration). */
  backoffDuration(pi: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < pi.attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return d;
  }

  /** Counts per sub-queue, for tests and status. */
  stats(): { active: number; backoff: number; unschedulable: number; gated: number; inFlight: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, gated: this.gated.size, inFlight: this.inFlight.size };
  }

  /** Where a pod currently waits, if anywhere. */
  where(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'gated' | 'inFlight' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.gated.has(key)) return 'gated';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  private has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.gated.has(key);
  }

  private backoffExpiry(pi: QueuedPodInfo): number {
    return pi.timestamp + this.backoffDuration(pi);
  }

  private isBackingOff(pi: QueuedPodInfo): boolean {
    return pi.attempts > 0 && this.backoffExpiry(pi) > this.clock.now();
  }

  private addToActiveOrGated(pi: QueuedPodInfo): void {
    const gate = this.opts.preEnqueue?.(pi.pod);
    if (gate && !gate.isSuccess()) {
      this.gated.set(podKey(pi.pod), pi);
      return;
    }
    this.activeQ.addOrUpdate(pi);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
