// Serves requests for resources: maps (verb, subresource) to registry operations and shapes the
// result as the client negotiated (object, Table, PartialObjectMetadata; JSON or YAML).
import { apiVersionOf, errors, EvictionDeleteOptionsSchema, type KubeObject, type ResourceType } from '../api/index.js';
import { readObjectBody } from './request-body.js';
import type { ApiRequest, ApiResponse } from './http/types.js';
import { negotiate, parseBody, type Negotiated } from './http/negotiate.js';
import { jsonResponse, warningHeaders } from './http/respond.js';
import type { ResourceRequestInfo } from './request-info.js';
import type { OpContext, RegistryDeps } from './registry/context.js';
import type { ServedResource } from './registry/catalogue.js';
import { createObject, patchObject, updateObject, type PatchType } from './registry/write.js';
import { deleteObject, parseDeleteOptions } from './registry/delete.js';
import { getObject, listObjects, type ListResult } from './registry/read.js';
import { bookmarkObject, watchObjects, type WatchEncoder } from './registry/watch.js';
import { patchTypeOf, SERVED_PATCH_TYPES, unsupportedPatchType } from './patch/index.js';
import { partialObjectMetadata, toTable } from './tables/index.js';
import type { CachedObject } from './watchcache/cached-object.js';
import { handleSubresource } from './subresources.js';

export interface ResourceHandlerOptions {
  bookmarkIntervalMs?: number;
}

type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw errors.badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

/** One object in the negotiated shape. */
export function shapeObject(neg: Negotiated, rt: ResourceType, obj: KubeObject, query: URLSearchParams, now: Date): unknown {
  if (neg.shape === 'table') return toTable(rt, [obj], { includeObject: includeObjectOf(query), now });
  if (neg.shape === 'metadata') return partialObjectMetadata(obj, neg.metaVersion);
  return obj;
}

