// The SQLite Store: durable, single-process, etcd semantics. Writes are group-committed: every
// write queued during one event-loop turn is planned against the current state (each checked on
// its own), persisted in ONE fsynced transaction, applied to the in-memory CurrentIndex, published
// to watchers and only then acknowledged. Reads at the current revision come from the index;
// reads at older revisions and watch replays from the history table.
import { statSync } from 'node:fs';
import type { OpResult, WriteOp } from '../write-plan.js';
import { MvccStore, storeClosedError, type MvccStoreOptions, type StoreState } from '../mvcc-store.js';
import { openDatabase, type Db } from './schema.js';
import { HistoryReads } from './history-reads.js';
import { PlanWriter } from './commit.js';
import { compactHistory, type CompactionTuning } from './compaction.js';
import { loadState } from './load-state.js';

export interface SqliteStoreOptions extends MvccStoreOptions {
  /** Database file; created if missing. Its -wal and -shm companions live beside it. */
  path: string;
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

export class SqliteStore extends MvccStore<HistoryReads> {
  private readonly db: Db;
  private readonly writer: PlanWriter;
  private readonly maxBatch: number;
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private compaction: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SqliteStoreOptions) {
    const opened = openFile(opts.path);
    super(opened.state, opened.history, opts);
    this.db = opened.db;
    this.writer = opened.writer;
    this.maxBatch = opts.maxBatch ?? 5000;
    // Resume a physical compaction a crash interrupted; rows it left are invisible already.
    if (this.compacted > 0) this.compaction = this.runCompaction(this.compacted);
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

  /** Queues the write for the next group commit. */
  protected submit(op: WriteOp): Promise<OpResult> {
    if (this.closed) return Promise.reject(storeClosedError());
    return new Promise<OpResult>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Persists the compact revision, then removes the history below it in the background. */
  protected beginCompaction(revision: number): Promise<void> {
    this.db.prepare(`INSERT INTO meta (name, value) VALUES ('compact_revision', ?)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(revision);
    const run = this.compaction.then(() => this.runCompaction(revision));
    this.compaction = run;
    return run;
  }

  protected async finishPendingWork(): Promise<void> {
    while (this.pending.length > 0) this.flush();
    await this.compaction.catch(() => {});
  }

  protected override releaseResources(): void {
    this.db.close();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.pending.length > 0 && this.db.open) this.flush();
    });
  }

  /** Commits up to maxBatch queued writes as one transaction; reschedules the remainder. */
  private flush(): void {
    const batch = this.pending.length > this.maxBatch ? this.pending.splice(0, this.maxBatch) : this.pending;
    if (batch === this.pending) this.pending = [];
    const before = { revision: this.revision, nextLeaseId: this.nextLeaseId };
    const plan = this.planBatch(batch.map((w) => w.op));
    if (PlanWriter.needsCommit(plan, before)) {
      try {
        this.writer.commit(plan, before);
      } catch (err) {
        for (const w of batch) w.reject(err);
        return;
      }
      this.makeCurrent(plan);
    }
    plan.outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.result) : batch[i]!.reject(o.error)));
    if (this.pending.length > 0 && !this.closed) this.scheduleFlush();
  }

  private async runCompaction(revision: number): Promise<void> {
    await compactHistory(this.db, revision, () => this.closed, this.opts.compaction);
  }
}

/** Opens the database and everything read from it at open; closes it again if any step fails. */
function openFile(path: string): { db: Db; history: HistoryReads; writer: PlanWriter; state: StoreState } {
  const db = openDatabase(path);
  try {
    return { db, history: new HistoryReads(db), writer: new PlanWriter(db), state: loadState(db) };
  } catch (err) {
    db.close();
    throw err;
  }
}

function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
