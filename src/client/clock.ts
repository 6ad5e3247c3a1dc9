// Time as a port (design principle 3): the work queue's delays and rate limits read an injected
// Clock, so tests drive them with ManualClock instead of sleeping.

export interface TimerHandle { cancel(): void }

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms` (never synchronously). */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that moves only when `advance` is called; due timers fire in time order. */
export class ManualClock implements Clock {
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  constructor(private current = 0) {}

  now(): number { return this.current; }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(t);
    return { cancel: () => { this.timers = this.timers.filter((x) => x !== t); } };
  }

  /** Moves time forward by `ms`, firing every timer due on the way, each at its own time. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = end;
  }

  /** Timers not yet fired. */
  get pending(): number { return this.timers.length; }
}

/** Resolves after `ms` or when `signal` aborts, whichever is first (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
