// The namespace controller (upstream pkg/controller/namespace): empties a namespace being deleted
// and then releases it. For a namespace with a deletionTimestamp whose spec.finalizers still holds
// `kubernetes`, each pass:
// 1. makes sure status.phase is Terminating;
// 2. discovers the served namespaced resources and deletes everything in the namespace
//    (deletecollection where served, else list + delete; propagationPolicy Background, so the
//    garbage collector takes care of dependents elsewhere);
// 3. records what happened in the five NamespaceDeletion…/Namespace…Remaining conditions;
// 4. once nothing is left, removes `kubernetes` through the namespaces/finalize subresource (the
//    API server deletes the namespace when no finalizer remains).
// While content remains (pods terminating gracefully, objects held by finalizers), the namespace
// is looked at again after half the estimated time, as upstream. Reads the namespace from the
// server, not the cache: finalizing on a stale view could drop content created meanwhile.
import { isStatusError, namespaces as namespacesResource, type KubeObject } from '../../api/index.js';
import { WorkQueue, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { deletionConditions, mergeConditions, type DeletionReport, type NamespaceCondition } from './conditions.js';
import { discoverNamespacedResources, type DeletableResource } from './discovery.js';

/** Upstream ConcurrentNamespaceSyncs default. */
export const NAMESPACE_WORKERS = 10;
/** The spec finalizer this controller owns. */
export const FINALIZER_KUBERNETES = 'kubernetes';
/** Upstream finalizerEstimateSeconds: how long objects held by finalizers are given. */
const FINALIZER_ESTIMATE_SECONDS = 15;
/** Upstream default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

interface PodLike extends KubeObject {
  spec?: { terminationGracePeriodSeconds?: number };
  status?: { phase?: string };
}

/** Seconds pods still running in a namespace may take to terminate (upstream estimateGracefulTermination). */
export function estimateGracefulTermination(pods: readonly PodLike[]): number {
  let estimate = 0;
  for (const p of pods) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const grace = p.metadata?.deletionGracePeriodSeconds ?? p.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    estimate = Math.max(estimate, grace);
  }
  return estimate;
}

const groupResource = (r: DeletableResource) => `${r.plural}.${r.group}`;

export class NamespaceController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly nsClient: ResourceClient;

  constructor(private readonly ctx: ControllerContext, private readonly workers = NAMESPACE_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.nsClient = ctx.client.resource(namespacesResource);
    const informer = ctx.informers.informerFor(namespacesResource);
    const enqueue = (ns: KubeObject) => { if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? ''); };
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** One pass over namespace `name` (upstream namespacedResourcesDeleter.Delete). Idempotent. */
  async sync(name: string): Promise<ReconcileResult | void> {
    let ns = await this.getNamespace(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') {
      ns = await this.nsClient.updateStatus('', { ...ns, status: { ...ns.status, phase: 'Terminating' } }) as Namespace;
    }
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;

    const { report, estimate } = await this.deleteAllContent(name);
    const conditions = mergeConditions(ns.status?.conditions ?? [], deletionConditions(report), new Date(this.ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
    if (conditions) ns = await this.nsClient.updateStatus('', { ...ns, status: { ...ns.status, conditions } }) as Namespace;
    if (report.contentFailures.length || report.discoveryFailures.length) {
      throw new Error(`namespace ${name}: ${[...report.discoveryFailures, ...report.contentFailures].join('; ')}`);
    }
    if (estimate > 0) return { requeueAfterMs: (Math.floor(estimate / 2) + 1) * 1000 };

    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
    try {
      await this.nsClient.updateSubresource('', name, 'finalize', { ...ns, spec: { ...ns.spec, finalizers } } as KubeObject);
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }

  private async getNamespace(name: string): Promise<Namespace | undefined> {
    try {
      return await this.nsClient.get('', name) as Namespace;
    } catch (e) {
      if (isStatusError(e, 'NotFound')) return undefined;
      throw e;
    }
  }

  /** Deletes every namespaced object in `ns`; returns what remains and how long it may take (upstream deleteAllContent). */
  private async deleteAllContent(ns: string): Promise<{ report: DeletionReport; estimate: number }> {
    const { resources, failures } = await discoverNamespacedResources(this.ctx.client);
    const report: DeletionReport = { discoveryFailures: failures, contentFailures: [], remaining: new Map(), finalizers: new Map() };
    let estimate = 0;
    for (const r of resources) {
      try {
        estimate = Math.max(estimate, await this.deleteAllOf(ns, r, report));
      } catch (e) {
        report.contentFailures.push(`${groupResource(r)}: ${(e as Error).message}`);
      }
    }
    return { report, estimate };
  }

  /** Deletes the objects of one resource in `ns`; returns its estimate (upstream deleteAllContentForGroupVersionResource). */
  private async deleteAllOf(ns: string, r: DeletableResource, report: DeletionReport): Promise<number> {
    const client = this.ctx.client.resource(r);
    const isPods = r.group === '' && r.plural === 'pods';
    let estimate = isPods ? estimateGracefulTermination((await client.listAll(ns)).items as PodLike[]) : 0;
    if (r.deleteCollection) {
      await client.deleteCollection(ns, {}, { propagationPolicy: 'Background' });
    } else {
      for (const item of (await client.listAll(ns)).items) {
        try {
          await client.delete(ns, item.metadata?.name ?? '', { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isStatusError(e, 'NotFound')) throw e;
        }
      }
    }
    const left = (await client.listAll(ns)).items;
    if (left.length === 0) return 0;
    report.remaining.set(groupResource(r), left.length);
    for (const item of left) for (const f of item.metadata?.finalizers ?? []) report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + 1);
    if (estimate === 0 && left.some((i) => i.metadata?.finalizers?.length)) estimate = FINALIZER_ESTIMATE_SECONDS;
    if (estimate === 0) throw new Error(`unexpected items still remain in namespace: ${ns} for gvr: ${r.group}/${r.version}, Resource=${r.plural}`);
    return estimate;
  }
}
