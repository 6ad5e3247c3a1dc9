// The watch cache of one resource type: the current objects, a window of recent events, and the
// watchers fed from it. Driven only by the WatchCache hub, which applies store events in
// revision order; everything here is synchronous, so a watcher registered between two applies
// sees a consistent state (no event is lost or repeated when it switches from replay to live).
import { CachedObject } from './cached-object.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change as the cache saw it. `object` carries the change's revision (also for deletions). */
export interface CacheEvent {
  revision: number;
  key: string;
  /** The new version (put), or the deleted object re-stamped with the deletion revision. */
  object: CachedObject;
  /** The version before the change; undefined for creations. */
  prev?: CachedObject;
  deleted: boolean;
}

/** Decides which objects a watcher sees; selectors and namespace are folded into `matches`. */
export interface WatchFilter {
  /** Key prefix of interest (namespace scoping). */
  prefix: string;
  matches(o: CachedObject): boolean;
}

export interface CacheWatcherSink {
  /** One event for this watcher. Must not throw. */
  send(type: WatchEventType, object: CachedObject): void;
}

interface Watching { filter: WatchFilter; sink: CacheWatcherSink }

/** Translates a raw change into what a filtered watcher sees (upstream cacheWatcher semantics). */
export function filteredEvent(e: CacheEvent, filter: WatchFilter): { type: WatchEventType; object: CachedObject } | undefined {
  if (!e.key.startsWith(filter.prefix)) return undefined;
  const prevMatch = e.prev !== undefined && filter.matches(e.prev);
  if (e.deleted) return prevMatch ? { type: 'DELETED', object: e.object } : undefined;
  const curMatch = filter.matches(e.object);
  if (curMatch) return { type: prevMatch ? 'MODIFIED' : 'ADDED', object: e.object };
  if (prevMatch) return { type: 'DELETED', object: e.object };
  return undefined;
}

export class ResourceCache {
  private readonly items = new Map<string, CachedObject>();
  private sortedKeys?: string[];
  private history: CacheEvent[] = [];
  /** Every event with revision > oldestRevision is in `history`. */
  private oldest = 0;
  private readonly watchers = new Set<Watching>();

  constructor(readonly prefix: string, private readonly historyCapacity = 10_000) {}

  /** Loads the initial state read at `revision` (before any event is applied). */
  reset(objects: CachedObject[], revision: number): void {
    this.items.clear();
    for (const o of objects) this.items.set(o.key, o);
    this.sortedKeys = undefined;
    this.history = [];
    this.oldest = revision;
  }

  /** Revision from which a watch can be served from history (exclusive lower bound). */
  get oldestRevision(): number {
    return this.oldest;
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): CachedObject | undefined {
    return this.items.get(key);
  }

  /** Objects under `prefix`, in key order (as etcd ranges return them). */
  list(prefix: string): CachedObject[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.items.keys()].sort();
    const keys = this.sortedKeys;
    const out: CachedObject[] = [];
    if (prefix === this.prefix) {
      for (const k of keys) out.push(this.items.get(k)!);
      return out;
    }
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < keys.length && keys[i]!.startsWith(prefix); i++) out.push(this.items.get(keys[i]!)!);
    return out;
  }

  /** Applies one store change (called by the hub in revision order) and fans it out. */
  apply(key: string, value: string | undefined, revision: number): void {
    const prev = this.items.get(key);
    let event: CacheEvent;
    if (value === undefined) {
      if (!prev) return;
      this.items.delete(key);
      this.sortedKeys = undefined;
      event = { revision, key, object: new CachedObject(key, prev.value, revision), prev, deleted: true };
    } else {
      const object = new CachedObject(key, value, revision);
      this.items.set(key, object);
      if (!prev) this.sortedKeys = undefined;
      event = { revision, key, object, prev, deleted: false };
    }
    this.history.push(event);
    if (this.history.length > this.historyCapacity * 2) {
      const drop = this.history.length - this.historyCapacity;
      this.oldest = this.history[drop - 1]!.revision;
      this.history = this.history.slice(drop);
    }
    for (const w of this.watchers) {
      const fe = filteredEvent(event, w.filter);
      if (fe) w.sink.send(fe.type, fe.object);
    }
  }

  /**
   * Registers a watcher that first receives every event with revision > `fromRevision` from
   * history, then live events. Returns undefined when `fromRevision` is older than the window
   * (the caller falls back to a store watch or answers 410).
   */
  watchFrom(fromRevision: number, filter: WatchFilter, sink: CacheWatcherSink): (() => void) | undefined {
    if (fromRevision < this.oldest) return undefined;
    let i = this.history.length;
    while (i > 0 && this.history[i - 1]!.revision > fromRevision) i--;
    for (let j = i; j < this.history.length; j++) {
      const fe = filteredEvent(this.history[j]!, filter);
      if (fe) sink.send(fe.type, fe.object);
    }
    return this.register(filter, sink);
  }

  /** Registers a watcher that first receives ADDED for every current matching object. */
  watchWithInitialState(filter: WatchFilter, sink: CacheWatcherSink): () => void {
    for (const o of this.list(filter.prefix)) if (filter.matches(o)) sink.send('ADDED', o);
    return this.register(filter, sink);
  }

  private register(filter: WatchFilter, sink: CacheWatcherSink): () => void {
    const w: Watching = { filter, sink };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}
