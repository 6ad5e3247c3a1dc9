// Persists a write plan in one SQLite transaction (the group commit). Called by SqliteStore with
// every write queued since the last commit; the callers' promises settle only after this returns,
// i.e. after the WAL was fsynced (synchronous = FULL). Throws (and leaves the database as it was)
// if the transaction fails.
import type { Statement, Transaction } from 'better-sqlite3';
import type { WritePlan } from '../write-plan.js';
import type { Db } from './schema.js';

export class PlanWriter {
  private readonly insertRow: Statement;
  private readonly setMeta: Statement;
  private readonly insertLease: Statement;
  private readonly deleteLease: Statement;
  private readonly tx: Transaction<(plan: WritePlan, before: { revision: number; nextLeaseId: number }) => void>;

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
  static needsCommit(plan: WritePlan, before: { revision: number; nextLeaseId: number }): boolean {
    return plan.revision !== before.revision || plan.nextLeaseId !== before.nextLeaseId || plan.leasesRevoked.length > 0;
  }

  commit(plan: WritePlan, before: { revision: number; nextLeaseId: number }): void {
    this.tx(plan, before);
  }
}
