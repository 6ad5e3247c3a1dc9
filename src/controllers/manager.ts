// The controller manager role (upstream kube-controller-manager): runs the enabled controllers
// while this instance holds the Lease kube-system/kube-controller-manager (upstream
// --leader-elect), so two instances never both act. Each term of leadership builds fresh shared
// informers and controllers and aborts them the moment leadership ends, before the lease can pass
// on; `start` resolves after everything stopped and the lease was released.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ApiEventRecorder, realClock, runLeaderElected, type Client, type Clock, type EventRecorder } from '../client/index.js';
import type { Controller, ControllerConfig, ControllerContext, ControllerDescriptor } from './controller.js';
import { CONTROLLERS, enabledControllers } from './registry.js';
import { SharedInformers } from './shared-informers.js';

export interface ControllerManagerOptions {
  client: Client;
  /** `--controllers` items (default `['*']`). */
  controllers?: readonly string[];
  /** The controllers to choose from (default: every known controller). */
  known?: readonly ControllerDescriptor[];
  /** Campaign for the lease before acting (default true, as upstream). */
  leaderElect?: boolean;
  /** Default kube-system / kube-controller-manager. */
  leaseNamespace?: string;
  leaseName?: string;
  /** Upstream defaults: 15 s, 10 s, 2 s. */
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Default hostname_uuid, as upstream. */
  identity?: string;
  clock?: Clock;
  /** Failures the controllers recover from. Default: ignored. */
  onError?(err: unknown): void;
  /** Called with this instance's identity when it starts and stops leading. */
  onLeading?(identity: string, leading: boolean): void;
  /** Flag-derived settings handed to every controller (`--node-monitor-grace-period`, …). */
  config?: ControllerConfig;
  /** Informer retry delays (tests shorten them). */
  informerBackoff?: { initialMs?: number; maxMs?: number };
}

export class ControllerManager {
  readonly identity: string;
  /** The controllers to run, resolved from `controllers` at construction (throws on unknown names). */
  readonly enabled: readonly ControllerDescriptor[];
  private current: Map<string, Controller> | undefined;

  constructor(private readonly opts: ControllerManagerOptions) {
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
    this.enabled = enabledControllers(opts.controllers ?? ['*'], opts.known ?? CONTROLLERS);
  }

  /** The controllers of the current term by name, while leading (tests, status). */
  get controllers(): ReadonlyMap<string, Controller> | undefined { return this.current; }

  /** Runs until `signal` aborts; resolves after every controller stopped and the lease was released. */
  async start(signal: AbortSignal): Promise<void> {
    await runLeaderElected({
      client: this.opts.client, leaderElect: this.opts.leaderElect,
      namespace: this.opts.leaseNamespace ?? 'kube-system', name: this.opts.leaseName ?? 'kube-controller-manager', identity: this.identity,
      leaseDurationSeconds: this.opts.leaseDurationSeconds, renewDeadlineMs: this.opts.renewDeadlineMs, retryPeriodMs: this.opts.retryPeriodMs,
      onError: this.opts.onError,
    }, signal, (termSignal) => this.lead(termSignal));
  }

  /** One term: informers and controllers built fresh, stopped when `signal` aborts. */
  private async lead(signal: AbortSignal): Promise<void> {
    const onError = this.opts.onError ?? (() => {});
    const clock = this.opts.clock ?? realClock;
    const informers = new SharedInformers(this.opts.client, { onError, backoff: this.opts.informerBackoff });
    const recorders: EventRecorder[] = [];
    const ctx: ControllerContext = {
      client: this.opts.client, informers, clock, onError, config: this.opts.config,
      recorder: (component) => {
        const r = new ApiEventRecorder(this.opts.client, component, this.identity, clock, onError);
        recorders.push(r);
        return r;
      },
    };
    // Controllers register their handlers before the informers list (see controller.ts).
    const controllers = new Map(this.enabled.map((c) => [c.name, c.create(ctx)] as const));
    this.current = controllers;
    this.opts.onLeading?.(this.identity, true);
    const informersDone = informers.start(signal);
    try {
      if (await informers.waitForSync(signal)) {
        await Promise.all([...controllers.values()].map((c) => c.run(signal)));
      }
    } finally {
      await informersDone;
      await Promise.all(recorders.map((r) => r.flush()));
      this.current = undefined;
      this.opts.onLeading?.(this.identity, false);
    }
  }
}
