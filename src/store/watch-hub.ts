// Watch fan-out shared by both backends. A backend owns the history and calls `publish` once per
// durable commit, in revision order, synchronously with making that revision current. A watcher
// that starts in the past first replays history in chunks through `WatchSource.readEvents` and,
// in the same synchronous step that finds it has reached the current revision, switches to live
// events: commits published while it replayed are read from history instead, so it sees every
// event exactly once and in order. Listeners run from a per-watcher queue drained on a later
// macrotask, never inside the caller and never re-entrantly.
import { StoreError, eventRevision, type WatchEvent, type WatchMessage, type WatchOptions, type Watcher } from './store.js';
import { prefixEnd } from './keys.js';
import { compactedError } from './revisions.js';

export interface WatchSource {
  currentRevision(): number;
  compactRevision(): number;
  /** Events for keys in [prefix, prefixEnd(prefix)) with revision in [from, to], ascending. */
  readEvents(prefix: string, from: number, to: number): WatchEvent[];
}

export interface WatchHubOptions {
  /** Revisions read per replay step; bounds the time a replaying watcher holds the thread. */
  replayChunk?: number;
  /** Wall clock for progress idleness (ms). */
  now?: () => number;
}

type Mode = 'replay' | 'live' | 'ending' | 'done';

class HubWatcher implements Watcher {
  mode: Mode = 'live';
  next = 0;
  progressRequested = false;
  lastEnqueuedAt: number;
  private readonly queue: WatchMessage[] = [];
  private draining = false;
  private scheduled = false;
  timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: WatchHub,
    readonly prefix: string,
    readonly end: string | undefined,
    private readonly listener: (msg: WatchMessage) => void,
    now: number,
  ) {
    this.lastEnqueuedAt = now;
  }

  matches(key: string): boolean {
    return key >= this.prefix && (this.end === undefined || key < this.end) && key.startsWith(this.prefix);
  }

  enqueue(msg: WatchMessage, now: number): void {
    if (this.mode === 'done') return;
    this.queue.push(msg);
    this.lastEnqueuedAt = now;
    if (!this.scheduled && !this.draining) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Ends the watch after the queued messages with a final error message. */
  fail(error: StoreError, now: number): void {
    if (this.mode === 'done' || this.mode === 'ending') return;
    this.enqueue({ kind: 'error', error }, now);
    this.mode = 'ending';
    this.stopTimer();
    this.hub.forget(this);
  }

  cancel(): void {
    this.mode = 'done';
    this.queue.length = 0;
    this.stopTimer();
    this.hub.forget(this);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private drain(): void {
    this.scheduled = false;
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && this.mode !== 'done') {
        const msg = this.queue.shift()!;
        if (msg.kind === 'error') this.mode = 'done';
        try {
          this.listener(msg);
        } catch (err) {
          // A throwing listener must not break delivery to itself or to others.
          queueMicrotask(() => { throw err; });
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

export class WatchHub {
  private readonly watchers = new Set<HubWatcher>();
  private readonly replayChunk: number;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly source: WatchSource, opts: WatchHubOptions = {}) {
    this.replayChunk = opts.replayChunk ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  watch(prefix: string, listener: (msg: WatchMessage) => void, opts: WatchOptions = {}): Watcher {
    const w = new HubWatcher(this, prefix, prefixEnd(prefix), listener, this.now());
    if (this.closed) {
      w.fail(new StoreError('Closed', 'store is closed'), this.now());
      return w;
    }
    const current = this.source.currentRevision();
    const from = opts.fromRevision ?? 0;
    const compacted = this.source.compactRevision();
    if (from > 0 && from < compacted) {
      w.fail(compactedError(from, compacted), this.now());
      return w;
    }
    this.watchers.add(w);
    if (from > 0 && from <= current) {
      w.mode = 'replay';
      w.next = from;
      setImmediate(() => this.replayStep(w));
    } else {
      w.next = from > 0 ? from : current + 1;
    }
    const interval = opts.progressIntervalMs ?? 0;
    if (interval > 0) {
      w.timer = setInterval(() => {
        if (w.mode === 'live' && this.now() - w.lastEnqueuedAt >= interval) {
          w.enqueue({ kind: 'progress', revision: this.source.currentRevision() }, this.now());
        }
      }, interval);
      w.timer.unref();
    }
    return w;
  }

  /** Called by the backend right after `revision` (the last of `events`) became current. */
  publish(events: readonly WatchEvent[], revision: number): void {
    const now = this.now();
    for (const w of this.watchers) {
      if (w.mode !== 'live') continue;
      const mine = events.filter((e) => eventRevision(e) >= w.next && w.matches(e.type === 'put' ? e.kv.key : e.key));
      if (mine.length > 0) w.enqueue({ kind: 'events', events: mine, revision }, now);
      if (revision >= w.next) w.next = revision + 1;
    }
  }

  requestProgress(): void {
    const now = this.now();
    const revision = this.source.currentRevision();
    for (const w of this.watchers) {
      if (w.mode === 'live') w.enqueue({ kind: 'progress', revision }, now);
      else if (w.mode === 'replay') w.progressRequested = true;
    }
  }

  /** Ends every watcher with `error` (after what is already queued). Later watches fail at once. */
  close(error: StoreError): void {
    this.closed = true;
    for (const w of [...this.watchers]) w.fail(error, this.now());
  }

  /** @internal called by a watcher that ended. */
  forget(w: HubWatcher): void {
    this.watchers.delete(w);
  }

  private replayStep(w: HubWatcher): void {
    if (w.mode !== 'replay') return;
    const compacted = this.source.compactRevision();
    if (w.next < compacted) {
      w.fail(compactedError(w.next, compacted), this.now());
      return;
    }
    const current = this.source.currentRevision();
    if (w.next > current) {
      w.mode = 'live';
      if (w.progressRequested) w.enqueue({ kind: 'progress', revision: current }, this.now());
      w.progressRequested = false;
      return;
    }
    const to = Math.min(current, w.next + this.replayChunk - 1);
    let events: WatchEvent[];
    try {
      events = this.source.readEvents(w.prefix, w.next, to);
    } catch (err) {
      w.fail(err instanceof StoreError ? err : new StoreError('Closed', `watch replay failed: ${String(err)}`), this.now());
      return;
    }
    if (events.length > 0) w.enqueue({ kind: 'events', events, revision: to }, this.now());
    w.next = to + 1;
    setImmediate(() => this.replayStep(w));
  }
}
