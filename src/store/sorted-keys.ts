// An ordered set of strings with O(log n) lookups, cheap inserts/deletes at any size and rank
// queries, used by both backends to serve range reads in key order. Stored as a list of sorted
// chunks (a flat B-tree of height two), so an insert moves at most one chunk's entries.

const MAX_CHUNK = 512;

export class SortedKeys {
  private chunks: string[][] = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  has(key: string): boolean {
    const ci = this.chunkFor(key);
    if (ci < 0) return false;
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, key);
    return i < chunk.length && chunk[i] === key;
  }

  /** Adds `key`; returns false if it was present. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.total = 1;
      return true;
    }
    let ci = this.chunkFor(key);
    if (ci < 0) ci = this.chunks.length - 1;
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, key);
    if (i < chunk.length && chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    this.total++;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(ci + 1, 0, chunk.splice(MAX_CHUNK >> 1));
    return true;
  }

  /** Removes `key`; returns false if it was absent. */
  delete(key: string): boolean {
    const ci = this.chunkFor(key);
    if (ci < 0) return false;
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, key);
    if (i >= chunk.length || chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.total--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /** Number of keys strictly less than `key`. */
  rank(key: string): number {
    let n = 0;
    for (const chunk of this.chunks) {
      if (chunk[chunk.length - 1]! < key) {
        n += chunk.length;
        continue;
      }
      return n + lowerBound(chunk, key);
    }
    return n;
  }

  /** Number of keys in [from, to) (to undefined: unbounded). */
  countBetween(from: string, to: string | undefined): number {
    const end = to === undefined ? this.total : this.rank(to);
    return Math.max(0, end - this.rank(from));
  }

  /** Keys >= `from` in ascending order, stopping before `to` (exclusive) when given. */
  *from(from: string, to?: string): Generator<string> {
    let ci = this.chunkFor(from);
    if (ci < 0) return;
    let i = lowerBound(this.chunks[ci]!, from);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]!;
      for (; i < chunk.length; i++) {
        const k = chunk[i]!;
        if (to !== undefined && k >= to) return;
        yield k;
      }
    }
  }

  /** Index of the first chunk whose last key is >= key, or -1 if key is beyond every chunk. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid]!;
      if (c[c.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.chunks.length ? lo : -1;
  }
}

function lowerBound(a: string[], key: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
