// A binary heap with keyed access (upstream scheduler internal/heap): the scheduling queue needs
// ordered pops plus O(log n) update and delete of a pod by key. Single-threaded; the caller must
// not mutate an element's ordering fields while it is in the heap except through `update`.

export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  /** `less(a, b)`: a pops before b. `keyOf` must be stable for an element's lifetime in the heap. */
  constructor(private readonly keyOf: (item: T) => string, private readonly less: (a: T, b: T) => boolean) {}

  get size(): number { return this.items.length; }

  has(key: string): boolean { return this.index.has(key); }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  peek(): T | undefined { return this.items[0]; }

  /** Adds the item, or replaces the one with the same key and restores order. */
  addOrUpdate(item: T): void {
    const key = this.keyOf(item);
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i] = item;
      this.fix(i);
      return;
    }
    this.items.push(item);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0]!;
    this.removeAt(0);
    return top;
  }

  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const item = this.items[i]!;
    this.removeAt(i);
    return item;
  }

  list(): T[] { return [...this.items]; }

  private removeAt(i: number): void {
    const last = this.items.length - 1;
    this.index.delete(this.keyOf(this.items[i]!));
    if (i !== last) {
      this.items[i] = this.items[last]!;
      this.index.set(this.keyOf(this.items[i]!), i);
    }
    this.items.pop();
    if (i < this.items.length) this.fix(i);
  }

  private fix(i: number): void {
    if (!this.down(i)) this.up(i);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.items[i]!, this.items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Returns true if the element moved. */
  private down(i0: number): boolean {
    let i = i0;
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let j = l;
      if (l + 1 < n && this.less(this.items[l + 1]!, this.items[l]!)) j = l + 1;
      if (!this.less(this.items[j]!, this.items[i]!)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }

  private swap(a: number, b: number): void {
    const x = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = x;
    this.index.set(this.keyOf(this.items[a]!), a);
    this.index.set(this.keyOf(this.items[b]!), b);
  }
}
