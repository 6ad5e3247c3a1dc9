// Subresources: status (through the generic update path), scale (autoscaling/v1 Scale view of
// a workload), pods/binding, pods/eviction, namespaces/finalize, and the kubelet-backed pod streams.
import {
  applyScale, bindPod, BindingSchema, errors, EvictionSchema, groupResourceOf, ScaleSchema, scaleOf, successStatus, validateBinding, validateScale,
  type Binding, type KubeObject, type Scale,
} from '../api/index.js';
import { isStoreError } from '../store/index.js';
import type { ApiRequest, ApiResponse } from './http/types.js';
import { parseBody, type Negotiated } from './http/negotiate.js';
import { jsonResponse } from './http/respond.js';
import { readObjectBody } from './request-body.js';
import type { ResourceRequestInfo } from './request-info.js';
import type { OpContext, RegistryDeps } from './registry/context.js';
import { commitUpdate, patchObject, readCurrent, updateObject, type PatchType } from './registry/write.js';
import { getObject } from './registry/read.js';
import { decodeBody, fieldValidationOf } from './registry/decode-body.js';
import { deepCopy, timestamp } from './registry/meta-ops.js';
import { evictPod } from './registry/eviction.js';
import { handlePodStream } from './streaming/pod-streams.js';
import { encodeForStorage } from './watchcache/cached-object.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, patchTypeOf, SERVED_PATCH_TYPES, unsupportedPatchType } from './patch/index.js';

type One = (status: number, obj: KubeObject) => ApiResponse;

export async function handleSubresource(
  deps: RegistryDeps, ctx: OpContext, info: ResourceRequestInfo, req: ApiRequest, neg: Negotiated, one: One,
): Promise<ApiResponse> {
  const { rt } = ctx.served;
  const declared = rt.subresources?.find((s) => s.name === info.subresource);
  const isFinalize = rt.plural === 'namespaces' && info.subresource === 'finalize';
  if (!declared && !(info.subresource === 'status' && rt.hasStatus) && !isFinalize) throw errors.pathNotFound();
  if (!info.name) throw errors.pathNotFound();
  const gr = { group: rt.group, resource: `${rt.plural}/${info.subresource}` };
  const notAllowed = () => errors.methodNotSupported(gr, info.verb);

  switch (info.subresource) {
    case 'status':
      if (info.verb === 'get') return one(200, await getObject(deps, ctx));
      if (info.verb === 'update') return one(200, await updateObject(deps, ctx, readObjectBody(req, rt.schema)));
      if (info.verb === 'patch') return one(200, await patchObject(deps, ctx, patchKind(req), parseBody(req.body, 'application/json')));
      throw notAllowed();
    case 'scale':
      return handleScale(deps, ctx, info, req, neg);
    case 'binding':
      if (info.verb !== 'create') throw notAllowed();
      return bindPodRequest(deps, ctx, readObjectBody(req, BindingSchema));
    case 'eviction':
      if (info.verb !== 'create') throw notAllowed();
      return evictPod(deps, ctx, readObjectBody(req, EvictionSchema));
    case 'finalize':
      if (info.verb !== 'update') throw notAllowed();
      return one(200, await finalizeNamespace(deps, ctx, readObjectBody(req, rt.schema)));
    case 'log': case 'exec': case 'attach': case 'portforward':
      return handlePodStream(deps, ctx, info.subresource, info.verb, req);
    case 'proxy': {
      const pod = await getObject(deps, { ...ctx, query: new URLSearchParams() });
      const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      if (!node) throw errors.badRequest(`pod ${ctx.name} does not have a host assigned`);
      throw errors.serviceUnavailable(`no kubelet connection to node "${node}" is available for pods/${info.subresource}`);
    }
    default:
      throw notAllowed();
  }
}

function patchKind(req: ApiRequest): PatchType {
  const t = patchTypeOf(req.headers['content-type'] ?? '');
  if (t === undefined || t === 'apply') {
    throw unsupportedPatchType(req.headers['content-type'] ?? '', SERVED_PATCH_TYPES);
  }
  return t as PatchType;
}

