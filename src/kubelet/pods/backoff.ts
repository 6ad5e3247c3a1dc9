// Upstream flowcontrol.Backoff as the kubelet uses it for CrashLoopBackOff and ImagePullBackOff:
// per key, 10 s doubling to 300 s; an entry not bumped for 2 × max (10 min) starts over.
// Time comes from the injected Clock. Called by one pod worker per key at a time.
import type { Clock } from '../../client/index.js';

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry { backoffMs: number; lastUpdate: number }

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock, private readonly initialMs = INITIAL_BACKOFF_MS, private readonly maxMs = MAX_BACKOFF_MS) {}

  /** The current delay of `key` (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Bumps the delay of `key` for a failure at `eventTime` (initial, or doubled up to the maximum). */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventTime)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: this.clock.now() });
    else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdate = this.clock.now();
    }
  }

  /** Whether a retry of a failure at `eventTime` must still wait; returns the ms left (0: go ahead). */
  remaining(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventTime)) return 0;
    return Math.max(0, e.backoffMs - (this.clock.now() - eventTime));
  }

  /** Upstream IsInBackOffSinceUpdate: the ms left of the current delay counted from the last bump (0: go ahead). */
  remainingSinceUpdate(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.backoffMs - (this.clock.now() - e.lastUpdate));
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops entries idle for longer than 2 × max (upstream GC). */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (now - e.lastUpdate > 2 * this.maxMs) this.entries.delete(k);
  }

  private expired(e: Entry, eventTime: number): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }
}

/** A duration as Go's time.Duration.String prints whole seconds: `10s`, `1m20s`, `5m0s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}
