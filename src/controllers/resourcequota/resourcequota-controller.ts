// The ResourceQuota controller (upstream pkg/controller/resourcequota): keeps every quota's
// status — `hard` mirrored from spec.hard and `used` recomputed from the namespace's objects for
// each resource spec.hard names.
//
// Contracts:
// - level-triggered: `sync(key)` recomputes the whole usage; events on quotas, pods, services,
//   configmaps, secrets and PVCs only say which namespace's quotas to look at, and every quota is
//   recomputed each QUOTA_SYNC_PERIOD_MS (upstream --resource-quota-sync-period) so `count/…` of
//   other resources converges too;
// - usage is reported, NOT enforced: there is no quota admission plugin yet, so creates beyond
//   spec.hard are not refused.
import {
  configMaps as configMapsResource, jsonEqual, persistentVolumeClaims as pvcResource, pods as podsResource,
  resourceQuotas as quotasResource, RESOURCES, secrets as secretsResource, services as servicesResource,
  type KubeObject, type ResourceQuota,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { calculateUsage, type QuotaPod, type QuotaPvc, type QuotaService, type ScopeRequirement } from './usage.js';

/** Upstream ConcurrentResourceQuotaSyncs default. */
export const RESOURCEQUOTA_WORKERS = 5;
/** Upstream --resource-quota-sync-period default (5 minutes). */
export const QUOTA_SYNC_PERIOD_MS = 5 * 60 * 1000;

export class ResourceQuotaController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly quotaStore: Indexer;
  private readonly stores: Record<'pods' | 'services' | 'configmaps' | 'secrets' | 'pvcs', Indexer>;
  private readonly quotaClient: ResourceClient;

  constructor(private readonly ctx: ControllerContext, private readonly workers = RESOURCEQUOTA_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.quotaClient = ctx.client.resource(quotasResource);
    const quotaInformer = ctx.informers.informerFor(quotasResource);
    this.quotaStore = quotaInformer.store;
    const enqueue = (q: KubeObject) => this.queue.add(objectKey(q));
    quotaInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, q) => enqueue(q) });
    const watched = { pods: podsResource, services: servicesResource, configmaps: configMapsResource, secrets: secretsResource, pvcs: pvcResource };
    const stores = {} as Record<keyof typeof watched, Indexer>;
    for (const [name, rt] of Object.entries(watched) as [keyof typeof watched, typeof podsResource][]) {
      const informer = ctx.informers.informerFor(rt);
      stores[name] = informer.store;
      const touch = (o: KubeObject) => this.enqueueNamespace(o.metadata?.namespace ?? '');
      informer.addEventHandler({ onAdd: touch, onUpdate: (old, o) => { if (old.metadata?.resourceVersion !== o.metadata?.resourceVersion) touch(o); }, onDelete: touch });
    }
    this.stores = stores;
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  private enqueueNamespace(ns: string): void {
    for (const q of this.quotaStore.byIndex(NAMESPACE_INDEX, ns)) this.queue.add(objectKey(q));
  }

  /** Recomputes one quota's status (upstream syncResourceQuota). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const quota = this.quotaStore.get(key) as ResourceQuota | undefined;
    if (!quota || quota.metadata?.deletionTimestamp) return;
    const { namespace } = splitKey(key);
    const hard = quota.spec?.hard ?? {};
    const scopes: ScopeRequirement[] = [
      ...(quota.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' })),
      ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
    ];
    const inNs = (s: Indexer) => s.byIndex(NAMESPACE_INDEX, namespace);
    const counts = new Map<string, number | undefined>();
    for (const name of Object.keys(hard)) {
      const m = /^count\/([^.]+)(?:\.(.+))?$/.exec(name);
      if (m) counts.set(`${m[1]}.${m[2] ?? ''}`, await this.countOf(namespace, m[1]!, m[2] ?? ''));
    }
    const used = calculateUsage(Object.keys(hard), {
      pods: inNs(this.stores.pods) as QuotaPod[],
      services: inNs(this.stores.services) as QuotaService[],
      configmaps: inNs(this.stores.configmaps).length,
      secrets: inNs(this.stores.secrets).length,
      pvcs: inNs(this.stores.pvcs) as QuotaPvc[],
      resourcequotas: inNs(this.quotaStore).length,
      count: (resource, group) => counts.get(`${resource}.${group}`),
    }, scopes, this.ctx.clock.now());
    const status = { hard: { ...hard }, used };
    if (!jsonEqual(quota.status ?? {}, status)) {
      await this.quotaClient.updateStatus(namespace, { ...quota, apiVersion: 'v1', kind: 'ResourceQuota', status } as KubeObject);
    }
    return { requeueAfterMs: QUOTA_SYNC_PERIOD_MS };
  }

  /** How many objects of a served resource `ns` holds (listed through the API); undefined if not served. */
  private async countOf(ns: string, plural: string, group: string): Promise<number | undefined> {
    const rt = RESOURCES.find((r) => r.plural === plural && r.group === group && r.namespaced);
    if (!rt) return undefined;
    const list = await this.ctx.client.resource(rt).listAll(ns);
    return list.items.length;
  }
}
