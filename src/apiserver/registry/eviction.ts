// POST pods/<name>/eviction (upstream pkg/registry/core/pod/storage/eviction.go): deletes a pod
// unless that would violate its PodDisruptionBudget.
//
// Contract, as upstream:
// - pods already terminal, not yet running (Pending) or being deleted are deleted at once: their
//   eviction disrupts nothing;
// - no matching budget: the pod is deleted; more than one: 500, unsupported;
// - one budget: the budget's status is checked and, when it allows a disruption, decremented and
//   the pod recorded in status.disruptedPods in ONE compare-and-swap write (retried on conflict
//   with fresh state), BEFORE the pod is deleted, so concurrent evictions never overspend it;
//   the disruption controller later recomputes the budget and drops the entry;
// - a budget that allows nothing (or whose status is older than its spec) answers 429 with the
//   DisruptionBudget cause, which `kubectl drain` retries.
// Deletion honours the Eviction's deleteOptions (grace period, preconditions, dryRun).
import {
  errors, EvictionSchema, labelSelectorFromObject, matchesLabels, successStatus,
  type Eviction, type KubeObject, type LabelSelectorObject, type PodDisruptionBudget, type StatusError,
} from '../../api/index.js';
import { jsonResponse } from '../http/respond.js';
import type { ApiResponse } from '../http/types.js';
import type { OpContext, RegistryDeps } from './context.js';
import { decodeBody, fieldValidationOf } from './decode-body.js';
import { deleteObject, parseDeleteOptions, type DeleteOptions } from './delete.js';
import { listPrefix } from './keys.js';
import { deepCopy, timestamp } from './meta-ops.js';
import { commitUpdate, readCurrent } from './write.js';

/** Upstream MaxDisruptedPodSize: evictions the controller has not yet confirmed. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** Upstream EvictionsRetry steps: tries of the budget's compare-and-swap. */
const EVICTION_RETRIES = 20;
/** Upstream policyv1.DisruptionBudgetCause. */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';
const VIOLATION = 'Cannot evict pod as it would violate the pod\'s disruption budget.';
const ACCEPTED_VERSIONS = ['policy/v1', 'policy/v1beta1'];

interface PodView extends KubeObject {
  status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
}

const isReady = (p: PodView) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Upstream canIgnorePDB: evicting these disrupts nothing (terminal, not yet running, or going). */
function canIgnorePDB(pod: PodView): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

function tooManyRequests(cause: string): StatusError {
  const err = errors.tooManyRequests(VIOLATION, 0);
  err.status.details = { causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }] };
  return err;
}

/** Handles one eviction request; `ctx` addresses the pod. */
export async function evictPod(deps: RegistryDeps, ctx: OpContext, body: unknown): Promise<ApiResponse> {
  const version = typeof (body as { apiVersion?: unknown } | null)?.apiVersion === 'string' && ACCEPTED_VERSIONS.includes((body as { apiVersion: string }).apiVersion)
    ? (body as { apiVersion: string }).apiVersion : 'policy/v1';
  const eviction = decodeBody(ctx.served.rt, body, fieldValidationOf(ctx.query), ctx.warnings, { kind: 'Eviction', apiVersion: version, schema: EvictionSchema }) as Eviction;
  if (eviction.metadata?.name && eviction.metadata.name !== ctx.name) {
    throw errors.badRequest('name in URL does not match name in Eviction object');
  }
  const opts = parseDeleteOptions(eviction.deleteOptions ?? undefined, new URLSearchParams());
  const dryRun = ctx.dryRun || (opts.dryRun ?? []).includes('All');
  const podCtx: OpContext = { ...ctx, subresource: '', dryRun };

  const pod = (await readCurrent(deps, podCtx)).obj as PodView;
  const done = async (options: DeleteOptions) => {
    await deleteObject(deps, podCtx, dryRun ? options : await markDisruptionTarget(deps, podCtx, options));
    return jsonResponse(201, { ...successStatus(), code: 201 });
  };
  if (canIgnorePDB(pod)) return done(opts);

  for (let attempt = 0; ; attempt++) {
    const budgets = await matchingBudgets(deps, ctx, pod);
    if (budgets.length > 1) throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (budgets.length === 0) return done(opts);
    const budget = budgets[0]!;
    const pdb = budget.current.obj as PodDisruptionBudget;
    const currentHealthy = pdb.status?.currentHealthy ?? 0;
    const desiredHealthy = pdb.status?.desiredHealthy ?? 0;
    // An unhealthy pod does not count toward the budget: evicting it is free when the budget
    // allows it (upstream UnhealthyPodEvictionPolicy). The pod's resourceVersion becomes a
    // precondition so a pod that turned ready meanwhile is not deleted on this judgement.
    if (!isReady(pod)) {
      const policy = pdb.spec?.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget';
      if (policy === 'AlwaysAllow' || (currentHealthy >= desiredHealthy && desiredHealthy > 0)) {
        return done({ ...opts, preconditions: { ...opts.preconditions, resourceVersion: opts.preconditions?.resourceVersion ?? pod.metadata?.resourceVersion } });
      }
    }
    const next = checkAndDecrement(pdb, ctx.name, deps.now());
    if (dryRun) return done(opts);
    try {
      await commitUpdate(deps, budget.ctx, budget.current, next);
    } catch (e) {
      if ((e as StatusError).status?.reason === 'Conflict') {
        if (attempt < EVICTION_RETRIES) continue;
        throw errors.timeout(`couldn't update PodDisruptionBudget "${pdb.metadata?.name ?? ''}" due to conflicts`, 10);
      }
      throw e;
    }
    return done(opts);
  }
}

