// The memory backend's MVCC history: every revision of every key until compacted, plus the event
// log watchers replay from. Owned by MemoryStore; all methods are synchronous and pure in-memory.
import { eventRevision, type KeyValue, type RangeResult, type WatchEvent } from '../store.js';
import type { HistoryRow } from '../write-plan.js';
import { SortedKeys } from '../sorted-keys.js';
import { prefixEnd, rangeStart } from '../keys.js';
import type { HistoryReader } from '../mvcc-store.js';

export class MemoryHistory implements HistoryReader {
  private readonly rows = new Map<string, HistoryRow[]>();
  private readonly keys = new SortedKeys();
  /** log[i] is the event of revision logStart + i; every revision has exactly one event. */
  private log: WatchEvent[] = [];
  private logStart = 1;

  append(rows: readonly HistoryRow[], events: readonly WatchEvent[]): void {
    for (const row of rows) {
      let list = this.rows.get(row.key);
      if (!list) {
        this.rows.set(row.key, (list = []));
        this.keys.add(row.key);
      }
      list.push(row);
    }
    if (this.log.length === 0 && events.length > 0) this.logStart = eventRevision(events[0]!);
    this.log.push(...events);
  }

  /** The key's value at `revision`, if it existed then. */
  get(key: string, revision: number): KeyValue | undefined {
    const row = latestAt(this.rows.get(key), revision);
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  range(prefix: string, revision: number, opts: { limit?: number; startKey?: string; countOnly?: boolean }): RangeResult {
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const kvs: KeyValue[] = [];
    let count = 0;
    for (const key of this.keys.from(rangeStart(prefix, opts.startKey), prefixEnd(prefix))) {
      const row = latestAt(this.rows.get(key), revision);
      if (!row || row.deleted) continue;
      count++;
      if (!opts.countOnly && kvs.length < limit) kvs.push(toKeyValue(row));
    }
    return { kvs, revision, more: !opts.countOnly && count > kvs.length, count };
  }

  events(prefix: string, from: number, to: number): WatchEvent[] {
    const end = prefixEnd(prefix);
    const out: WatchEvent[] = [];
    for (let rev = Math.max(from, this.logStart); rev <= to; rev++) {
      const e = this.log[rev - this.logStart];
      if (!e) break;
      const key = e.type === 'put' ? e.kv.key : e.key;
      if (key >= prefix && (end === undefined || key < end)) out.push(e);
    }
    return out;
  }

  /**
   * Drops what no read at a revision >= `revision` can see: for each key, rows older than its
   * newest row below `revision`, and that row too when it is a deletion. Events below `revision`
   * go as well.
   */
  compact(revision: number): void {
    for (const [key, list] of this.rows) {
      let i = list.length - 1;
      while (i >= 0 && list[i]!.revision >= revision) i--;
      if (i < 0) continue;
      const keepFrom = list[i]!.deleted ? i + 1 : i;
      if (keepFrom === 0) continue;
      list.splice(0, keepFrom);
      if (list.length === 0) {
        this.rows.delete(key);
        this.keys.delete(key);
      }
    }
    const drop = Math.min(this.log.length, Math.max(0, revision - this.logStart));
    this.log = this.log.slice(drop);
    this.logStart += drop;
  }
}

function latestAt(list: HistoryRow[] | undefined, revision: number): HistoryRow | undefined {
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

function toKeyValue(row: HistoryRow): KeyValue {
  return {
    key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision,
    version: row.version, lease: row.lease,
  };
}
