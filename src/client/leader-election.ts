// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package:
// candidates race to write themselves into spec.holderIdentity with resourceVersion
// preconditions, so at most one write wins; the holder renews every retryPeriod and steps down
// when it could not renew for renewDeadline; others take over once the lease has gone
// unrenewed for leaseDurationSeconds of their own clock (never trusting the holder's clock).
import type { KubeObject } from '../api/index.js';
import { isStatusError } from '../api/light.js';
import type { Client } from './client.js';
import { sleep } from './clock.js';
import type { ResourceClient } from './resource-client.js';

export interface LeaderElectionConfig {
  client: Client;
  /** Where the Lease lives, e.g. kube-system / kube-scheduler. */
  namespace: string;
  name: string;
  /** This candidate's unique identity (hostname + random suffix, as upstream components use). */
  identity: string;
  /** How long a non-renewed lease blocks other candidates (default 15 s). */
  leaseDurationSeconds?: number;
  /** How long the leader keeps retrying a failing renewal before stepping down (default 10 s). */
  renewDeadlineMs?: number;
  /** Interval between acquisition attempts and between renewals (default 2 s). */
  retryPeriodMs?: number;
  /** Give the lease up (empty holder) on a clean stop so another candidate takes over at once (default true). */
  releaseOnCancel?: boolean;
  /** Failures the elector recovers from and callback exceptions. Default: ignored. */
  onError?(err: unknown): void;
}

export interface LeaderCallbacks {
  /**
   * Called once leadership is acquired. `leaderSignal` aborts when leadership ends; the elector
   * waits for a returned promise to settle before it releases the lease, so work stops before
   * another candidate can lead.
   */
  onStartedLeading(leaderSignal: AbortSignal): void | Promise<void>;
  /** Called after leadership ended (lost or released). Not called if this candidate never led. */
  onStoppedLeading?(): void;
  /** Called whenever the observed leader changes, including to this candidate. */
  onNewLeader?(identity: string): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

/** RFC 3339 with microseconds, as a MicroTime field carries. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true, kind: 'Lease' };

export class LeaderElector {
  private readonly leases: ResourceClient;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  /** The lease as last read or written, and when (our clock) it last changed. */
  private observed?: Lease;
  private observedTime = 0;
  private reportedLeader = '';
  private leading = false;

