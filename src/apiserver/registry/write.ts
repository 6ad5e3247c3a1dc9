// Create, update and patch: upstream's generic registry semantics over the Store.
//   decode → system metadata → PrepareFor* → defaults → validation → admission → hooks → store.
// Every rejected request changes nothing. Writes are compare-and-swap on the key's modRevision,
// so a stale resourceVersion is a 409 Conflict and concurrent patches retry on fresh state.
import {
  errors, groupResourceOf, jsonEqual, validateObjectMeta, validateObjectMetaUpdate,
  type FieldError, type KubeObject, type ResourceType,
} from '../../api/index.js';
import { isStoreError, type KeyValue } from '../../store/index.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch/index.js';
import { encodeForStorage } from '../watchcache/cached-object.js';
import { decodeBody, fieldValidationOf } from './decode-body.js';
import { fillCreateMeta, keepSystemMeta, specOf, deepCopy } from './meta-ops.js';
import { objectKey } from './keys.js';
import type { OpContext, RegistryDeps } from './context.js';

export type PatchType = 'json' | 'merge' | 'strategic';

const MAX_PATCH_RETRIES = 5;

function invalid(rt: ResourceType, name: string, errs: FieldError[]) {
  return errors.invalid({ group: rt.group, kind: rt.kind }, name, errs);
}

/** Reads an object from the store with its resourceVersion set; 404 if absent. */
export async function readCurrent(deps: RegistryDeps, ctx: OpContext): Promise<{ obj: KubeObject; kv: KeyValue }> {
  const { rt } = ctx.served;
  const { kv } = await deps.store.get(objectKey(rt, ctx.namespace, ctx.name));
  if (!kv) throw errors.notFound(groupResourceOf(rt), ctx.name);
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return { obj, kv };
}

export async function createObject(deps: RegistryDeps, ctx: OpContext, body: unknown): Promise<KubeObject> {
  const { rt } = ctx.served;
  const obj = decodeBody(rt, body, fieldValidationOf(ctx.query), ctx.warnings);
  const meta = (obj.metadata ??= {});
  if (rt.namespaced && meta.namespace && meta.namespace !== ctx.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (meta.resourceVersion) throw errors.badRequest('resourceVersion should not be set on objects to be created');
  fillCreateMeta(obj, rt, ctx.namespace, deps.now());
  rt.prepareForCreate?.(obj);
  rt.defaults?.(obj);
  const errs = [
    ...validateObjectMeta(obj.metadata as never, { namespaced: rt.namespaced, nameValidation: rt.nameValidation }),
    ...(rt.validate?.(obj, { namespace: ctx.namespace }) ?? []),
  ];
  if (errs.length) throw invalid(rt, obj.metadata?.name || obj.metadata?.generateName || '', errs);
  await deps.admission.run({ operation: 'CREATE', rt, namespace: ctx.namespace, name: obj.metadata!.name!, subresource: '', object: obj, user: ctx.user, dryRun: ctx.dryRun });
  const hooks = deps.hooks.get(rt);
  if (ctx.dryRun) return obj;
  await hooks?.beforeCreate?.(obj, ctx);
  try {
    const lease = hooks?.ttlSeconds ? await deps.leases.leaseFor(hooks.ttlSeconds) : 0;
    const { kv } = await deps.store.create(objectKey(rt, ctx.namespace, obj.metadata!.name!), encodeForStorage(obj), { lease });
    obj.metadata!.resourceVersion = String(kv.modRevision);
    return obj;
  } catch (e) {
    hooks?.rollback?.(obj, undefined);
    if (isStoreError(e, 'KeyExists')) throw errors.alreadyExists(groupResourceOf(rt), obj.metadata!.name!);
    throw e;
  }
}

/** PUT on the resource or its status subresource. */
export async function updateObject(deps: RegistryDeps, ctx: OpContext, body: unknown): Promise<KubeObject> {
  const { rt } = ctx.served;
  const next = decodeBody(rt, body, fieldValidationOf(ctx.query), ctx.warnings);
  const meta = (next.metadata ??= {});
  if (meta.name !== undefined && meta.name !== ctx.name) {
    throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${ctx.name})`);
  }
  if (rt.namespaced && meta.namespace && meta.namespace !== ctx.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.name = ctx.name;
  const current = await readCurrent(deps, ctx);
  if (meta.resourceVersion && meta.resourceVersion !== String(current.kv.modRevision)) {
    throw errors.conflict(groupResourceOf(rt), ctx.name);
  }
  return commitUpdate(deps, ctx, current, next);
}

/** PATCH: applies the patch to the current object and stores the result, retrying on races. */
export async function patchObject(deps: RegistryDeps, ctx: OpContext, type: PatchType, patch: unknown): Promise<KubeObject> {
  const { rt } = ctx.served;
  for (let attempt = 0; ; attempt++) {
    const current = await readCurrent(deps, ctx);
    const original = deepCopy(current.obj);
    let patched: unknown;
    if (type === 'json') patched = applyJsonPatch(original, patch);
    else if (type === 'merge') patched = applyMergePatch(original, patch);
    else patched = applyStrategicMergePatch(original, patch, rt.schema);
    const next = decodeBody(rt, patched, fieldValidationOf(ctx.query), ctx.warnings);
    const meta = (next.metadata ??= {});
    if (meta.name !== ctx.name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${ctx.name})`);
    const precondition = meta.resourceVersion && meta.resourceVersion !== String(current.kv.modRevision);
    if (precondition) throw errors.conflict(groupResourceOf(rt), ctx.name);
    try {
      return await commitUpdate(deps, ctx, current, next);
    } catch (e) {
      // A concurrent writer won; re-read and re-apply unless the patch pinned a resourceVersion.
      const pinned = typeof (patch as KubeObject)?.metadata?.resourceVersion === 'string';
      if (isConflict(e) && !pinned && attempt < MAX_PATCH_RETRIES) continue;
      throw e;
    }
  }
}

