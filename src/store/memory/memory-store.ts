// The in-memory Store: the same semantics as the SQLite backend (revisions, MVCC history until
// compacted, watches with replay, leases), without durability. Used by unit tests and `capstan
// sim`. Each write is its own commit: planned, applied and published synchronously inside the
// call, its promise settled afterwards.
import {
  StoreError, type DeleteResult, type KeyValue, type RangeOptions, type RangeResult, type Store,
  type WatchMessage, type WatchOptions, type Watcher, type WriteOptions, type WriteResult,
} from '../store.js';
import { CurrentIndex } from '../current-index.js';
import { applyPlan, planWrites, type OpResult, type WriteOp } from '../write-plan.js';
import { WatchHub } from '../watch-hub.js';
import { checkCompactRevision, readRevision } from '../revisions.js';
import { MemoryHistory } from './memory-history.js';

export interface MemoryStoreOptions {
  /** Wall clock (ms since the epoch) for lease expiry and watch progress; default Date.now. */
  now?: () => number;
  /** How often expired leases are looked for (ms); default 1000. */
  leaseCheckIntervalMs?: number;
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): Store {
  return new MemoryStore(opts);
}

class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  private nextLeaseId = 1;
  private closed = false;
  private readonly index = new CurrentIndex();
  private readonly history = new MemoryHistory();
  private readonly hub: WatchHub;
  private readonly now: () => number;
  private readonly leaseTimer: NodeJS.Timeout;

  constructor(opts: MemoryStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.hub = new WatchHub({
      currentRevision: () => this.revision,
      compactRevision: () => this.compacted,
      readEvents: (prefix, from, to) => this.history.events(prefix, from, to),
    }, { now: this.now });
    this.leaseTimer = setInterval(() => this.expireLeases(), opts.leaseCheckIntervalMs ?? 1000);
    this.leaseTimer.unref();
  }

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

  async create(key: string, value: string, opts: WriteOptions = {}): Promise<WriteResult> {
    return (await this.write({ op: 'create', key, value, lease: opts.lease ?? 0 })) as WriteResult;
  }

  async update(key: string, value: string, expectedModRevision: number, opts: WriteOptions = {}): Promise<WriteResult> {
    return (await this.write({ op: 'update', key, value, expectedModRevision, lease: opts.lease })) as WriteResult;
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    return (await this.write({ op: 'delete', key, expectedModRevision })) as DeleteResult;
  }

  watch(prefix: string, listener: (msg: WatchMessage) => void, opts?: WatchOptions): Watcher {
    return this.hub.watch(prefix, listener, opts);
  }

  requestProgress(): void {
    this.hub.requestProgress();
  }

  async grantLease(ttlSeconds: number): Promise<number> {
    return (await this.write({ op: 'grantLease', ttlSeconds })) as number;
  }

  async revokeLease(id: number): Promise<void> {
    await this.write({ op: 'revokeLease', id });
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    checkCompactRevision(revision, this.revision, this.compacted);
    this.compacted = revision;
    this.history.compact(revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.leaseTimer);
    this.hub.close(new StoreError('Closed', 'store is closed'));
  }

  private async write(op: WriteOp): Promise<OpResult> {
    this.checkOpen();
    const plan = planWrites(this.index, [op], { revision: this.revision, nextLeaseId: this.nextLeaseId, now: this.now() });
    this.history.append(plan.rows, plan.events);
    applyPlan(this.index, plan);
    this.revision = plan.revision;
    this.nextLeaseId = plan.nextLeaseId;
    if (plan.events.length > 0) this.hub.publish(plan.events, plan.revision);
    const outcome = plan.outcomes[0]!;
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  private expireLeases(): void {
    const now = this.now();
    for (const lease of [...this.index.leases.values()]) {
      if (lease.expiresAt <= now) void this.write({ op: 'revokeLease', id: lease.id, expired: true }).catch(() => {});
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Closed', 'store is closed');
  }
}
