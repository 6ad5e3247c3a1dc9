// Persists a write plan in one SQLite transaction (the group commit). Runs on whichever thread
// owns the writing connection: the commit worker (commit-worker.ts) by default, or the main thread
// when SqliteStore commits inline. The callers' promises settle only after `commit` returns, i.e.
// after the WAL was fsynced (synchronous = FULL). Throws (and leaves the database as it was) if
// the transaction fails.
import type { Statement, Transaction } from 'better-sqlite3';
import type { WritePlan } from '../write-plan.js';
import type { Db } from './schema.js';

/** The part of a WritePlan that is persisted: plain data, so it can be posted to the worker. */
export type PlanRecord = Pick<WritePlan, 'rows' | 'revision' | 'nextLeaseId' | 'leasesGranted' | 'leasesRevoked'>;

/** The store's revision and next lease id before the plan (meta rows are written only on change). */
export interface PlanBase {
  revision: number;
  nextLeaseId: number;
}

/** Copies the persisted part of `plan` (leaving out its events, outcomes and key map). */
export function planRecord(plan: WritePlan): PlanRecord {
  const { rows, revision, nextLeaseId, leasesGranted, leasesRevoked } = plan;
  return { rows, revision, nextLeaseId, leasesGranted, leasesRevoked };
}

export class PlanWriter {
  private readonly insertRow: Statement;
  private readonly setMeta: Statement;
  private readonly insertLease: Statement;
  private readonly deleteLease: Statement;
  private readonly tx: Transaction<(plan: PlanRecord, before: PlanBase) => void>;

  constructor(db: Db) {
    this.insertRow = db.prepare(`INSERT INTO kv (revision, key, value, create_revision, prev_revision, version, lease, deleted)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.setMeta = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
    this.insertLease = db.prepare('INSERT INTO leases (id, ttl_seconds, expires_at) VALUES (?, ?, ?)');
    this.deleteLease = db.prepare('DELETE FROM leases WHERE id = ?');
    this.tx = db.transaction((plan, before) => {
      for (const r of plan.rows) {
        this.insertRow.run(r.revision, r.key, r.value, r.createRevision, r.prevRevision, r.version, r.lease, r.deleted ? 1 : 0);
      }
      // Kept apart from the rows: compaction may delete the newest rows, and revisions must
      // still never be reused after a reopen.
      if (plan.revision !== before.revision) this.setMeta.run('current_revision', plan.revision);
      if (plan.nextLeaseId !== before.nextLeaseId) this.setMeta.run('next_lease_id', plan.nextLeaseId);
      for (const l of plan.leasesGranted) this.insertLease.run(l.id, l.ttlSeconds, l.expiresAt);
      for (const id of plan.leasesRevoked) this.deleteLease.run(id);
    });
  }

  /** True if the plan changes anything that must be persisted. */
  static needsCommit(plan: PlanRecord, before: PlanBase): boolean {
    return plan.revision !== before.revision || plan.nextLeaseId !== before.nextLeaseId || plan.leasesRevoked.length > 0;
  }

  /**
   * BEGIN IMMEDIATE: the write lock is taken up front, so when the other connection (compaction
   * on the main thread) holds it, the busy timeout applies instead of a snapshot upgrade failing.
   */
  commit(plan: PlanRecord, before: PlanBase): void {
    this.tx.immediate(plan, before);
  }
}
