// An informer: list, then watch from the list's resourceVersion, keeping a CacheStore current and
// telling handlers what changed (client-go's reflector + shared informer, one loop).
//
// Contracts:
// - Handlers run synchronously on the informer's loop, in the order changes happened, one at a
//   time; they should be quick (enqueue a key) and must not mutate the objects they receive.
//   A handler's exception is reported to `onError` and does not stop the informer.
// - The cache is updated BEFORE handlers are called, so a handler reading the cache sees the
//   change it is told about.
// - No change is delivered twice and none out of order: watches resume from the last
//   resourceVersion seen (event or bookmark); a relist (after 410 Expired, an ERROR event or an
//   unexpected failure) delivers only the difference between the cache and the new list. An
//   object deleted while the informer could not see it is delivered as its last known state.
// - Objects unchanged by a relist (same resourceVersion) are not delivered again.
import type { KubeObject, Status } from '../api/index.js';
import { isStatusError, StatusError } from '../api/light.js';
import { CacheStore, objectKey, type IndexFunc, type Indexer } from './cache-store.js';
import { sleep } from './clock.js';
import type { ResourceClient, WatchEvent } from './resource-client.js';

export interface EventHandlers {
  onAdd?(obj: KubeObject): void;
  /** Also called with old === new on a periodic resync. */
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  /** The last state the informer knew. */
  onDelete?(obj: KubeObject): void;
}

export interface InformerOptions {
  /** Namespace to watch; '' or absent: all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Secondary indexes of the cache, e.g. `{ nodeName: (p) => [p.spec.nodeName] }`. */
  indexers?: Record<string, IndexFunc>;
  /** Calls onUpdate(obj, obj) for every cached object this often; 0/absent: never. */
  resyncPeriodMs?: number;
  /** Retry delays after failures: doubling from `initialMs` up to `maxMs` (default 800 ms → 30 s, as client-go). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Watch `timeoutSeconds` is drawn uniformly from this range (default [300, 600], as client-go). */
  watchTimeoutSeconds?: [number, number];
  /** Page size of lists (default 500). */
  pageSize?: number;
  /** Failures the informer recovers from, and handler exceptions. Default: ignored. */
  onError?(err: unknown): void;
  /**
   * Rewrites each listed or watched object before it is cached and delivered (client-go's
   * SetTransform), e.g. to drop fields the consumer never reads and save memory. It may return a
   * new object or mutate and return its argument; it must keep metadata (name, namespace,
   * resourceVersion) intact.
   */
  transform?(obj: KubeObject): KubeObject;
}

/** A change too old for the server's history: relist rather than resume. */
function needsRelist(e: unknown): boolean {
  if (!isStatusError(e)) return false;
  if (e.code === 410) return true;
  // A resourceVersion ahead of the server (e.g. the server's data was replaced).
  return e.code === 504 && /too large resource version/i.test(e.message);
}

/** Statuses worth retrying the watch from the same resourceVersion (transient). */
function retryableStatus(e: StatusError): boolean {
  return e.code === 429 || e.code >= 500;
}

function numericVersion(rv: string | undefined): number | undefined {
  return rv && /^\d+$/.test(rv) ? Number(rv) : undefined;
}

export class Informer {
  private readonly cache: CacheStore;
  private readonly handlers: EventHandlers[] = [];
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running = false;
  private rv = '';

  constructor(private readonly resource: ResourceClient, private readonly opts: InformerOptions = {}) {
    this.cache = new CacheStore(opts.indexers);
  }

  /** The cache (a lister). Filled once `hasSynced()`. */
  get store(): Indexer { return this.cache; }

  /** The resourceVersion the cache reflects (from the last list, event or bookmark). */
  get lastSyncResourceVersion(): string { return this.rv; }

  /**
   * Registers handlers. Registered after objects were cached, the handler first receives onAdd
   * for each of them (as client-go does for late handlers).
   */
  addEventHandler(h: EventHandlers): void {
    this.handlers.push(h);
    for (const obj of this.cache.list()) this.call(h, 'onAdd', obj);
  }

  /** True once the first list has been delivered to handlers. */
  hasSynced(): boolean { return this.synced; }

