// A work queue with client-go semantics, feeding level-triggered reconcilers:
// - a key queued twice is queued once (dedup);
// - a key being processed (between `get` and `done`) is never handed out again; re-adding it
//   marks it dirty, and `done` queues it again, so no change is lost and no key runs twice at once;
// - `addAfter` / `addRateLimited` delay an add; `forget` clears a key's failure count;
// - `shutDown` wakes every waiting `get` with undefined; adds after it are ignored.
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<T> {
  clock?: Clock;
  /** Default: per-item exponential 5 ms → 1000 s, no overall bucket. */
  rateLimiter?: RateLimiter<T>;
}

export class WorkQueue<T = string> {
  private readonly queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  /** One pending timer per delayed key: the earliest wins. */
  private readonly waiting = new Map<T, { at: number; timer: TimerHandle }>();
  private readonly getters: ((item: T | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<T>;

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(item);
      this.processing.add(item);
      getter(item);
    } else {
      this.queue.push(item);
    }
  }

  /**
   * The next key, waiting if none is queued; undefined once shut down. The caller owns the key
   * until it calls `done(key)`.
   */
  get(): Promise<T | undefined> {
    if (this.queue.length) {
      const item = this.queue.shift()!;
      this.dirty.delete(item);
      this.processing.add(item);
      return Promise.resolve(item);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends processing of `item`; if it was re-added meanwhile it is queued again now. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.dirty.delete(item);
      this.add(item);
    }
  }

  /** Adds `item` after `ms` (at once for ms <= 0). An earlier pending time for it wins. */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(item);
    const at = this.clock.now() + ms;
    const existing = this.waiting.get(item);
    if (existing && existing.at <= at) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(ms, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { at, timer });
  }

  /** Adds `item` after the rate limiter's delay (counts one more failure for it). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(item));
  }

  /** Clears `item`'s failure history (call when it was processed successfully). */
  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }

  /** Keys queued and not yet handed out. */
  len(): number {
    return this.queue.length;
  }

  /** Stops: waiting `get`s resolve undefined, pending delayed adds are dropped. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const w of this.waiting.values()) w.timer.cancel();
    this.waiting.clear();
    for (const g of this.getters.splice(0)) g(undefined);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}
