// Upstream failedPodsBackoff (flowcontrol.Backoff, 1 s doubling to 15 min) keyed by DaemonSet
// and node: a daemon pod the kubelet keeps failing is deleted and recreated at a slowing pace
// instead of hot-looping. An entry idle for twice the maximum starts over.
import type { Clock } from '../../client/index.js';

export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

export class FailedPodsBackoff {
  private readonly entries = new Map<string, { delayMs: number; at: number }>();

  constructor(private readonly clock: Clock, private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS, private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS) {}

  /** How long `key` is still backing off since its last failure (0 when it may act). */
  remainingMs(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.at + e.delayMs - this.clock.now());
  }

  /** Records a failure handled now: the next one waits twice as long (upstream Backoff.Next). */
  next(key: string): void {
    const now = this.clock.now();
    const e = this.entries.get(key);
    const expired = !e || now - e.at > 2 * this.maxMs;
    this.entries.set(key, { delayMs: expired ? this.initialMs : Math.min(2 * e.delayMs, this.maxMs), at: now });
  }

  /** Drops entries idle for twice the maximum (upstream GC, called periodically). */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (now - e.at > 2 * this.maxMs) this.entries.delete(k);
  }
}