  constructor(private readonly config: LeaderElectionConfig) {
    this.leases = config.client.resource(LEASES);
    this.leaseDurationMs = (config.leaseDurationSeconds ?? 15) * 1000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    // Upstream's NewLeaderElector checks.
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= this.retryPeriodMs * 1.2) throw new Error('renewDeadline must be greater than retryPeriod*1.2');
    if (!config.identity) throw new Error('identity may not be empty');
  }

  isLeader(): boolean { return this.leading; }

  /** The holder last observed ('' if none). */
  getLeader(): string { return this.observed?.spec?.holderIdentity ?? ''; }

  /**
   * Campaigns until leading, leads until `signal` aborts or a renewal fails for renewDeadline,
   * then resolves. Run it again to campaign anew.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    if (!(await this.acquire(signal, callbacks))) return;
    const leadership = new AbortController();
    let work: Promise<void> = Promise.resolve();
    try {
      work = Promise.resolve(callbacks.onStartedLeading(leadership.signal)).catch((e) => this.config.onError?.(e));
    } catch (e) {
      this.config.onError?.(e);
    }
    await this.renew(signal, callbacks);
    leadership.abort();
    await work;
    if (signal.aborted && this.leading && this.config.releaseOnCancel !== false) await this.release();
    this.leading = false;
    try {
      callbacks.onStoppedLeading?.();
    } catch (e) {
      this.config.onError?.(e);
    }
  }

  /** Tries every retryPeriod (with client-go's 1.2 jitter) until it holds the lease. */
  private async acquire(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<boolean> {
    while (!signal.aborted) {
      const ok = await this.tryAcquireOrRenew();
      this.reportTransition(callbacks);
      if (ok) {
        this.leading = true;
        return true;
      }
      await sleep(this.retryPeriodMs * (1 + Math.random() * 1.2), signal);
    }
    return false;
  }

  /** Renews every retryPeriod; returns when `signal` aborts or renewing failed for renewDeadline. */
  private async renew(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    let lastRenew = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) return;
      const remaining = lastRenew + this.renewDeadlineMs - Date.now();
      const deadline = new AbortController();
      const ok = remaining > 0 && await Promise.race([this.tryAcquireOrRenew(), sleep(remaining, deadline.signal).then(() => false)]);
      deadline.abort();
      this.reportTransition(callbacks);
      if (ok) lastRenew = Date.now();
      else if (Date.now() - lastRenew >= this.renewDeadlineMs) {
        this.leading = false;
        return;
      }
    }
  }

  /** One attempt: true when, afterwards, this candidate holds the lease. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const { namespace, identity } = this.config;
    try {
      // Fast path for a leader whose lease is still valid: write on top of what it last wrote —
      // only while the lease it last saw names it (after a lost race it holds someone else's).
      if (this.leading && this.observed?.spec?.holderIdentity === identity && this.observedTime + this.leaseDurationMs > now) {
        try {
          this.record(await this.leases.update(namespace, this.withSpec(this.observed, this.nextSpec(this.observed, now))), now);
          return true;
        } catch (e) {
          this.config.onError?.(e);
        }
      }
      let lease: Lease;
      try {
        lease = await this.leases.get(namespace, this.config.name);
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
        const created = await this.leases.create(namespace, {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.config.name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds: this.leaseDurationMs / 1000, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        this.record(created, now);
        return true;
      }
      if (!this.observed || this.observed.metadata?.resourceVersion !== lease.metadata?.resourceVersion) this.record(lease, now);
      const holder = lease.spec?.holderIdentity ?? '';
      if (holder && holder !== identity && this.observedTime + this.leaseDurationMs > now) return false;
      this.record(await this.leases.update(namespace, this.withSpec(lease, this.nextSpec(lease, now))), now);
      return true;
    } catch (e) {
      // Conflict: another candidate wrote first. Anything else: the server is unreachable or sick.
      this.config.onError?.(e);
      return false;
    }
  }

  private nextSpec(lease: Lease, now: number): LeaseSpec {
    const old = lease.spec ?? {};
    const mine = old.holderIdentity === this.config.identity;
    return {
      holderIdentity: this.config.identity,
      leaseDurationSeconds: this.leaseDurationMs / 1000,
      acquireTime: mine && old.acquireTime ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: mine ? (old.leaseTransitions ?? 0) : (old.leaseTransitions ?? 0) + 1,
    };
  }

  /** `lease` with a new spec; its resourceVersion makes the write conditional. */
  private withSpec(lease: Lease, spec: LeaseSpec): Lease {
    return { ...lease, metadata: { ...lease.metadata }, spec: { ...lease.spec, ...spec } };
  }

  private record(lease: Lease, now: number): void {
    this.observed = lease;
    this.observedTime = now;
  }

  private reportTransition(callbacks: LeaderCallbacks): void {
    const holder = this.getLeader();
    if (!holder || holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    try {
      callbacks.onNewLeader?.(holder);
    } catch (e) {
      this.config.onError?.(e);
    }
  }

  /** Gives the lease up so another candidate need not wait for it to expire (client-go's release). */
  private async release(): Promise<void> {
    const lease = this.observed;
    if (!lease || lease.spec?.holderIdentity !== this.config.identity) return;
    const now = Date.now();
    try {
      const released = await this.leases.update(this.config.namespace, this.withSpec(lease, {
        holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(now), renewTime: microTime(now),
        leaseTransitions: lease.spec?.leaseTransitions ?? 0,
      }));
      this.record(released, now);
    } catch (e) {
      this.config.onError?.(e);
    }
  }
}

/**
 * How a leader-elected component runs (upstream's `--leader-elect` loop): calls `lead` for each
 * term of leadership, with a signal that aborts when the term ends, until `signal` aborts; with
 * `leaderElect: false`, calls it once with `signal`. Resolves after the last term ended.
 */
export async function runLeaderElected(
  config: LeaderElectionConfig & { leaderElect?: boolean },
  signal: AbortSignal,
  lead: (termSignal: AbortSignal) => Promise<void>,
): Promise<void> {
  if (config.leaderElect === false) {
    await lead(signal);
    return;
  }
  const elector = new LeaderElector(config);
  while (!signal.aborted) await elector.run(signal, { onStartedLeading: lead });
}
