// The SQLite Store: durable, single-process, etcd semantics. Writes are group-committed: every
// write queued during one event-loop turn is planned against the current state (each checked on
// its own), persisted in ONE fsynced transaction, applied to the in-memory CurrentIndex, published
// to watchers and only then acknowledged. Reads at the current revision come from the index;
// reads at older revisions and watch replays from the history table.
import { statSync } from 'node:fs';
import {
  StoreError, type DeleteResult, type KeyValue, type RangeOptions, type RangeResult, type Store,
  type WatchMessage, type WatchOptions, type Watcher, type WriteOptions, type WriteResult,
} from '../store.js';
import { CurrentIndex } from '../current-index.js';
import { applyPlan, planWrites, type OpResult, type WriteOp } from '../write-plan.js';
import { WatchHub } from '../watch-hub.js';
import { checkCompactRevision, readRevision } from '../revisions.js';
import { openDatabase, readMeta, type Db, type KvRow } from './schema.js';
import { HistoryReads, toKeyValue } from './history-reads.js';
import { PlanWriter } from './commit.js';
import { compactHistory, type CompactionTuning } from './compaction.js';

export interface SqliteStoreOptions {
  /** Database file; created if missing. Its -wal and -shm companions live beside it. */
  path: string;
  /** Wall clock (ms since the epoch) for lease expiry and watch progress; default Date.now. */
  now?: () => number;
  /** How often expired leases are looked for (ms); default 1000. */
  leaseCheckIntervalMs?: number;
  /** Most writes committed in one transaction; the rest go in the next. Default 5000. */
  maxBatch?: number;
  compaction?: CompactionTuning;
}

interface PendingWrite {
  op: WriteOp;
  resolve: (r: OpResult) => void;
  reject: (e: unknown) => void;
}

export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(opts);
}

export class SqliteStore implements Store {
  private readonly db: Db;
  private readonly index = new CurrentIndex();
  private readonly history: HistoryReads;
  private readonly writer: PlanWriter;
  private readonly hub: WatchHub;
  private readonly now: () => number;
  private readonly maxBatch: number;
  private readonly leaseTimer: NodeJS.Timeout;
  private readonly expiring = new Set<number>();
  private revision: number;
  private compacted: number;
  private nextLeaseId: number;
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private compaction: Promise<void> = Promise.resolve();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: SqliteStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.maxBatch = opts.maxBatch ?? 5000;
    this.db = openDatabase(opts.path);
    try {
      this.history = new HistoryReads(this.db);
      this.writer = new PlanWriter(this.db);
      const maxRow = (this.db.prepare('SELECT MAX(revision) AS r FROM kv').get() as { r: number | null }).r ?? 0;
      this.revision = Math.max(readMeta(this.db, 'current_revision'), maxRow);
      this.compacted = readMeta(this.db, 'compact_revision');
      this.nextLeaseId = Math.max(1, readMeta(this.db, 'next_lease_id'));
      this.loadCurrentState();
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.hub = new WatchHub({
      currentRevision: () => this.revision,
      compactRevision: () => this.compacted,
      readEvents: (prefix, from, to) => this.history.events(prefix, from, to),
    }, { now: this.now });
    this.leaseTimer = setInterval(() => this.expireLeases(), opts.leaseCheckIntervalMs ?? 1000);
    this.leaseTimer.unref();
    // Resume a physical compaction a crash interrupted; rows it left are invisible already.
    if (this.compacted > 0) this.compaction = this.runCompaction(this.compacted);
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

  create(key: string, value: string, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.enqueue({ op: 'create', key, value, lease: opts.lease ?? 0 }) as Promise<WriteResult>;
  }

  update(key: string, value: string, expectedModRevision: number, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.enqueue({ op: 'update', key, value, expectedModRevision, lease: opts.lease }) as Promise<WriteResult>;
  }

  delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    return this.enqueue({ op: 'delete', key, expectedModRevision }) as Promise<DeleteResult>;
  }

  watch(prefix: string, listener: (msg: WatchMessage) => void, opts?: WatchOptions): Watcher {
    return this.hub.watch(prefix, listener, opts);
  }

