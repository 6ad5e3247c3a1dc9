// The ServiceAccount controller (upstream pkg/controller/serviceaccount ServiceAccountsController):
// every active namespace holds the ServiceAccounts to ensure (`default`), re-created when deleted.
// Keyed by namespace name; a sync reads the caches and creates only what is missing. Namespaces
// being terminated are left alone (their content is being removed).
import {
  isStatusError, namespaces as namespacesResource, serviceAccounts as serviceAccountsResource,
  type KubeObject, type Namespace,
} from '../../api/index.js';
import { WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../workers.js';

/** Upstream DefaultServiceAccountsControllerOptions: the ServiceAccounts every namespace gets. */
export const SERVICE_ACCOUNTS_TO_ENSURE: readonly string[] = ['default'];
/** Upstream --concurrent-serviceaccount-syncs default. */
export const SERVICEACCOUNT_WORKERS = 1;

export class ServiceAccountsController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly nsStore: Indexer;
  private readonly saStore: Indexer;
  private readonly client: ResourceClient;

  constructor(private readonly ctx: ControllerContext, private readonly workers = SERVICEACCOUNT_WORKERS,
    private readonly toEnsure: readonly string[] = SERVICE_ACCOUNTS_TO_ENSURE) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.client = ctx.client.resource(serviceAccountsResource);
    const nsInformer = ctx.informers.informerFor(namespacesResource);
    const saInformer = ctx.informers.informerFor(serviceAccountsResource);
    this.nsStore = nsInformer.store;
    this.saStore = saInformer.store;
    const enqueueNs = (ns: KubeObject) => this.queue.add(ns.metadata?.name ?? '');
    nsInformer.addEventHandler({ onAdd: enqueueNs, onUpdate: (_o, n) => enqueueNs(n) });
    // Only deletions of the accounts we ensure matter (upstream serviceAccountDeleted).
    saInformer.addEventHandler({
      onDelete: (sa) => {
        if (this.toEnsure.includes(sa.metadata?.name ?? '')) this.queue.add(sa.metadata?.namespace ?? '');
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** Creates the missing ServiceAccounts of one namespace (upstream syncNamespace). Idempotent. */
  async sync(namespace: string): Promise<void> {
    const ns = this.nsStore.getByName('', namespace) as Namespace | undefined;
    if (!ns || ns.metadata?.deletionTimestamp || (ns.status?.phase ?? 'Active') !== 'Active') return;
    for (const name of this.toEnsure) {
      if (this.saStore.getByName(namespace, name)) continue;
      try {
        await this.client.create(namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } } as KubeObject);
      } catch (e) {
        if (isStatusError(e, 'AlreadyExists')) continue;
        // The namespace started terminating after the cache showed it active.
        if (isStatusError(e, 'Forbidden') && /being terminated/.test((e as Error).message)) return;
        throw e;
      }
    }
  }
}
