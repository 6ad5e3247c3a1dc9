// Delete and deletecollection with upstream semantics: preconditions, graceful deletion (pods),
// finalizers (the object stays with deletionTimestamp until they are gone) and the garbage
// collector's propagation finalizers (`orphan`, `foregroundDeletion`).
import { errors, fieldError, groupResourceOf, type FieldError, type KubeObject } from '../../api/index.js';
import { isStoreError } from '../../store/index.js';
import { encodeForStorage } from '../watchcache/cached-object.js';
import { objectKey } from './keys.js';
import { timestamp } from './meta-ops.js';
import { readCurrent } from './write.js';
import type { OpContext, RegistryDeps } from './context.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

const POLICIES = ['Foreground', 'Background', 'Orphan'];

/** Merges DeleteOptions from the body (if any) and the query, validating as upstream. */
export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = {};
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('DeleteOptions must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b.kind !== undefined && b.kind !== 'DeleteOptions') throw errors.badRequest(`expected DeleteOptions, got ${String(b.kind)}`);
    if (b.gracePeriodSeconds !== undefined && b.gracePeriodSeconds !== null) opts.gracePeriodSeconds = b.gracePeriodSeconds as number;
    if (b.propagationPolicy !== undefined && b.propagationPolicy !== null) opts.propagationPolicy = b.propagationPolicy as never;
    if (b.orphanDependents !== undefined && b.orphanDependents !== null) opts.orphanDependents = b.orphanDependents as boolean;
    if (b.preconditions && typeof b.preconditions === 'object') opts.preconditions = b.preconditions as never;
    if (Array.isArray(b.dryRun)) opts.dryRun = b.dryRun as string[];
  }
  const g = query.get('gracePeriodSeconds');
  if (g !== null) opts.gracePeriodSeconds = Number(g);
  const p = query.get('propagationPolicy');
  if (p !== null) opts.propagationPolicy = p as never;
  const o = query.get('orphanDependents');
  if (o !== null) opts.orphanDependents = o === 'true';

  const errs: FieldError[] = [];
  if (opts.gracePeriodSeconds !== undefined && (!Number.isInteger(opts.gracePeriodSeconds) || opts.gracePeriodSeconds < 0)) {
    if (!Number.isInteger(opts.gracePeriodSeconds)) throw errors.badRequest(`invalid gracePeriodSeconds: ${String(g ?? opts.gracePeriodSeconds)}`);
    opts.gracePeriodSeconds = 1; // upstream turns negative grace into 1
  }
  if (opts.propagationPolicy !== undefined && !POLICIES.includes(opts.propagationPolicy)) {
    errs.push(fieldError.notSupported('propagationPolicy', opts.propagationPolicy, POLICIES));
  }
  if (opts.propagationPolicy !== undefined && opts.orphanDependents !== undefined) {
    errs.push(fieldError.invalid('propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (errs.length) throw errors.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  return opts;
}

export interface DeleteOutcome {
  object: KubeObject;
  /** False when the object remains (finalizers or graceful deletion pending): 202. */
  deleted: boolean;
}

const MAX_RETRIES = 5;

export async function deleteObject(deps: RegistryDeps, ctx: OpContext, opts: DeleteOptions): Promise<DeleteOutcome> {
  const { rt } = ctx.served;
  const gr = groupResourceOf(rt);
  const hooks = deps.hooks.get(rt);
  for (let attempt = 0; ; attempt++) {
    const { obj, kv } = await readCurrent(deps, ctx);
    const meta = obj.metadata!;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) {
      throw errors.conflict(gr, ctx.name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw errors.conflict(gr, ctx.name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`);
    }
    await deps.admission.run({ operation: 'DELETE', rt, namespace: ctx.namespace, name: ctx.name, subresource: '', oldObject: obj, user: ctx.user, dryRun: ctx.dryRun });

    const grace = hooks?.gracePeriodSeconds ? hooks.gracePeriodSeconds(obj, opts.gracePeriodSeconds) : 0;
    const finalizers = [...(meta.finalizers ?? [])];
    // The deprecated orphanDependents: true is Orphan; false drops both propagation finalizers, as
    // Background does (upstream deletionFinalizersForGarbageCollection).
    const policy = opts.propagationPolicy ?? (opts.orphanDependents === undefined ? undefined : opts.orphanDependents ? 'Orphan' : 'Background');
    const wanted = policy === 'Orphan' ? 'orphan' : policy === 'Foreground' ? 'foregroundDeletion' : undefined;
    // An explicit policy replaces a previously requested one.
    let changedFinalizers = false;
    if (policy) {
      for (const f of ['orphan', 'foregroundDeletion']) {
        const i = finalizers.indexOf(f);
        if (f !== wanted && i >= 0) {
          finalizers.splice(i, 1);
          changedFinalizers = true;
        }
      }
    }
    if (wanted !== undefined && !finalizers.includes(wanted)) {
      finalizers.push(wanted);
      changedFinalizers = true;
    }
    const ready = hooks?.readyToDelete ?? ((o: KubeObject) => !o.metadata?.finalizers?.length);
    const next: KubeObject = { ...obj, metadata: { ...meta, finalizers: finalizers.length ? finalizers : undefined } };
    const immediate = grace === 0 && ready(next);

    if (immediate) {
      if (ctx.dryRun) return { object: obj, deleted: true };
      try {
        await deps.store.delete(objectKey(rt, ctx.namespace, ctx.name), kv.modRevision);
      } catch (e) {
        if (isStoreError(e, 'Conflict') && attempt < MAX_RETRIES) continue;
        if (isStoreError(e, 'KeyNotFound')) throw errors.notFound(gr, ctx.name);
        throw e;
      }
      hooks?.afterDelete?.(obj);
      return { object: obj, deleted: true };
    }

    // Graceful or finalizer-blocked deletion: mark the object; it goes when the kubelet (grace)
    // or the finalizers' owners (controllers) are done.
    const nm = next.metadata!;
    const now = deps.now();
    if (nm.deletionTimestamp) {
      // Already being deleted: only a shorter grace period or new finalizers change anything.
      const current = nm.deletionGracePeriodSeconds ?? 0;
      if (grace >= current && !changedFinalizers) return { object: obj, deleted: false };
      if (grace < current) {
        nm.deletionGracePeriodSeconds = grace;
        nm.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      }
    } else {
      nm.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      nm.deletionGracePeriodSeconds = grace;
      if (nm.generation !== undefined) nm.generation += 1;
      hooks?.onDeletionStarted?.(next);
    }
    if (nm.finalizers === undefined) delete nm.finalizers;
    if (ctx.dryRun) return { object: next, deleted: false };
    try {
      const { kv: written } = await deps.store.update(objectKey(rt, ctx.namespace, ctx.name), encodeForStorage(next), kv.modRevision);
      nm.resourceVersion = String(written.modRevision);
    } catch (e) {
      if (isStoreError(e, 'Conflict') && attempt < MAX_RETRIES) continue;
      if (isStoreError(e, 'KeyNotFound')) throw errors.notFound(gr, ctx.name);
      throw e;
    }
    return { object: next, deleted: false };
  }
}
