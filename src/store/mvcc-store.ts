// What every Store backend shares: the revision and compact-revision bookkeeping, reads (the
// current revision from the CurrentIndex, older revisions from the backend's history), watches
// through one WatchHub, the lease expiry timer and the close sequence. A backend supplies only
// what differs: how a write is committed (`submit`), how history is read (its HistoryReader), how
// history below a compact revision is discarded and what close must wait for.
//
// Contract with backends: state becomes current only through `makeCurrent`, once per committed
// plan, in plan order, AFTER the plan is durable, so readers and watchers never observe a write
// that could still fail.
import {
  StoreError, type DeleteResult, type KeyValue, type RangeOptions, type RangeResult, type Store, type WatchEvent,
  type WatchMessage, type WatchOptions, type Watcher, type WriteOptions, type WriteResult,
} from './store.js';
import type { CurrentIndex } from './current-index.js';
import { applyPlan, planWrites, type OpResult, type WriteOp, type WritePlan } from './write-plan.js';
import { WatchHub } from './watch-hub.js';
import { checkCompactRevision, readRevision } from './revisions.js';

/** Reads of a backend's MVCC history; only ever asked about revisions below the current one. */
export interface HistoryReader {
  /** The key's value at `revision`, if it existed then. */
  get(key: string, revision: number): KeyValue | undefined;
  /** Keys with `prefix` as they were at `revision`; the same result shape as CurrentIndex.range. */
  range(prefix: string, revision: number, opts: { limit?: number; startKey?: string; countOnly?: boolean }): RangeResult;
  /** Events for keys with `prefix` in revisions [from, to], ascending, with prevKv filled in. */
  events(prefix: string, from: number, to: number): WatchEvent[];
}

/** The state a store starts from: empty for a new store, loaded from disk by SQLite at open. */
export interface StoreState {
  revision: number;
  compactRevision: number;
  nextLeaseId: number;
  index: CurrentIndex;
}

export interface MvccStoreOptions {
  /** Wall clock (ms since the epoch) for lease expiry and watch progress; default Date.now. */
  now?: () => number;
  /** How often expired leases are looked for (ms); default 1000. */
  leaseCheckIntervalMs?: number;
}

export function storeClosedError(): StoreError {
  return new StoreError('Closed', 'store is closed');
}

export abstract class MvccStore<H extends HistoryReader> implements Store {
  protected revision: number;
  protected compacted: number;
  protected nextLeaseId: number;
  /** Set once close() starts; from then on reads and new writes fail with 'Closed'. */
  protected closed = false;
  protected readonly index: CurrentIndex;
  protected readonly now: () => number;
  private readonly hub: WatchHub;
  private readonly leaseTimer: NodeJS.Timeout;
  /** Leases whose expiry revoke is submitted but not yet settled, so a tick does not repeat it. */
  private readonly expiring = new Set<number>();
  private closing: Promise<void> | undefined;

  protected constructor(state: StoreState, protected readonly history: H, opts: MvccStoreOptions) {
    this.revision = state.revision;
    this.compacted = state.compactRevision;
    this.nextLeaseId = state.nextLeaseId;
    this.index = state.index;
    this.now = opts.now ?? Date.now;
    this.hub = new WatchHub({
      currentRevision: () => this.revision,
      compactRevision: () => this.compacted,
      readEvents: (prefix, from, to) => this.history.events(prefix, from, to),
    }, { now: this.now });
    this.leaseTimer = setInterval(() => this.expireLeases(), opts.leaseCheckIntervalMs ?? 1000);
    this.leaseTimer.unref();
  }

  /**
   * Commits one write and settles with its outcome: resolves only after the write is durable and
   * current, rejects (having changed nothing) with its StoreError. Never throws synchronously;
   * rejects with 'Closed' once `closed` is set.
   */
  protected abstract submit(op: WriteOp): Promise<OpResult>;

