// The SQLite database layout (kine-like: one row per revision) and the connection settings that
// make a commit durable. Called once by openSqliteStore before anything else touches the file.
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** WAL growth bound: the WAL file is truncated back to this size after a checkpoint. */
const JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024;

export function openDatabase(path: string): Db {
  const db = new Database(path);
  try {
    // auto_vacuum only takes effect before the first table exists (new databases).
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so an acknowledged write survives power loss.
    db.pragma('synchronous = FULL');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    db.pragma('wal_autocheckpoint = 1000');
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS kv (
        revision INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        create_revision INTEGER NOT NULL,
        prev_revision INTEGER NOT NULL,
        version INTEGER NOT NULL,
        lease INTEGER NOT NULL,
        deleted INTEGER NOT NULL
      );
      -- Covers "newest row per key at or below a revision, unless deleted" without table reads.
      CREATE INDEX IF NOT EXISTS kv_key_revision_deleted ON kv (key, revision, deleted);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS leases (
        id INTEGER PRIMARY KEY,
        ttl_seconds INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Names of the integers kept in the meta table. */
export type MetaName = 'current_revision' | 'compact_revision' | 'next_lease_id';

export function readMeta(db: Db, name: MetaName): number {
  const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(name) as { value: number } | undefined;
  return row ? row.value : 0;
}

/** Row shape of the kv table as read by the store. */
export interface KvRow {
  revision: number;
  key: string;
  value: string;
  create_revision: number;
  prev_revision: number;
  version: number;
  lease: number;
  deleted: number;
}