  requestProgress(): void {
    this.hub.requestProgress();
  }

  grantLease(ttlSeconds: number): Promise<number> {
    return this.enqueue({ op: 'grantLease', ttlSeconds }) as Promise<number>;
  }

  async revokeLease(id: number): Promise<void> {
    await this.enqueue({ op: 'revokeLease', id });
  }

  /**
   * Makes `revision` the compact revision at once (reads below it fail from now on) and resolves
   * when the history below it has been physically removed.
   */
  async compact(revision: number): Promise<void> {
    this.checkOpen();
    checkCompactRevision(revision, this.revision, this.compacted);
    this.db.prepare(`INSERT INTO meta (name, value) VALUES ('compact_revision', ?)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(revision);
    this.compacted = revision;
    const run = this.compaction.then(() => this.runCompaction(revision));
    this.compaction = run;
    await run;
  }

  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  /** Sizes of the database file and its WAL in bytes (for monitoring and tests). */
  fileSizes(): { db: number; wal: number; freePages: number } {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    return {
      db: pageSize * pages,
      wal: walSize(this.opts.path),
      freePages: this.db.pragma('freelist_count', { simple: true }) as number,
    };
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.leaseTimer);
    while (this.pending.length > 0) this.flush();
    await this.compaction.catch(() => {});
    this.hub.close(new StoreError('Closed', 'store is closed'));
    this.db.close();
  }

  private enqueue(op: WriteOp): Promise<OpResult> {
    if (this.closed) return Promise.reject(new StoreError('Closed', 'store is closed'));
    return new Promise<OpResult>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          if (this.pending.length > 0 && this.db.open) this.flush();
        });
      }
    });
  }

  /** Commits up to maxBatch queued writes as one transaction; reschedules the remainder. */
  private flush(): void {
    const batch = this.pending.length > this.maxBatch ? this.pending.splice(0, this.maxBatch) : this.pending;
    if (batch === this.pending) this.pending = [];
    const before = { revision: this.revision, nextLeaseId: this.nextLeaseId };
    const plan = planWrites(this.index, batch.map((w) => w.op), { ...before, now: this.now() });
    if (PlanWriter.needsCommit(plan, before)) {
      try {
        this.writer.commit(plan, before);
      } catch (err) {
        for (const w of batch) w.reject(err);
        return;
      }
      applyPlan(this.index, plan);
      this.revision = plan.revision;
      this.nextLeaseId = plan.nextLeaseId;
      if (plan.events.length > 0) this.hub.publish(plan.events, plan.revision);
    }
    plan.outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.result) : batch[i]!.reject(o.error)));
    if (this.pending.length > 0 && !this.flushScheduled && !this.closed) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (this.pending.length > 0 && this.db.open) this.flush();
      });
    }
  }

  private async runCompaction(revision: number): Promise<void> {
    await compactHistory(this.db, revision, () => this.closed, this.opts.compaction);
  }

  private expireLeases(): void {
    const now = this.now();
    for (const lease of this.index.leases.values()) {
      if (lease.expiresAt > now || this.expiring.has(lease.id)) continue;
      this.expiring.add(lease.id);
      this.enqueue({ op: 'revokeLease', id: lease.id, expired: true })
        .catch(() => {})
        .finally(() => this.expiring.delete(lease.id));
    }
  }

  private loadCurrentState(): void {
    const rows = this.db.prepare(`SELECT kv.* FROM kv JOIN (SELECT MAX(revision) AS r FROM kv GROUP BY key) latest
      ON kv.revision = latest.r WHERE kv.deleted = 0`).iterate() as IterableIterator<KvRow>;
    for (const row of rows) this.index.setKey(row.key, toKeyValue(row));
    const leases = this.db.prepare('SELECT id, ttl_seconds, expires_at FROM leases').all() as
      Array<{ id: number; ttl_seconds: number; expires_at: number }>;
    for (const l of leases) this.index.leases.set(l.id, { id: l.id, ttlSeconds: l.ttl_seconds, expiresAt: l.expires_at });
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Closed', 'store is closed');
  }
}

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
