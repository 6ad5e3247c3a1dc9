// The current (latest-revision) state of a store: live keys in key order and the leases with the
// keys attached to them. Both backends serve current-revision reads from it; the SQLite backend
// rebuilds it from the database at open. It is mutated only by `applyPlan` after a batch is
// durable, so readers never observe a write that could still fail.
import type { KeyValue, RangeResult } from './store.js';
import { SortedKeys } from './sorted-keys.js';
import { prefixEnd, rangeStart } from './keys.js';

export interface LeaseRecord {
  id: number;
  ttlSeconds: number;
  /** Wall-clock expiry in ms since the epoch. */
  expiresAt: number;
}

export class CurrentIndex {
  readonly kvs = new Map<string, KeyValue>();
  readonly keys = new SortedKeys();
  readonly leases = new Map<number, LeaseRecord>();
  private readonly leaseKeys = new Map<number, Set<string>>();

  get(key: string): KeyValue | undefined {
    return this.kvs.get(key);
  }

  /** Keys currently attached to lease `id`. */
  keysOfLease(id: number): string[] {
    return [...(this.leaseKeys.get(id) ?? [])];
  }

  /** Sets (kv) or removes (null) the current value of `key`, keeping the lease membership right. */
  setKey(key: string, kv: KeyValue | null): void {
    const old = this.kvs.get(key);
    if (old && old.lease !== 0) {
      const set = this.leaseKeys.get(old.lease);
      set?.delete(key);
      if (set && set.size === 0) this.leaseKeys.delete(old.lease);
    }
    if (kv === null) {
      if (old) {
        this.kvs.delete(key);
        this.keys.delete(key);
      }
      return;
    }
    this.kvs.set(key, kv);
    if (!old) this.keys.add(key);
    if (kv.lease !== 0) {
      let set = this.leaseKeys.get(kv.lease);
      if (!set) this.leaseKeys.set(kv.lease, (set = new Set()));
      set.add(key);
    }
  }

  /** A range read at the current revision; `revision` is echoed into the result. */
  range(prefix: string, revision: number, opts: { limit?: number; startKey?: string; countOnly?: boolean }): RangeResult {
    const from = rangeStart(prefix, opts.startKey);
    const to = prefixEnd(prefix);
    const count = this.keys.countBetween(from, to);
    if (opts.countOnly) return { kvs: [], revision, more: false, count };
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const kvs: KeyValue[] = [];
    for (const key of this.keys.from(from, to)) {
      if (kvs.length >= limit) break;
      kvs.push({ ...this.kvs.get(key)! });
    }
    return { kvs, revision, more: count > kvs.length, count };
  }
}
