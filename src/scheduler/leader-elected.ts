// The scheduler role as `capstan server` and `capstan scheduler` run it: a Scheduler that works
// only while this instance holds the Lease kube-system/kube-scheduler (upstream --leader-elect),
// so two instances never both schedule. Each term of leadership runs a fresh Scheduler (informers,
// queue and cache) and aborts it the moment leadership ends, before the lease can pass on.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Client, runLeaderElected, transportFromKubeconfig } from '../client/index.js';
import { BINDING_CLIENT_CONNECTIONS, Scheduler, type SchedulerOptions } from './scheduler.js';

/**
 * The clients a scheduler role talks through, from a kubeconfig: a plain one, and one for
 * bindings alone with BINDING_CLIENT_CONNECTIONS (see SchedulerOptions.bindingClient).
 */
export function schedulerClients(kubeconfig: string, userAgent = 'capstan-scheduler'): { client: Client; bindingClient: Client; close(): void } {
  const client = new Client(transportFromKubeconfig(kubeconfig, { userAgent }));
  const bindingClient = new Client(transportFromKubeconfig(kubeconfig, { userAgent, ...BINDING_CLIENT_CONNECTIONS }));
  return { client, bindingClient, close: () => { client.close(); bindingClient.close(); } };
}

export interface SchedulerRoleOptions extends SchedulerOptions {
  /** Campaign for the lease before scheduling (default true, as upstream). */
  leaderElect?: boolean;
  /** Default kube-system / kube-scheduler. */
  leaseNamespace?: string;
  leaseName?: string;
  /** Upstream defaults: 15 s, 10 s, 2 s. */
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Called with this instance's identity when it starts and stops leading. */
  onLeading?(identity: string, leading: boolean): void;
}

export class SchedulerRole {
  /** The leader-election identity (hostname_uuid, as upstream). */
  readonly identity: string;
  private current: Scheduler | undefined;

  constructor(private readonly opts: SchedulerRoleOptions) {
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
  }

  /** The scheduler of the current term, while leading (for tests and status). */
  get scheduler(): Scheduler | undefined { return this.current; }

  /** Runs until `signal` aborts; resolves after scheduling stopped and the lease was released. */
  async start(signal: AbortSignal): Promise<void> {
    await runLeaderElected({
      client: this.opts.client, leaderElect: this.opts.leaderElect,
      namespace: this.opts.leaseNamespace ?? 'kube-system', name: this.opts.leaseName ?? 'kube-scheduler', identity: this.identity,
      leaseDurationSeconds: this.opts.leaseDurationSeconds, renewDeadlineMs: this.opts.renewDeadlineMs, retryPeriodMs: this.opts.retryPeriodMs,
      onError: this.opts.onError,
    }, signal, (termSignal) => this.lead(termSignal));
  }

  private async lead(signal: AbortSignal): Promise<void> {
    const sched = new Scheduler({ ...this.opts, identity: this.identity });
    this.current = sched;
    this.opts.onLeading?.(this.identity, true);
    try {
      await sched.start(signal);
    } finally {
      this.current = undefined;
      this.opts.onLeading?.(this.identity, false);
    }
  }
}