function isConflict(e: unknown): boolean {
  return (e as { status?: { reason?: string } })?.status?.reason === 'Conflict' || isStoreError(e, 'Conflict');
}

/**
 * The shared tail of update and patch: `next` replaces `current` (main resource or status).
 * No-op updates are not written (the resourceVersion does not change), as upstream.
 */
export async function commitUpdate(
  deps: RegistryDeps, ctx: OpContext, current: { obj: KubeObject; kv: KeyValue }, incoming: KubeObject,
): Promise<KubeObject> {
  const { rt } = ctx.served;
  const old = current.obj;
  let next: KubeObject;
  if (ctx.subresource === 'status') {
    next = deepCopy(old);
    next.status = incoming.status;
  } else {
    next = incoming;
    keepSystemMeta(next, old);
    if (rt.hasStatus) {
      if (old.status === undefined) delete next.status;
      else next.status = deepCopy(old.status);
    }
    if (rt.tracksGeneration && !jsonEqual(specOf(next), specOf(old))) {
      next.metadata!.generation = (old.metadata?.generation ?? 0) + 1;
    }
    // finalize changes exactly spec.finalizers, which the main resource's strategy protects.
    if (ctx.subresource !== 'finalize') rt.prepareForUpdate?.(next, old);
  }
  next.apiVersion = old.apiVersion;
  next.kind = old.kind;
  const hooks = deps.hooks.get(rt);
  hooks?.carryOver?.(next, old);
  rt.defaults?.(next);
  // Unconditional updates are checked against the stored version (validateObjectMetaUpdate needs it).
  next.metadata!.resourceVersion = old.metadata!.resourceVersion;
  const errs = [
    ...validateObjectMeta(next.metadata as never, { namespaced: rt.namespaced, nameValidation: rt.nameValidation }),
    ...validateObjectMetaUpdate(next.metadata as never, old.metadata as never),
    ...(rt.validateUpdate ? rt.validateUpdate(next, old, { namespace: ctx.namespace }) : rt.validate?.(next, { namespace: ctx.namespace }) ?? []),
  ];
  if (errs.length) throw invalid(rt, ctx.name, errs);
  await deps.admission.run({ operation: 'UPDATE', rt, namespace: ctx.namespace, name: ctx.name, subresource: ctx.subresource, object: next, oldObject: old, user: ctx.user, dryRun: ctx.dryRun });

  if (jsonEqual(next, old)) return old;
  if (ctx.dryRun) return next;

  const key = objectKey(rt, ctx.namespace, ctx.name);
  // An object being deleted whose last finalizer was just removed goes away now.
  const ready = hooks?.readyToDelete ?? ((o: KubeObject) => !o.metadata?.finalizers?.length);
  if (next.metadata?.deletionTimestamp && ready(next) && (next.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
    try {
      await deps.store.delete(key, current.kv.modRevision);
    } catch (e) {
      if (isStoreError(e, 'Conflict')) throw errors.conflict(groupResourceOf(rt), ctx.name);
      if (isStoreError(e, 'KeyNotFound')) throw errors.notFound(groupResourceOf(rt), ctx.name);
      throw e;
    }
    hooks?.afterDelete?.(next);
    return next;
  }
  await hooks?.beforeUpdate?.(next, old, ctx);
  try {
    const { kv } = await deps.store.update(key, encodeForStorage(next), current.kv.modRevision);
    next.metadata!.resourceVersion = String(kv.modRevision);
    return next;
  } catch (e) {
    hooks?.rollback?.(next, old);
    if (isStoreError(e, 'Conflict')) throw errors.conflict(groupResourceOf(rt), ctx.name);
    if (isStoreError(e, 'KeyNotFound')) throw errors.notFound(groupResourceOf(rt), ctx.name);
    throw e;
  }
}
