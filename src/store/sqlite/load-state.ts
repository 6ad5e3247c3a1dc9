// Rebuilds a store's starting state from the database: the revision counters from the meta table
// and the CurrentIndex (newest live row per key, and the leases). Called once by SqliteStore at
// open, before anything is served.
import { CurrentIndex } from '../current-index.js';
import type { StoreState } from '../mvcc-store.js';
import { readMeta, type Db, type KvRow } from './schema.js';
import { toKeyValue } from './history-reads.js';

export function loadState(db: Db): StoreState {
  // The persisted counter outlives compaction of the newest rows; revisions are never reused.
  const maxRow = (db.prepare('SELECT MAX(revision) AS r FROM kv').get() as { r: number | null }).r ?? 0;
  const index = new CurrentIndex();
  const rows = db.prepare(`SELECT kv.* FROM kv JOIN (SELECT MAX(revision) AS r FROM kv GROUP BY key) latest
    ON kv.revision = latest.r WHERE kv.deleted = 0`).iterate() as IterableIterator<KvRow>;
  for (const row of rows) index.setKey(row.key, toKeyValue(row));
  const leases = db.prepare('SELECT id, ttl_seconds, expires_at FROM leases').all() as
    Array<{ id: number; ttl_seconds: number; expires_at: number }>;
  for (const l of leases) index.leases.set(l.id, { id: l.id, ttlSeconds: l.ttl_seconds, expiresAt: l.expires_at });
  return {
    revision: Math.max(readMeta(db, 'current_revision'), maxRow),
    compactRevision: readMeta(db, 'compact_revision'),
    nextLeaseId: Math.max(1, readMeta(db, 'next_lease_id')),
    index,
  };
}
