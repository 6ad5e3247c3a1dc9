// The SQLite Store: durable, single-process, etcd semantics. Writes are group-committed: every
// write queued while the previous commit ran (or during one event-loop turn) is planned against
// the current state (each checked on its own), persisted in ONE fsynced transaction, applied to
// the in-memory CurrentIndex, published to watchers and only then acknowledged. Strictly one
// commit is in flight, so revisions, watch event order and read-your-writes are as if commits were
// synchronous. Reads at the current revision come from the index; reads at older revisions and
// watch replays from the history table.
//
// Threads and connections: by default the transaction runs in a worker thread on its own
// connection (commit-worker.ts), so the fsync does not block the event loop; the main thread's
// connection serves history reads, the compact-revision record and compaction, whose steps run
// only between commits (see compaction.ts). With `commitIn: 'main'` the transaction runs inline on
// the main connection instead.
import { statSync } from 'node:fs';
import type { OpResult, WriteOp, WritePlan } from '../write-plan.js';
import { MvccStore, storeClosedError, type MvccStoreOptions, type StoreState } from '../mvcc-store.js';
import { openDatabase, type Db } from './schema.js';
import { HistoryReads } from './history-reads.js';
import { PlanWriter, planRecord, type PlanBase } from './commit.js';
import { compactHistory, yieldToWriters, type CompactionTuning } from './compaction.js';
import { loadState } from './load-state.js';
import { WorkerCommitter } from './worker-committer.js';

export interface SqliteStoreOptions extends MvccStoreOptions {
  /** Database file; created if missing. Its -wal and -shm companions live beside it. */
  path: string;
  /** Most writes committed in one transaction; the rest go in the next. Default 5000. */
  maxBatch?: number;
  compaction?: CompactionTuning;
  /**
   * Where the commit transaction (and its fsync) runs: 'worker' (default) in a worker thread with
   * its own connection, 'main' synchronously on the event loop.
   */
  commitIn?: 'worker' | 'main';
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
  /** Exactly one of the two commits: inline on `db`, or through the worker's connection. */
  private readonly writer: PlanWriter | undefined;
  private readonly committer: WorkerCommitter | undefined;
  private readonly maxBatch: number;
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  /** The worker commit in flight; never rejects. At most one at a time. */
  private inflight: Promise<void> | undefined;
  private compaction: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SqliteStoreOptions) {
    const opened = openFile(opts.path);
    super(opened.state, opened.history, opts);
    this.db = opened.db;
    this.maxBatch = opts.maxBatch ?? 5000;
    if (opts.commitIn === 'main') this.writer = new PlanWriter(this.db);
    else {
      try {
        this.committer = new WorkerCommitter(opts.path);
      } catch (err) {
        this.db.close();
        throw err;
      }
    }
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

  /**
   * Persists the compact revision, then removes the history below it in the background. The
   * record is written on the main connection; should a worker commit hold the write lock, this
   * waits (at most one commit) in SQLite's busy handler.
   */
  protected beginCompaction(revision: number): Promise<void> {
    this.db.prepare(`INSERT INTO meta (name, value) VALUES ('compact_revision', ?)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(revision);
    const run = this.compaction.then(() => this.runCompaction(revision));
    this.compaction = run;
    return run;
  }

  /** Commits everything submitted before close (one commit at a time), then stops the worker. */
  protected async finishPendingWork(): Promise<void> {
    for (;;) {
      if (this.inflight) await this.inflight;
      else if (this.pending.length > 0) this.flush();
      else break;
    }
    await this.compaction.catch(() => {});
    await this.committer?.close();
  }

  protected override releaseResources(): void {
    this.committer?.terminate();
    this.db.close();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      // A commit in flight schedules the next flush when it completes.
      if (this.pending.length > 0 && this.db.open && !this.inflight) this.flush();
    });
  }

  /**
   * Plans up to maxBatch queued writes as one batch and commits them as one transaction; the
   * remainder goes in the next. Only called with no commit in flight.
   */
  private flush(): void {
    const batch = this.pending.length > this.maxBatch ? this.pending.splice(0, this.maxBatch) : this.pending;
    if (batch === this.pending) this.pending = [];
    const before: PlanBase = { revision: this.revision, nextLeaseId: this.nextLeaseId };
    const plan = this.planBatch(batch.map((w) => w.op));
    if (!PlanWriter.needsCommit(plan, before)) this.complete(batch, plan, false);
    else if (this.committer) this.inflight = this.commitInWorker(this.committer, batch, plan, before);
    else {
      try {
        this.writer!.commit(plan, before);
      } catch (err) {
        this.fail(batch, err);
        return;
      }
      this.complete(batch, plan, true);
    }
  }

  /** Waits for the worker's transaction; the store changes only after it replied. */
  private async commitInWorker(committer: WorkerCommitter, batch: PendingWrite[], plan: WritePlan, before: PlanBase): Promise<void> {
    let error: unknown;
    let ok = true;
    try {
      await committer.commit(planRecord(plan), before);
    } catch (err) {
      ok = false;
      error = err;
    }
    this.inflight = undefined;
    if (ok) this.complete(batch, plan, true);
    else this.fail(batch, error);
  }

  /** After the plan is durable (if `committed`): makes it current, settles each write, goes on. */
  private complete(batch: PendingWrite[], plan: WritePlan, committed: boolean): void {
    if (committed) this.makeCurrent(plan);
    plan.outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.result) : batch[i]!.reject(o.error)));
    this.continueFlushing();
  }

  /** The transaction failed: every write of the batch fails with its error; the state is unchanged. */
  private fail(batch: PendingWrite[], err: unknown): void {
    for (const w of batch) w.reject(err);
    this.continueFlushing();
  }

  private continueFlushing(): void {
    if (this.pending.length > 0 && !this.closed) this.scheduleFlush();
  }

  private async runCompaction(revision: number): Promise<void> {
    await compactHistory(this.db, revision, { stopped: () => this.closed, writerIdle: () => this.writerIdle() }, this.opts.compaction);
  }

  /**
   * Resolves with no worker commit in flight, after letting queued writes go first. Continuations
   * of the commit run before any setImmediate, so a compaction step waiting here runs before the
   * next flush can start.
   */
  private async writerIdle(): Promise<void> {
    await yieldToWriters();
    while (this.inflight) await this.inflight;
  }
}

/** Opens the database and everything read from it at open; closes it again if any step fails. */
function openFile(path: string): { db: Db; history: HistoryReads; state: StoreState } {
  const db = openDatabase(path);
  try {
    return { db, history: new HistoryReads(db), state: loadState(db) };
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
