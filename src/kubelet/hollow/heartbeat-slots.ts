// Spreads periodic per-node work (lease renewals) evenly over the interval: nodes are filed in
// `slots` buckets round-robin and one bucket is visited per tick, so N nodes renewing every
// `intervalMs` cost N/intervalMs renewals per ms with no bursts and one timer in total.
import type { Clock, TimerHandle } from '../../client/index.js';

export class HeartbeatSlots {
  private readonly buckets: string[][];
  private next = 0;
  private filed = 0;
  private timer?: TimerHandle;

  /**
   * `visit` is called for each node of the visited bucket; it must not throw and should only
   * enqueue work. `slots` ticks make one interval.
   */
  constructor(private readonly clock: Clock, private readonly intervalMs: number, private readonly visit: (nodeName: string) => void, slots = 100) {
    this.buckets = Array.from({ length: Math.max(1, Math.min(slots, Math.floor(intervalMs) || 1)) }, () => []);
  }

  /** Files a node; its first visit comes within one interval. */
  add(nodeName: string): void {
    this.buckets[this.filed++ % this.buckets.length]!.push(nodeName);
  }

  start(): void {
    if (this.timer) return;
    const tickMs = this.intervalMs / this.buckets.length;
    const tick = () => {
      const bucket = this.buckets[this.next]!;
      this.next = (this.next + 1) % this.buckets.length;
      for (const name of bucket) this.visit(name);
      this.timer = this.clock.setTimer(tickMs, tick);
    };
    this.timer = this.clock.setTimer(tickMs, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