function shapeList(neg: Negotiated, rt: ResourceType, r: ListResult, query: URLSearchParams, now: Date): string | unknown {
  const listMeta: Record<string, unknown> = { resourceVersion: r.resourceVersion };
  if (r.continue) listMeta.continue = r.continue;
  if (r.remainingItemCount !== undefined && r.continue) listMeta.remainingItemCount = r.remainingItemCount;
  if (neg.shape === 'table') {
    return toTable(rt, r.items.map((i) => i.obj), { includeObject: includeObjectOf(query), now, listMeta });
  }
  if (neg.shape === 'metadata') {
    return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${neg.metaVersion}`, metadata: listMeta, items: r.items.map((i) => partialObjectMetadata(i.obj, neg.metaVersion)) };
  }
  // Concatenate the cached JSON of each item: no re-serialisation of large lists.
  const head = JSON.stringify({ kind: `${rt.kind}List`, apiVersion: apiVersionOf(rt), metadata: listMeta });
  return `${head.slice(0, -1)},"items":[${r.items.map((i) => i.json).join(',')}]}`;
}

function watchEncoder(neg: Negotiated, rt: ResourceType, query: URLSearchParams, now: () => Date): WatchEncoder {
  const kind = rt.kind;
  const apiVersion = apiVersionOf(rt);
  let first = true;
  const include = neg.shape === 'table' ? includeObjectOf(query) : 'Metadata';
  return {
    event(type, o: CachedObject) {
      if (neg.shape === 'table') {
        const t = toTable(rt, [o.obj], { includeObject: include, now: now() });
        if (!first) t.columnDefinitions = [];
        first = false;
        return `{"type":"${type}","object":${JSON.stringify(t)}}\n`;
      }
      if (neg.shape === 'metadata') return `{"type":"${type}","object":${JSON.stringify(partialObjectMetadata(o.obj, neg.metaVersion))}}\n`;
      return `{"type":"${type}","object":${o.json}}\n`;
    },
    bookmark(rv, annotations) {
      return `{"type":"BOOKMARK","object":${JSON.stringify(bookmarkObject(kind, apiVersion, rv, annotations))}}\n`;
    },
    error(status) {
      return `{"type":"ERROR","object":${JSON.stringify(status)}}\n`;
    },
  };
}

function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (!values.length) return false;
  for (const v of values) if (v !== 'All') throw errors.badRequest(`Invalid dryRun value: ${v}; the only supported value is "All"`);
  return true;
}

export async function handleResource(
  deps: RegistryDeps, served: ServedResource, info: ResourceRequestInfo, req: ApiRequest, query: URLSearchParams, opts: ResourceHandlerOptions,
): Promise<ApiResponse> {
  const { rt } = served;
  const ctx: OpContext = {
    served, namespace: rt.namespaced ? info.namespace : '', name: info.name, subresource: info.subresource,
    query, user: req.user!, warnings: [], dryRun: parseDryRun(query),
  };
  const now = deps.now();
  const allowTable = !info.subresource || info.subresource === 'status';
  const neg = negotiate(req.headers['accept'], allowTable);
  const one = (status: number, obj: KubeObject) => jsonResponse(status, shapeObject(neg, rt, obj, query, now), ctx.warnings, neg.format);

  if (info.subresource) return handleSubresource(deps, ctx, info, req, neg, one);

  if (rt.createOnly && info.verb !== 'create') throw errors.methodNotSupported({ group: rt.group, resource: rt.plural }, info.verb);
  if (!(rt.verbs ?? ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']).includes(info.verb as never)) {
    throw errors.methodNotSupported({ group: rt.group, resource: rt.plural }, info.verb);
  }
  switch (info.verb) {
    case 'get':
      return one(200, await getObject(deps, ctx));
    case 'list': {
      const r = await listObjects(deps, ctx);
      return jsonResponse(200, shapeList(neg, rt, r, query, now), ctx.warnings, neg.format);
    }
    case 'watch': {
      const stream = await watchObjects(deps, ctx, watchEncoder(neg, rt, query, deps.now), { bookmarkIntervalMs: opts.bookmarkIntervalMs });
      return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, private', ...warningHeaders(ctx.warnings) }, stream };
    }
    case 'create': {
      if (info.name) throw errors.methodNotAllowed();
      return one(201, await createObject(deps, ctx, readObjectBody(req, rt.schema)));
    }
    case 'update': {
      return one(200, await updateObject(deps, ctx, readObjectBody(req, rt.schema)));
    }
    case 'patch': {
      const type = patchTypeOf(req.headers['content-type'] ?? '');
      if (type === undefined || type === 'apply') {
        throw unsupportedPatchType(req.headers['content-type'] ?? '', SERVED_PATCH_TYPES);
      }
      const patch = parseBody(req.body, 'application/json');
      return one(200, await patchObject(deps, ctx, type as PatchType, patch));
    }
    case 'delete': {
      const body = req.body?.length ? readObjectBody(req, EvictionDeleteOptionsSchema) : undefined;
      const out = await deleteObject(deps, ctx, parseDeleteOptions(body, query));
      return one(out.deleted ? 200 : 202, out.object);
    }
    case 'deletecollection': {
      const body = req.body?.length ? readObjectBody(req, EvictionDeleteOptionsSchema) : undefined;
      const opts = parseDeleteOptions(body, query);
      const r = await listObjects(deps, { ...ctx, query: withoutPaging(query) });
      const deleted: KubeObject[] = [];
      for (const item of r.items) {
        const m = item.obj.metadata!;
        try {
          const out = await deleteObject(deps, { ...ctx, namespace: m.namespace ?? '', name: m.name! }, opts);
          deleted.push(out.object);
        } catch (e) {
          if ((e as { status?: { code?: number } }).status?.code !== 404) throw e;
        }
      }
      const list = { kind: `${rt.kind}List`, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(deps.cache.revision) }, items: deleted };
      return jsonResponse(200, list, ctx.warnings, neg.format);
    }
    default:
      throw errors.methodNotAllowed();
  }
}

function withoutPaging(q: URLSearchParams): URLSearchParams {
  const c = new URLSearchParams(q);
  c.delete('limit');
  c.delete('continue');
  return c;
}
