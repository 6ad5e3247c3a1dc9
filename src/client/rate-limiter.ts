// Rate limiters for the work queue, as client-go's DefaultControllerRateLimiter: the larger of a
// per-item exponential backoff (5 ms doubling to 1000 s) and an optional overall token bucket.
import type { Clock } from './clock.js';

export interface RateLimiter<T> {
  /** How long `item` should wait now; counts one more failure for it. */
  when(item: T): number;
  /** Clears `item`'s failure history (call after it succeeded). */
  forget(item: T): void;
  /** Failures counted for `item` since the last forget. */
  numRequeues(item: T): number;
}

/** Per-item delay `baseMs * 2^failures`, capped at `maxMs`. */
export class ItemExponentialRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  constructor(private readonly baseMs = 5, private readonly maxMs = 1000_000) {}

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(item: T): void { this.failures.delete(item); }

  numRequeues(item: T): number { return this.failures.get(item) ?? 0; }
}

/**
 * Overall token bucket: `qps` tokens a second, at most `burst` saved. Each `when` reserves a token
 * and returns how long until it is available.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;
  constructor(private readonly clock: Clock, private readonly qps = 10, private readonly burst = 100) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number { return 0; }
}

/** The largest delay of several limiters. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  constructor(private readonly limiters: RateLimiter<T>[]) {}

  when(item: T): number { return Math.max(0, ...this.limiters.map((l) => l.when(item))); }

  forget(item: T): void { for (const l of this.limiters) l.forget(item); }

  numRequeues(item: T): number { return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item))); }
}

/** client-go's DefaultControllerRateLimiter; without `bucket` only the per-item backoff. */
export function defaultControllerRateLimiter<T>(clock: Clock, bucket?: { qps: number; burst: number }): RateLimiter<T> {
  const item = new ItemExponentialRateLimiter<T>(5, 1000_000);
  return bucket ? new MaxOfRateLimiter<T>([item, new BucketRateLimiter<T>(clock, bucket.qps, bucket.burst)]) : item;
}