/**
 * Adds the DisruptionTarget condition to the pod's status before it is deleted (upstream
 * addConditionAndDeletePod), checking the delete preconditions against the latest pod. A
 * resourceVersion precondition moves to the version this write made, so the delete still applies.
 */
async function markDisruptionTarget(deps: RegistryDeps, podCtx: OpContext, opts: DeleteOptions): Promise<DeleteOptions> {
  const statusCtx: OpContext = { ...podCtx, subresource: 'status' };
  const gr = { group: '', resource: 'pods' };
  for (let attempt = 0; ; attempt++) {
    const current = await readCurrent(deps, statusCtx);
    const meta = current.obj.metadata!;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) {
      throw errors.conflict(gr, podCtx.name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw errors.conflict(gr, podCtx.name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`);
    }
    const next = deepCopy(current.obj) as PodView;
    const status = (next.status ??= {}) as { conditions?: Record<string, unknown>[] };
    const conditions = status.conditions ?? [];
    const old = conditions.find((c) => c.type === 'DisruptionTarget');
    const condition = {
      type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting',
      lastTransitionTime: old?.status === 'True' && old.lastTransitionTime ? old.lastTransitionTime : timestamp(deps.now()),
    };
    status.conditions = old ? conditions.map((c) => (c === old ? condition : c)) : [...conditions, condition];
    try {
      const updated = await commitUpdate(deps, statusCtx, current, next);
      if (!pre?.resourceVersion) return opts;
      return { ...opts, preconditions: { ...pre, resourceVersion: updated.metadata?.resourceVersion } };
    } catch (e) {
      if ((e as StatusError).status?.reason === 'Conflict' && attempt < EVICTION_RETRIES) continue;
      throw e;
    }
  }
}

/**
 * The budget after allowing one more disruption of `podName` (upstream checkAndDecrement); throws
 * the upstream refusals. Pure: `pdb` is not modified.
 */
export function checkAndDecrement(pdb: PodDisruptionBudget, podName: string, now: Date): PodDisruptionBudget {
  const name = pdb.metadata?.name ?? '';
  const status = pdb.status ?? {};
  const allowed = status.disruptionsAllowed ?? 0;
  if ((status.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) {
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`);
  }
  if (allowed < 0) {
    throw errors.forbidden(`poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`, { name, group: 'policy', kind: 'poddisruptionbudget' });
  }
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw errors.forbidden(`poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`, { name, group: 'policy', kind: 'poddisruptionbudget' });
  }
  if (allowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`);
  }
  const next = deepCopy(pdb as KubeObject) as PodDisruptionBudget;
  const s = next.status!;
  s.disruptionsAllowed = allowed - 1;
  if (s.disruptionsAllowed === 0) {
    // Upstream UpdateDisruptionAllowedCondition: the budget is spent until the controller says otherwise.
    const conditions = (s.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed');
    const old = s.conditions?.find((c) => c.type === 'DisruptionAllowed');
    conditions.push({
      type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '',
      observedGeneration: s.observedGeneration,
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : timestamp(now),
    } as never);
    s.conditions = conditions;
  }
  s.disruptedPods = { ...s.disruptedPods, [podName]: timestamp(now) };
  return next;
}

interface Budget {
  ctx: OpContext;
  current: Awaited<ReturnType<typeof readCurrent>>;
}

/** The pod's namespace's budgets whose selector matches the pod, read from the store (not a cache). */
async function matchingBudgets(deps: RegistryDeps, ctx: OpContext, pod: KubeObject): Promise<Budget[]> {
  const served = deps.catalogue.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!served) return [];
  const { kvs } = await deps.store.range(listPrefix(served.rt, ctx.namespace));
  const out: Budget[] = [];
  for (const kv of kvs) {
    const obj = JSON.parse(kv.value) as PodDisruptionBudget;
    let selected = false;
    try {
      // A null selector selects nothing; an empty one every pod (policy/v1).
      selected = matchesLabels(labelSelectorFromObject(obj.spec?.selector as LabelSelectorObject | undefined), pod.metadata?.labels);
    } catch {
      // An invalid selector selects nothing.
    }
    if (!selected) continue;
    obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
    const name = obj.metadata.name ?? '';
    out.push({ ctx: { ...ctx, served, name, subresource: 'status', dryRun: false }, current: { obj: obj as KubeObject, kv } });
  }
  return out;
}