async function handleScale(deps: RegistryDeps, ctx: OpContext, info: ResourceRequestInfo, req: ApiRequest, neg: Negotiated): Promise<ApiResponse> {
  const scaleCtx = { ...ctx, subresource: 'scale' };
  if (info.verb === 'get') return jsonResponse(200, scaleOf(await getObject(deps, ctx) as never), ctx.warnings, neg.format);
  if (info.verb !== 'update' && info.verb !== 'patch') throw errors.methodNotSupported({ group: ctx.served.rt.group, resource: `${ctx.served.rt.plural}/scale` }, info.verb);
  const body = info.verb === 'patch' ? parseBody(req.body, 'application/json') : readObjectBody(req, ScaleSchema);
  const type = info.verb === 'patch' ? patchKind(req) : undefined;
  for (let attempt = 0; ; attempt++) {
    const current = await readCurrent(deps, ctx);
    const currentScale = scaleOf(current.obj as never);
    let wanted: unknown = body;
    if (type === 'json') wanted = applyJsonPatch(deepCopy(currentScale), body);
    else if (type === 'merge') wanted = applyMergePatch(deepCopy(currentScale), body);
    else if (type === 'strategic') wanted = applyStrategicMergePatch(deepCopy(currentScale), body, ScaleSchema);
    const scale = decodeBody(ctx.served.rt, wanted, fieldValidationOf(ctx.query), ctx.warnings, { kind: 'Scale', apiVersion: 'autoscaling/v1', schema: ScaleSchema });
    const rv = scale.metadata?.resourceVersion;
    if (rv && rv !== current.obj.metadata!.resourceVersion) throw errors.conflict(groupResourceOf(ctx.served.rt), ctx.name);
    const errs = validateScale(scale as Scale);
    if (errs.length) throw errors.invalid({ group: 'autoscaling', kind: 'Scale' }, ctx.name, errs);
    const next = applyScale(current.obj as never, scale as Scale) as KubeObject;
    try {
      const updated = await commitUpdate(deps, scaleCtx, current, next);
      return jsonResponse(200, scaleOf(updated as never), ctx.warnings, neg.format);
    } catch (e) {
      if ((e as { status?: { reason?: string } }).status?.reason === 'Conflict' && !rv && attempt < 5) continue;
      throw e;
    }
  }
}

/** POST pods/<name>/binding: sets spec.nodeName once, with the PodScheduled condition. */
async function bindPodRequest(deps: RegistryDeps, ctx: OpContext, body: unknown): Promise<ApiResponse> {
  const binding = decodeBody(ctx.served.rt, body, fieldValidationOf(ctx.query), ctx.warnings, { kind: 'Binding', apiVersion: 'v1', schema: BindingSchema }) as Binding;
  if (binding.metadata?.name && binding.metadata.name !== ctx.name) {
    throw errors.badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${ctx.name})`);
  }
  const errs = validateBinding(binding);
  if (errs.length) throw errors.invalid({ group: '', kind: 'Binding' }, ctx.name, errs);
  const gr = { group: '', resource: 'pods/binding' };
  for (let attempt = 0; ; attempt++) {
    const { obj, kv } = await readCurrent(deps, ctx);
    const refusal = bindPod(obj as never, binding, timestamp(deps.now()));
    if (refusal) throw errors.conflict(gr, ctx.name, refusal);
    if (ctx.dryRun) break;
    try {
      await deps.store.update(kv.key, encodeForStorage(obj), kv.modRevision);
      break;
    } catch (e) {
      if (isStoreError(e, 'Conflict') && attempt < 5) continue;
      throw e;
    }
  }
  return jsonResponse(201, { ...successStatus(), code: 201 });
}

/** PUT namespaces/<name>/finalize: replaces spec.finalizers; the namespace goes when none remain. */
async function finalizeNamespace(deps: RegistryDeps, ctx: OpContext, body: unknown): Promise<KubeObject> {
  const ns = decodeBody(ctx.served.rt, body, fieldValidationOf(ctx.query), ctx.warnings);
  const current = await readCurrent(deps, ctx);
  const rv = ns.metadata?.resourceVersion;
  if (rv && rv !== current.obj.metadata!.resourceVersion) throw errors.conflict(groupResourceOf(ctx.served.rt), ctx.name);
  const next = deepCopy(current.obj);
  const spec = (next.spec ??= {}) as { finalizers?: string[] };
  const wanted = (ns.spec as { finalizers?: string[] } | undefined)?.finalizers;
  if (wanted?.length) spec.finalizers = wanted;
  else delete spec.finalizers;
  return commitUpdate(deps, { ...ctx, subresource: 'finalize' }, current, next);
}
