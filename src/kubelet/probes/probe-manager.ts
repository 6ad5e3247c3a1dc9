// Upstream prober manager and workers: one worker per pod, container and probe type, probing every
// periodSeconds after initialDelaySeconds, turning single results into verdicts with
// successThreshold/failureThreshold. Liveness and readiness wait until the startup probe passed;
// after a liveness or startup failure the worker holds until the container is replaced.
//
// The pod worker calls `update` after every sync (the containers it sees) and `removePod` when the
// pod is gone; the manager calls `onChange(podUID)` when a verdict changes so the pod is synced.
import type { Pod } from '../../api/index.js';
import type { Clock, TimerHandle } from '../../client/index.js';
import type { ContainerRuntime, ContainerStatus } from '../../runtime/index.js';
import type { ContainerHealth } from '../pods/pod-actions.js';
import { latestContainer, type Container, type PodRuntimeState } from '../pods/runtime-state.js';
import { runHandler, type Handler } from './prober.js';
import type { ProbeOutcome } from './probe-result.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

const TITLE: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface ProbeEventSink {
  (pod: Pod, container: Container, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface ProbeManagerOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  /** Called when a verdict changed (liveness/startup failed, readiness toggled, startup passed). */
  onChange(podUID: string): void;
  event?: ProbeEventSink;
  onError?(err: unknown): void;
}

interface Worker {
  type: ProbeType;
  pod: Pod;
  spec: Container;
  probe: Handler;
  podIP?: string;
  current?: ContainerStatus;
  /** The container the verdicts below are about. */
  containerId?: string;
  lastResult?: 'success' | 'failure';
  run: number;
  onHold: boolean;
  timer?: TimerHandle;
  busy: boolean;
  stopped: boolean;
}

export class ProbeManager implements ContainerHealth {
  readonly livenessFailed = new Set<string>();
  readonly startupFailed = new Set<string>();
  readonly startupSucceeded = new Set<string>();
  readonly readinessSucceeded = new Set<string>();
  private readonly workers = new Map<string, Worker>();

  constructor(private readonly opts: ProbeManagerOptions) {}

  /** Starts workers for the pod's probes (idempotent) and hands them the containers now present. */
  update(pod: Pod, state: PodRuntimeState, podIP?: string): void {
    const uid = pod.metadata?.uid ?? '';
    const specs = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
    for (const spec of specs) {
      for (const type of ['startup', 'liveness', 'readiness'] as const) {
        const probe = spec[`${type}Probe`];
        if (!probe) continue;
        const key = `${uid}/${spec.name}/${type}`;
        let w = this.workers.get(key);
        if (!w) {
          w = { type, pod, spec, probe, run: 0, onHold: false, busy: false, stopped: false };
          this.workers.set(key, w);
          this.schedule(w, 0);
        }
        w.pod = pod;
        w.podIP = podIP;
        w.current = latestContainer(state, spec.name ?? '');
        if (w.current && w.current.id !== w.containerId) this.reset(w, w.current.id);
      }
    }
  }

  /** Stops the pod's workers and forgets their verdicts. */
  removePod(uid: string): void {
    for (const [key, w] of this.workers) {
      if (!key.startsWith(`${uid}/`)) continue;
      w.stopped = true;
      w.timer?.cancel();
      if (w.containerId) this.clear(w.type, w.containerId);
      this.workers.delete(key);
    }
  }

  stop(): void {
    for (const uid of new Set([...this.workers.keys()].map((k) => k.split('/')[0]!))) this.removePod(uid);
  }

  private clear(type: ProbeType, id: string): void {
    if (type === 'liveness') this.livenessFailed.delete(id);
    else if (type === 'readiness') this.readinessSucceeded.delete(id);
    else {
      this.startupFailed.delete(id);
      this.startupSucceeded.delete(id);
    }
  }

  /** A new container: initial verdicts (liveness success, readiness failure, startup unknown). */
  private reset(w: Worker, id: string): void {
    if (w.containerId) this.clear(w.type, w.containerId);
    w.containerId = id;
    w.lastResult = undefined;
    w.run = 0;
    w.onHold = false;
  }

  private schedule(w: Worker, ms: number): void {
    if (w.stopped) return;
    w.timer = this.opts.clock.setTimer(ms, () => {
      if (w.busy || w.stopped) return;
      w.busy = true;
      this.probeOnce(w).catch((e) => this.opts.onError?.(e)).finally(() => {
        w.busy = false;
        this.schedule(w, (w.probe.periodSeconds ?? 10) * 1000);
      });
    });
  }

  private started(w: Worker, id: string): boolean {
    return !w.spec.startupProbe || this.startupSucceeded.has(id);
  }

  /** Upstream worker.doProbe. */
  private async probeOnce(w: Worker): Promise<void> {
    const c = w.current;
    if (!c || c.id !== w.containerId || w.onHold) return;
    const uid = w.pod.metadata?.uid ?? '';
    if (c.state !== 'running') {
      if (w.type === 'readiness' && this.readinessSucceeded.delete(c.id)) this.opts.onChange(uid);
      return;
    }
    if (w.type === 'readiness' && w.pod.metadata?.deletionTimestamp) return;
    const since = this.opts.clock.now() - (c.startedAt ?? c.createdAt);
    if (since < (w.probe.initialDelaySeconds ?? 0) * 1000) return;
    if (w.type === 'startup' ? this.startupSucceeded.has(c.id) : !this.started(w, c.id)) return;
    let outcome: ProbeOutcome;
    try {
      const r = await runHandler(w.probe, { runtime: this.opts.runtime, containerId: c.id, container: w.spec, podIP: w.podIP }, (w.probe.timeoutSeconds ?? 1) * 1000);
      outcome = r.result;
      if (r.result === 'failure') this.opts.event?.(w.pod, w.spec, 'Warning', 'Unhealthy', `${TITLE[w.type]} probe failed: ${r.output}`);
      else if (r.result === 'warning') this.opts.event?.(w.pod, w.spec, 'Warning', 'ProbeWarning', `${TITLE[w.type]} probe warning: ${r.output}`);
    } catch (e) {
      // An error (the container went away mid-probe) keeps the last verdict, as upstream.
      this.opts.onError?.(e);
      return;
    }
    if (w.stopped || c.id !== w.containerId) return;
    const result = outcome === 'failure' ? 'failure' : 'success';
    if (w.lastResult === result) w.run++;
    else {
      w.lastResult = result;
      w.run = 1;
    }
    if ((result === 'failure' && w.run < (w.probe.failureThreshold ?? 3)) || (result === 'success' && w.run < (w.probe.successThreshold ?? 1))) return;
    if (this.set(w.type, c.id, result)) this.opts.onChange(uid);
    if ((w.type === 'liveness' || w.type === 'startup') && result === 'failure') {
      w.onHold = true;
      w.run = 0;
    }
  }

  /** Records a verdict; true when it changed. */
  private set(type: ProbeType, id: string, result: 'success' | 'failure'): boolean {
    const ok = result === 'success';
    const toggle = (set: Set<string>, on: boolean) => {
      const had = set.has(id);
      if (on) set.add(id); else set.delete(id);
      return had !== on;
    };
    if (type === 'liveness') return toggle(this.livenessFailed, !ok);
    if (type === 'readiness') return toggle(this.readinessSucceeded, ok);
    const a = toggle(this.startupSucceeded, ok);
    const b = toggle(this.startupFailed, !ok);
    return a || b;
  }
}
