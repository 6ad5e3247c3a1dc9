// Get and list with upstream's resourceVersion semantics:
//   unset → most recent (consistent), "0" → any (the cache as it is), N + NotOlderThan (default)
//   → at least N, N + Exact → exactly N (from the store's history; 410 when compacted).
// Lists are served from the watch cache; a paginated list's later pages (`continue`) read the
// store's history at the first page's revision, so all pages form one consistent snapshot.
import { errors, groupResourceOf, type KubeObject } from '../../api/index.js';
import { isStoreError } from '../../store/index.js';
import { CachedObject } from '../watchcache/cached-object.js';
import { WaitTimeoutError } from '../watchcache/watch-cache.js';
import { listPrefix, objectKey } from './keys.js';
import { buildSelection, type Selection } from './selection.js';
import { readCurrent } from './write.js';
import type { OpContext, RegistryDeps } from './context.js';

export interface ListResult {
  items: CachedObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface ReadVersion {
  mode: 'latest' | 'any' | 'notOlderThan' | 'exact';
  revision: number;
}

export function parseReadVersion(query: URLSearchParams): ReadVersion {
  const rv = query.get('resourceVersion');
  const match = query.get('resourceVersionMatch');
  if (match !== null && match !== '' && match !== 'NotOlderThan' && match !== 'Exact') {
    throw errors.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (rv === null || rv === '') {
    if (match) throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    return { mode: 'latest', revision: 0 };
  }
  if (!/^\d+$/.test(rv)) throw errors.badRequest(`Invalid value: "${rv}": resourceVersion is not a valid integer`);
  const revision = Number(rv);
  if (match === 'Exact') {
    if (revision === 0) throw errors.badRequest('resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
    return { mode: 'exact', revision };
  }
  return revision === 0 ? { mode: 'any', revision: 0 } : { mode: 'notOlderThan', revision };
}

/** Waits for the cache to reach the revision a read needs; 504 when it does not in time. */
export async function freshCache(deps: RegistryDeps, rv: ReadVersion): Promise<void> {
  try {
    if (rv.mode === 'latest') await deps.cache.waitFresh();
    else if (rv.mode === 'notOlderThan') await deps.cache.waitFresh(rv.revision);
  } catch (e) {
    if (e instanceof WaitTimeoutError) throw errors.timeout(`Too large resource version: ${e.target}, current: ${e.applied}`, 1);
    throw e;
  }
}

export async function getObject(deps: RegistryDeps, ctx: OpContext): Promise<KubeObject> {
  const { rt, prefix } = ctx.served;
  const rv = parseReadVersion(ctx.query);
  if (rv.mode === 'latest') return (await readCurrent(deps, ctx)).obj;
  if (rv.mode === 'exact') {
    const r = await storeRead(() => deps.store.get(objectKey(rt, ctx.namespace, ctx.name), { revision: rv.revision }), rv.revision);
    if (!r.kv) throw errors.notFound(groupResourceOf(rt), ctx.name);
    return new CachedObject(r.kv.key, r.kv.value, r.kv.modRevision).obj;
  }
  await freshCache(deps, rv);
  const o = deps.cache.resource(prefix).get(objectKey(rt, ctx.namespace, ctx.name));
  if (!o) throw errors.notFound(groupResourceOf(rt), ctx.name);
  return o.obj;
}

interface ContinueToken { v: string; rv: number; start: string }

export function encodeContinue(revision: number, startSuffix: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start: startSuffix })).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || !Number.isInteger(t.rv) || t.rv <= 0 || typeof t.start !== 'string' || t.start.includes('/..') || t.start.startsWith('..')) throw new Error('bad');
    return t;
  } catch {
    throw errors.badRequest('continue key is not valid: invalid continue token');
  }
}

function parseLimit(query: URLSearchParams): number {
  const l = query.get('limit');
  if (l === null || l === '') return 0;
  if (!/^-?\d+$/.test(l)) throw errors.badRequest(`Invalid value: "${l}": limit must be an integer`);
  return Math.max(0, Number(l));
}

export async function listObjects(deps: RegistryDeps, ctx: OpContext): Promise<ListResult> {
  const { rt, prefix } = ctx.served;
  const scope = listPrefix(rt, ctx.namespace);
  const sel = buildSelection(rt, scope, ctx.query);
  const limit = parseLimit(ctx.query);
  const cont = ctx.query.get('continue');
  if (cont) {
    if (ctx.query.get('resourceVersion')) throw errors.badRequest('specifying resource version is not allowed when using continue');
    const t = decodeContinue(cont);
    return pagedStoreList(deps, scope, sel, t.rv, scope + t.start, limit);
  }
  const rv = parseReadVersion(ctx.query);
  if (rv.mode === 'exact') return pagedStoreList(deps, scope, sel, rv.revision, scope, limit);
  await freshCache(deps, rv);
  const revision = deps.cache.revision;
  const all = deps.cache.resource(prefix).list(scope);
  const items = sel.everything ? all : all.filter((o) => sel.matches(o));
  if (limit > 0 && rv.mode === 'latest' && items.length > limit) {
    // The first page comes from the cache at its revision; later pages read the store's
    // history at that same revision, so the pages form one snapshot.
    const page = items.slice(0, limit);
    const next = page[page.length - 1]!.key + '\u0000';
    return {
      items: page, resourceVersion: String(revision), continue: encodeContinue(revision, next.slice(scope.length)),
      remainingItemCount: sel.everything ? items.length - limit : undefined,
    };
  }
  return { items, resourceVersion: String(revision) };
}

async function storeRead<T>(read: () => Promise<T>, revision: number): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (isStoreError(e, 'Compacted')) {
      throw errors.expired(`too old resource version: ${revision} (${e.compactRevision ?? 0})`);
    }
    if (isStoreError(e, 'FutureRevision')) throw errors.timeout(`Too large resource version: ${revision}`, 1);
    throw e;
  }
}

/** Reads one page at a fixed revision (0 = current), skipping objects the selection rejects. */
async function pagedStoreList(deps: RegistryDeps, scope: string, sel: Selection, revision: number, startKey: string, limit: number): Promise<ListResult> {
  const items: CachedObject[] = [];
  let start = startKey;
  let rev = revision;
  for (;;) {
    const want = limit ? Math.max(limit - items.length, sel.everything ? 1 : 100) : 0;
    const r = await storeRead(() => deps.store.range(scope, { revision: rev || undefined, startKey: start, limit: want }), rev).catch((e) => {
      if (revision && e?.status?.reason === 'Expired') {
        throw errors.expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      throw e;
    });
    rev = r.revision;
    for (let i = 0; i < r.kvs.length; i++) {
      const kv = r.kvs[i]!;
      const o = new CachedObject(kv.key, kv.value, kv.modRevision);
      if (!sel.matches(o)) continue;
      items.push(o);
      if (limit && items.length >= limit) {
        const more = i < r.kvs.length - 1 || r.more;
        if (!more) return { items, resourceVersion: String(rev) };
        const next = kv.key + '\u0000';
        return {
          items, resourceVersion: String(rev), continue: encodeContinue(rev, next.slice(scope.length)),
          remainingItemCount: sel.everything ? r.count - (i + 1) : undefined,
        };
      }
    }
    if (!r.more || r.kvs.length === 0) return { items, resourceVersion: String(rev) };
    start = r.kvs[r.kvs.length - 1]!.key + '\u0000';
  }
}
