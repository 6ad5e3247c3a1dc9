// When the proxy syncs (upstream's BoundedFrequencyRunner, reduced): requests coalesce into one
// run, runs never overlap and start at least `minIntervalMs` apart, a failed run is retried as a
// full run after a doubling backoff, and a full run is requested `periodMs` after the last full
// run ended, to repair drift.
//
// Contract: `run(full)` is called with full=true when any coalesced request asked for a full
// sync (the first one, the periodic one, or a retry after a failure); requests made while a run is
// in flight start a new run after it. `start(signal)` resolves once the signal aborted and the run
// in flight (if any) has finished — so the caller may then tear down what `run` uses.
import { realClock, type Clock, type TimerHandle } from '../../client/index.js';

export interface SyncRunnerOptions {
  /** Least time between two runs' starts (batches bursts of events). */
  minIntervalMs: number;
  /** A full run is requested this long after the previous full run ended (0: never). */
  periodMs: number;
  /** Retry delay after the first failure, doubling per consecutive failure up to `retryMaxMs`. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  run(full: boolean): Promise<void>;
  /** A run failed; a full run follows in `retryInMs` (or sooner, on the next request). */
  onError?(err: unknown, retryInMs: number): void;
  clock?: Clock;
}

export class SyncRunner {
  private readonly clock: Clock;
  private pending = false;
  private fullPending = false;
  private running: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private periodTimer: TimerHandle | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private stopped = false;

  constructor(private readonly opts: SyncRunnerOptions) {
    this.clock = opts.clock ?? realClock;
  }

  /** Asks for a run (a full one if `full`); coalesces with other requests. */
  request(full = false): void {
    if (this.stopped) return;
    this.pending = true;
    if (full) this.fullPending = true;
    this.schedule();
  }

  /** Runs requests until `signal` aborts; resolves after the last run finished. Call once. */
  async start(signal: AbortSignal): Promise<void> {
    if (!signal.aborted) await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    this.stopped = true;
    this.timer?.cancel();
    this.retryTimer?.cancel();
    this.periodTimer?.cancel();
    await this.running;
  }

  private armPeriod(): void {
    if (this.opts.periodMs <= 0 || this.stopped) return;
    this.periodTimer?.cancel();
    // Re-armed when the full run it asks for ends: the period counts from the last full run's
    // end, so a full run slower than the period never queues the next one right behind it.
    this.periodTimer = this.clock.setTimer(this.opts.periodMs, () => {
      this.periodTimer = undefined;
      this.request(true);
    });
  }

  private schedule(): void {
    if (this.running || this.timer || !this.pending || this.stopped) return;
    const delay = Math.max(0, this.lastStart + this.opts.minIntervalMs - this.clock.now());
    this.timer = this.clock.setTimer(delay, () => {
      this.timer = undefined;
      this.running = this.fire().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    });
  }

  private async fire(): Promise<void> {
    if (this.stopped) return;
    const full = this.fullPending;
    this.pending = false;
    this.fullPending = false;
    this.lastStart = this.clock.now();
    try {
      await this.opts.run(full).finally(() => { if (full) this.armPeriod(); });
      this.failures = 0;
      this.retryTimer?.cancel();
      this.retryTimer = undefined;
    } catch (e) {
      const initial = this.opts.retryInitialMs ?? 1000;
      const delay = Math.min(this.opts.retryMaxMs ?? 30_000, initial * 2 ** this.failures++);
      // Whatever the failed run left behind, the next one reprograms everything.
      this.fullPending = true;
      this.opts.onError?.(e, delay);
      this.retryTimer?.cancel();
      this.retryTimer = this.clock.setTimer(delay, () => {
        this.retryTimer = undefined;
        this.request(true);
      });
    }
  }
}