  /**
   * Called by compact() after validation, before `revision` becomes the compact revision: records
   * it (durably, for SQLite; a throw leaves the store unchanged) and returns a promise that
   * resolves once the history below it has been removed.
   */
  protected abstract beginCompaction(revision: number): Promise<void>;

  /**
   * Called once by close() after `closed` is set and the lease timer stopped: commits the writes
   * already submitted and waits for background work. Watchers are ended after it resolves.
   */
  protected abstract finishPendingWork(): Promise<void>;

  /** Called last by close(), after the watchers were ended: releases files and handles. */
  protected releaseResources(): void {}

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async compactRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<{ kv?: KeyValue; revision: number }> {
    this.checkOpen();
    const revision = readRevision(opts.revision, this.revision, this.compacted);
    const kv = revision === this.revision ? this.index.get(key) : this.history.get(key, revision);
    return kv ? { kv: { ...kv }, revision } : { revision };
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.checkOpen();
    const revision = readRevision(opts.revision, this.revision, this.compacted);
    return revision === this.revision
      ? this.index.range(prefix, revision, opts)
      : this.history.range(prefix, revision, opts);
  }

  create(key: string, value: string, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.submit({ op: 'create', key, value, lease: opts.lease ?? 0 }) as Promise<WriteResult>;
  }

  update(key: string, value: string, expectedModRevision: number, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.submit({ op: 'update', key, value, expectedModRevision, lease: opts.lease }) as Promise<WriteResult>;
  }

  delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    return this.submit({ op: 'delete', key, expectedModRevision }) as Promise<DeleteResult>;
  }

  watch(prefix: string, listener: (msg: WatchMessage) => void, opts?: WatchOptions): Watcher {
    return this.hub.watch(prefix, listener, opts);
  }

  requestProgress(): void {
    this.hub.requestProgress();
  }

  grantLease(ttlSeconds: number): Promise<number> {
    return this.submit({ op: 'grantLease', ttlSeconds }) as Promise<number>;
  }

  async revokeLease(id: number): Promise<void> {
    await this.submit({ op: 'revokeLease', id });
  }

  /**
   * Makes `revision` the compact revision at once (reads below it fail from now on) and resolves
   * when the history below it has been removed.
   */
  async compact(revision: number): Promise<void> {
    this.checkOpen();
    checkCompactRevision(revision, this.revision, this.compacted);
    const removed = this.beginCompaction(revision);
    this.compacted = revision;
    await removed;
  }

  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  /** Plans `ops` as one batch against the current state (see planWrites); changes nothing. */
  protected planBatch(ops: readonly WriteOp[]): WritePlan {
    return planWrites(this.index, ops, { revision: this.revision, nextLeaseId: this.nextLeaseId, now: this.now() });
  }

  /**
   * Makes a durable plan current and publishes its events, in one synchronous step (the WatchHub
   * relies on it). Call exactly once per committed plan, in plan order.
   */
  protected makeCurrent(plan: WritePlan): void {
    applyPlan(this.index, plan);
    this.revision = plan.revision;
    this.nextLeaseId = plan.nextLeaseId;
    if (plan.events.length > 0) this.hub.publish(plan.events, plan.revision);
  }

  protected checkOpen(): void {
    if (this.closed) throw storeClosedError();
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.leaseTimer);
    await this.finishPendingWork();
    this.hub.close(storeClosedError());
    this.releaseResources();
  }

  private expireLeases(): void {
    const now = this.now();
    // A copy: a backend may commit the revoke (and drop the lease) inside submit().
    for (const lease of [...this.index.leases.values()]) {
      if (lease.expiresAt > now || this.expiring.has(lease.id)) continue;
      this.expiring.add(lease.id);
      this.submit({ op: 'revokeLease', id: lease.id, expired: true })
        .catch(() => {})
        .finally(() => this.expiring.delete(lease.id));
    }
  }
}
