// Reads of the MVCC history table: point and range reads at a past revision (kine-like: the
// newest row per key at or below the revision, unless it is a deletion) and the event stream a
// watcher replays. Reads at the current revision never come here; they use the CurrentIndex.
import type { Statement } from 'better-sqlite3';
import type { KeyValue, RangeResult, WatchEvent } from '../store.js';
import { prefixEnd, rangeStart } from '../keys.js';
import type { HistoryReader } from '../mvcc-store.js';
import type { Db, KvRow } from './schema.js';

const COLUMNS = 'kv.revision, kv.key, kv.value, kv.create_revision, kv.prev_revision, kv.version, kv.lease, kv.deleted';

export class HistoryReads implements HistoryReader {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(key: string, revision: number): KeyValue | undefined {
    const row = this.stmt(`SELECT ${COLUMNS} FROM kv WHERE key = ? AND revision <= ? ORDER BY revision DESC LIMIT 1`)
      .get(key, revision) as KvRow | undefined;
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  range(prefix: string, revision: number, opts: { limit?: number; startKey?: string; countOnly?: boolean }): RangeResult {
    const end = prefixEnd(prefix);
    const params: Record<string, string | number> = { from: rangeStart(prefix, opts.startKey), rev: revision };
    if (end !== undefined) params.to = end;
    // Newest row per key at or below the revision (SQLite fills the bare `deleted` column from
    // the row holding the MAX), in key order, deletions dropped: served from the covering index.
    const latest = `SELECT MAX(revision) AS r, key AS k, deleted AS d FROM kv
      WHERE key >= @from${end !== undefined ? ' AND key < @to' : ''} AND revision <= @rev GROUP BY key HAVING d = 0`;
    const count = (this.stmt(`SELECT COUNT(*) AS n FROM (${latest})`).get(params) as { n: number }).n;
    if (opts.countOnly) return { kvs: [], revision, more: false, count };
    const limited = opts.limit && opts.limit > 0;
    if (limited) params.limit = opts.limit!;
    const rows = this.stmt(`SELECT ${COLUMNS} FROM (${latest} ORDER BY k${limited ? ' LIMIT @limit' : ''}) latest
      JOIN kv ON kv.revision = latest.r ORDER BY latest.k`).all(params) as KvRow[];
    const kvs = rows.map(toKeyValue);
    return { kvs, revision, more: count > kvs.length, count };
  }

  /** Events for keys with `prefix` in revisions [from, to], ascending, with prevKv filled in. */
  events(prefix: string, from: number, to: number): WatchEvent[] {
    const end = prefixEnd(prefix);
    const params: Record<string, string | number> = { from, to, prefix };
    if (end !== undefined) params.end = end;
    const rows = this.stmt(`SELECT ${COLUMNS}, p.value AS p_value, p.create_revision AS p_create_revision,
        p.version AS p_version, p.lease AS p_lease, p.revision AS p_revision
      FROM kv LEFT JOIN kv AS p ON p.revision = kv.prev_revision AND kv.prev_revision > 0
      WHERE kv.revision >= @from AND kv.revision <= @to AND kv.key >= @prefix${end !== undefined ? ' AND kv.key < @end' : ''}
      ORDER BY kv.revision`).all(params) as Array<KvRow & PrevColumns>;
    return rows.map(toEvent);
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}

interface PrevColumns {
  p_value: string | null;
  p_create_revision: number | null;
  p_version: number | null;
  p_lease: number | null;
  p_revision: number | null;
}

export function toKeyValue(row: KvRow): KeyValue {
  return {
    key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.revision,
    version: row.version, lease: row.lease,
  };
}

function toEvent(row: KvRow & PrevColumns): WatchEvent {
  // Compaction keeps every row an event at or above the compact revision refers to, so p_* is
  // present whenever prev_revision is set; the fallback only guards against a damaged table.
  const prevKv: KeyValue | undefined = row.prev_revision > 0
    ? {
      key: row.key, value: row.p_value ?? '', createRevision: row.p_create_revision ?? row.create_revision,
      modRevision: row.prev_revision, version: row.p_version ?? 0, lease: row.p_lease ?? 0,
    }
    : undefined;
  if (row.deleted) return { type: 'delete', key: row.key, revision: row.revision, prevKv: prevKv! };
  const kv = toKeyValue(row);
  return prevKv ? { type: 'put', kv, prevKv } : { type: 'put', kv };
}
