// Watch: from the watch cache's history when the start revision is inside its window, else
// straight from the store's history (so a client resuming after a restart still gets every
// event exactly once), or 410 Expired once compacted. Events are ordered and unique per watch.
import { errors, type Status } from '../../api/index.js';
import { isStoreError, type WatchMessage } from '../../store/index.js';
import type { StreamBody } from '../http/types.js';
import { CachedObject } from '../watchcache/cached-object.js';
import { filteredEvent, type CacheWatcherSink, type WatchEventType } from '../watchcache/resource-cache.js';
import { listPrefix } from './keys.js';
import { freshCache, parseReadVersion } from './read.js';
import { buildSelection } from './selection.js';
import type { OpContext, RegistryDeps } from './context.js';

/** Renders one event line (including the trailing newline) for the negotiated shape. */
export interface WatchEncoder {
  event(type: WatchEventType, object: CachedObject): string;
  bookmark(resourceVersion: string, annotations?: Record<string, string>): string;
  error(status: Status): string;
}

export interface WatchOptions {
  /** Interval between bookmarks when the client allows them. */
  bookmarkIntervalMs?: number;
}

function parseTimeout(query: URLSearchParams): number {
  const t = query.get('timeoutSeconds');
  if (t === null || t === '') return (1800 + Math.floor(Math.random() * 1800)) * 1000;
  if (!/^\d+$/.test(t)) throw errors.badRequest(`Invalid value: "${t}": timeoutSeconds must be a non-negative integer`);
  return Number(t) * 1000;
}

function sendInitialOf(query: URLSearchParams): boolean {
  return query.get('sendInitialEvents') === 'true';
}

/** Validates the request and prepares the stream; errors here are plain HTTP errors. */
export async function watchObjects(deps: RegistryDeps, ctx: OpContext, encoder: WatchEncoder, opts: WatchOptions = {}): Promise<StreamBody> {
  const { rt, prefix } = ctx.served;
  const scope = listPrefix(rt, ctx.namespace);
  const sel = buildSelection(rt, scope, ctx.query);
  // sendInitialEvents with NotOlderThan and no resourceVersion means "consistent" (KEP-3157).
  const rv = sendInitialOf(ctx.query) && !ctx.query.get('resourceVersion')
    ? { mode: 'latest' as const, revision: 0 }
    : parseReadVersion(ctx.query);
  const timeoutMs = parseTimeout(ctx.query);
  const bookmarks = ctx.query.get('allowWatchBookmarks') === 'true';
  const sendInitial = sendInitialOf(ctx.query);
  if (sendInitial && ctx.query.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw errors.invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [{ type: 'FieldValueForbidden', field: 'resourceVersionMatch', message: 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' }]);
  }
  if (rv.mode === 'exact') throw errors.badRequest('resourceVersionMatch is forbidden for watch');
  await freshCache(deps, rv);
  const cache = deps.cache.resource(prefix);

  return async (write, signal) => {
    let stop!: () => void;
    const done = new Promise<void>((resolve) => (stop = resolve));
    let lastRevision = rv.revision;
    const sink: CacheWatcherSink = {
      send(type, object) {
        lastRevision = object.revision;
        if (!write(encoder.event(type, object))) stop();
      },
    };
    let cancel: (() => void) | undefined;
    // A store-backed watcher may lag the cache: its bookmarks must not run ahead of what it sent.
    let fromStore = false;
    if (rv.mode === 'latest' || rv.mode === 'any' || sendInitial) {
      if (sendInitial && rv.mode !== 'latest' && rv.mode !== 'any') await deps.cache.waitFresh(rv.revision).catch(() => undefined);
      cancel = cache.watchWithInitialState(sel, sink);
      lastRevision = deps.cache.revision;
      if (sendInitial) write(encoder.bookmark(String(deps.cache.revision), { 'k8s.io/initial-events-end': 'true' }));
    } else {
      cancel = cache.watchFrom(rv.revision, sel, sink);
      if (!cancel) {
        // Older than the cache's window: replay from the store's history.
        fromStore = true;
        const watcher = deps.store.watch(scope, (m: WatchMessage) => {
          if (m.kind === 'error') {
            if (isStoreError(m.error, 'Compacted')) {
              write(encoder.error(errors.expired(`too old resource version: ${rv.revision} (${m.error.compactRevision ?? 0})`).status));
            }
            stop();
            return;
          }
          if (m.kind !== 'events') return;
          for (const e of m.events) {
            const ev = e.type === 'put'
              ? { revision: e.kv.modRevision, key: e.kv.key, object: new CachedObject(e.kv.key, e.kv.value, e.kv.modRevision), prev: e.prevKv && new CachedObject(e.prevKv.key, e.prevKv.value, e.prevKv.modRevision), deleted: false }
              : { revision: e.revision, key: e.key, object: new CachedObject(e.key, e.prevKv.value, e.revision), prev: new CachedObject(e.key, e.prevKv.value, e.prevKv.modRevision), deleted: true };
            const fe = filteredEvent(ev, sel);
            if (fe) sink.send(fe.type, fe.object);
          }
        }, { fromRevision: rv.revision + 1 });
        cancel = () => watcher.cancel();
      }
    }
    const timer = setTimeout(stop, timeoutMs);
    const bookmarkTimer = bookmarks
      ? setInterval(() => {
        const r = fromStore ? lastRevision : Math.max(lastRevision, deps.cache.revision);
        if (!write(encoder.bookmark(String(r)))) stop();
      }, opts.bookmarkIntervalMs ?? 60_000)
      : undefined;
    const onAbort = () => stop();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) stop();
    try {
      await done;
    } finally {
      cancel?.();
      clearTimeout(timer);
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      signal.removeEventListener('abort', onAbort);
    }
  };
}

/** A bookmark object: only kind, apiVersion and metadata.resourceVersion (+annotations). */
export function bookmarkObject(kind: string, apiVersion: string, resourceVersion: string, annotations?: Record<string, string>) {
  return { kind, apiVersion, metadata: annotations ? { resourceVersion, annotations } : { resourceVersion } };
}