  /** Resolves true once synced, or false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** Runs list+watch until `signal` aborts; resolves after the loop has stopped. Call once. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('informer already started');
    this.running = true;
    const resync = this.opts.resyncPeriodMs ? setInterval(() => this.resync(), this.opts.resyncPeriodMs) : undefined;
    const initial = this.opts.backoff?.initialMs ?? 800;
    const max = this.opts.backoff?.maxMs ?? 30_000;
    let failures = 0;
    let needList = true;
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            await this.relist();
            needList = false;
          }
          const { events, durationMs } = await this.watchOnce(signal);
          if (events > 0 || durationMs >= 1000) failures = 0;
          else if (!signal.aborted) await sleep(Math.min(max, initial * 2 ** failures++), signal);
        } catch (e) {
          if (signal.aborted) break;
          this.opts.onError?.(e);
          if (needsRelist(e)) {
            needList = true;
            continue;
          }
          if (isStatusError(e) && !retryableStatus(e)) needList = true;
          await sleep(Math.min(max, initial * 2 ** failures++), signal);
        }
      }
    } finally {
      if (resync) clearInterval(resync);
      this.running = false;
    }
  }

  /** Lists everything and delivers the difference from the cache. */
  private async relist(): Promise<void> {
    const list = await this.resource.listAll(this.opts.namespace ?? '', {
      labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector, limit: this.opts.pageSize ?? 500,
    });
    const seen = new Set<string>();
    const transform = this.opts.transform;
    for (const item of list.items) {
      const obj = transform ? transform(item) : item;
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.cache.put(obj);
      if (old) this.deliver('onUpdate', old, obj);
      else this.deliver('onAdd', obj);
    }
    for (const key of this.cache.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.cache.remove(key)!;
      this.deliver('onDelete', old);
    }
    this.rv = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** One watch from `this.rv` until the server ends it, it fails (throws) or `signal` aborts. */
  private async watchOnce(signal: AbortSignal): Promise<{ events: number; durationMs: number }> {
    const started = Date.now();
    const [lo, hi] = this.opts.watchTimeoutSeconds ?? [300, 600];
    const watch = new AbortController();
    const onAbort = () => watch.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let failure: StatusError | undefined;
    let events = 0;
    try {
      await this.resource.watch(this.opts.namespace ?? '', {
        resourceVersion: this.rv, allowWatchBookmarks: true,
        timeoutSeconds: Math.floor(lo + Math.random() * (hi - lo + 1)),
        labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
      }, (e: WatchEvent) => {
        if (watch.signal.aborted) return;
        if (e.type === 'ERROR') {
          failure = new StatusError(e.object as unknown as Status);
          watch.abort();
          return;
        }
        events++;
        this.apply(e);
      }, watch.signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (failure) throw failure;
    return { events, durationMs: Date.now() - started };
  }

  private apply(e: WatchEvent): void {
    const rv = e.object.metadata?.resourceVersion ?? '';
    const seen = numericVersion(this.rv);
    const at = numericVersion(rv);
    if (seen !== undefined && at !== undefined && at <= seen) return; // already delivered
    if (e.type === 'BOOKMARK') {
      this.rv = rv;
      return;
    }
    const key = objectKey(e.object);
    if (e.type === 'DELETED') {
      const old = this.cache.remove(key);
      this.rv = rv;
      this.deliver('onDelete', old ?? (this.opts.transform ? this.opts.transform(e.object) : e.object));
      return;
    }
    const obj = this.opts.transform ? this.opts.transform(e.object) : e.object;
    const old = this.cache.put(obj);
    this.rv = rv;
    if (old) this.deliver('onUpdate', old, obj);
    else this.deliver('onAdd', obj);
  }

  private resync(): void {
    for (const obj of this.cache.list()) this.deliver('onUpdate', obj, obj);
  }

  private deliver(kind: 'onAdd' | 'onDelete', obj: KubeObject): void;
  private deliver(kind: 'onUpdate', old: KubeObject, obj: KubeObject): void;
  private deliver(kind: keyof EventHandlers, a: KubeObject, b?: KubeObject): void {
    for (const h of this.handlers) this.call(h, kind, a, b);
  }

  private call(h: EventHandlers, kind: keyof EventHandlers, a: KubeObject, b?: KubeObject): void {
    try {
      if (kind === 'onUpdate') h.onUpdate?.(a, b!);
      else h[kind]?.(a);
    } catch (e) {
      this.opts.onError?.(e);
    }
  }
}
