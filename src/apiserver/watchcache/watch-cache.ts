// The API server's watch cache: one store watch over `/registry/` feeds a ResourceCache per
// resource type, so lists and watches are served from memory (as upstream's cacher). It tracks
// the store revision it has applied, which makes consistent reads possible: a read that must be
// current waits until the cache has applied the store's current revision.
import { isStoreError, type Store, type Watcher, type WatchMessage } from '../../store/index.js';
import { CachedObject } from './cached-object.js';
import { ResourceCache } from './resource-cache.js';

const ROOT = '/registry/';

export class WatchCache {
  private readonly caches = new Map<string, ResourceCache>();
  private applied = 0;
  private watcher?: Watcher;
  private waiters: { revision: number; resolve: () => void }[] = [];
  private failed?: Error;

  constructor(private readonly store: Store, prefixes: string[]) {
    for (const p of prefixes) this.caches.set(p, new ResourceCache(p));
  }

  /** The newest store revision whose events have all been applied. */
  get revision(): number {
    return this.applied;
  }

  get healthy(): boolean {
    return this.watcher !== undefined && !this.failed;
  }

  resource(prefix: string): ResourceCache {
    const c = this.caches.get(prefix);
    if (!c) throw new Error(`no watch cache for ${prefix}`);
    return c;
  }

  /** Loads every resource at one revision, then follows the store from there. */
  async start(): Promise<void> {
    const snapshot = await this.store.range(ROOT);
    const byPrefix = new Map<string, CachedObject[]>();
    for (const kv of snapshot.kvs) {
      const p = this.prefixOf(kv.key);
      if (!p) continue;
      let arr = byPrefix.get(p);
      if (!arr) byPrefix.set(p, (arr = []));
      arr.push(new CachedObject(kv.key, kv.value, kv.modRevision));
    }
    for (const [p, cache] of this.caches) cache.reset(byPrefix.get(p) ?? [], snapshot.revision);
    this.applied = snapshot.revision;
    this.watcher = this.store.watch(ROOT, (m) => this.onMessage(m), { fromRevision: snapshot.revision + 1, progressIntervalMs: 1000 });
  }

  stop(): void {
    this.watcher?.cancel();
    this.watcher = undefined;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  /**
   * Resolves once the cache has applied `revision` (default: the store's current revision, for
   * consistent reads). Rejects after `timeoutMs` (upstream answers 504 "Too large resource version").
   */
  async waitFresh(revision?: number, timeoutMs = 3000): Promise<number> {
    if (this.failed) throw this.failed;
    const target = revision ?? (await this.store.currentRevision());
    if (this.applied >= target) return this.applied;
    this.store.requestProgress();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new WaitTimeoutError(target, this.applied));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ revision: target, resolve: done });
    });
    return this.applied;
  }

  private onMessage(m: WatchMessage): void {
    if (m.kind === 'error') {
      if (!isStoreError(m.error, 'Closed')) this.failed = m.error;
      return;
    }
    if (m.kind === 'events') {
      for (const e of m.events) {
        const key = e.type === 'put' ? e.kv.key : e.key;
        const p = this.prefixOf(key);
        if (!p) continue;
        const cache = this.caches.get(p)!;
        if (e.type === 'put') cache.apply(key, e.kv.value, e.kv.modRevision);
        else cache.apply(key, undefined, e.revision);
      }
    }
    if (m.revision > this.applied) this.applied = m.revision;
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.revision <= this.applied);
      this.waiters = this.waiters.filter((w) => w.revision > this.applied);
      for (const w of ready) w.resolve();
    }
  }

  /** Maps a key to the resource prefix it belongs to: `/registry/pods/…` or `/registry/apps/deployments/…`. */
  private prefixOf(key: string): string | undefined {
    const a = key.indexOf('/', ROOT.length);
    if (a < 0) return undefined;
    const one = key.slice(0, a + 1);
    if (this.caches.has(one)) return one;
    const b = key.indexOf('/', a + 1);
    if (b < 0) return undefined;
    const two = key.slice(0, b + 1);
    return this.caches.has(two) ? two : undefined;
  }
}

export class WaitTimeoutError extends Error {
  constructor(readonly target: number, readonly applied: number) {
    super(`Too large resource version: ${target}, current: ${applied}`);
  }
}
