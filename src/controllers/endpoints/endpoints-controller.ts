// The endpoints controller (upstream pkg/controller/endpoint): for every Service with a selector,
// an Endpoints object of the same name listing the selected pods' addresses, ready ones in
// `addresses` and the others in `notReadyAddresses`. Level-triggered: `sync(key)` reads the
// caches and writes only when the subsets, labels or capacity annotation differ from what is
// stored. Selector-less Services are left to whoever writes their Endpoints by hand; a deleted
// Service's Endpoints are deleted.
import {
  endpoints as endpointsResource, isStatusError, jsonEqual, pods as podsResource, services as servicesResource,
  type Endpoints, type KubeObject, type Service,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { runWorkers } from '../workers.js';
import { isServiceIPSet } from './pod-endpoints.js';
import { hasSelector, podHandlers, podsForService } from './service-pods.js';
import {
  endpointSubsets, HEADLESS_LABEL, LAST_CHANGE_TRIGGER_TIME_ANNOTATION, OVER_CAPACITY_ANNOTATION, SKIP_MIRROR_LABEL,
} from './subsets.js';
import { rfc3339, TriggerTimeTracker } from './trigger-time.js';

/** Upstream --concurrent-endpoint-syncs default. */
export const ENDPOINTS_WORKERS = 5;
/** Upstream resourcelock.LeaderElectionRecordAnnotationKey. */
const LEADER_ELECTION_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export class EndpointsController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly serviceStore: Indexer;
  private readonly podStore: Indexer;
  private readonly endpointsStore: Indexer;
  private readonly client: ResourceClient;
  private readonly recorder: EventRecorder;
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(private readonly ctx: ControllerContext, private readonly workers = ENDPOINTS_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.client = ctx.client.resource(endpointsResource);
    this.recorder = ctx.recorder('endpoint-controller');
    const svcInformer = ctx.informers.informerFor(servicesResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    const epInformer = ctx.informers.informerFor(endpointsResource);
    this.serviceStore = svcInformer.store;
    this.podStore = podInformer.store;
    this.endpointsStore = epInformer.store;
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    svcInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    podInformer.addEventHandler(podHandlers(this.serviceStore, this.queue));
    // A deleted Endpoints of a live Service is recreated (upstream onEndpointsDelete).
    epInformer.addEventHandler({ onDelete: enqueue });
  }

  run(signal: AbortSignal): Promise<void> {
    this.checkLeftoverEndpoints();
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /**
   * Queues every Endpoints once at start (caches synced), so Endpoints whose Service was deleted
   * while no controller ran are found and deleted. Leader-election records kept in Endpoints
   * have no Service and are skipped (upstream checkLeftoverEndpoints).
   */
  private checkLeftoverEndpoints(): void {
    for (const ep of this.endpointsStore.list()) {
      if (ep.metadata?.annotations?.[LEADER_ELECTION_ANNOTATION] !== undefined) continue;
      this.queue.add(objectKey(ep));
    }
  }

  /** Converges the Endpoints of one Service (upstream syncService). Idempotent. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.serviceStore.get(key) as Service | undefined;
    if (!svc) {
      this.triggerTimes.delete(key);
      // The Service is gone: so is its Endpoints (upstream deletes without looking at the cache).
      try {
        await this.client.delete(namespace, name);
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
      }
      return;
    }
    if (!hasSelector(svc)) return;
    const pods = podsForService(this.podStore, svc);
    const trigger = this.triggerTimes.compute(key, svc, pods);
    const triggerTime = trigger.time;
    const { subsets, truncated } = endpointSubsets(svc, pods);

    const current = this.endpointsStore.get(key) as Endpoints | undefined;
    const labels = endpointsLabels(svc);
    const currentAnnotations = current?.metadata?.annotations ?? {};
    const capacityOk = truncated ? currentAnnotations[OVER_CAPACITY_ANNOTATION] === 'truncated' : currentAnnotations[OVER_CAPACITY_ANNOTATION] === undefined;
    if (current && jsonEqual(current.subsets ?? [], subsets)
      && sameMap(current.metadata?.labels, labels) && capacityOk) {
      trigger.commit();
      return;
    }

    const annotations: Record<string, string> = { ...currentAnnotations };
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = rfc3339(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const body = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? {}), name, namespace, labels,
        ...(Object.keys(annotations).length ? { annotations } : { annotations: undefined }),
      },
      subsets,
    } as KubeObject;
    const svcRef = { ...svc, apiVersion: 'v1', kind: 'Service' } as KubeObject;
    try {
      if (current) await this.client.update(namespace, body);
      else await this.createOrReplace(namespace, body);
      trigger.commit();
    } catch (e) {
      // A Service in a namespace being deleted: its Endpoints cannot be created; nothing to retry.
      if (!current && isStatusError(e, 'Forbidden') && /being terminated/.test((e as Error).message)) return;
      if (isStatusError(e, 'Conflict')) throw e;
      this.recorder.event(svcRef, 'Warning', current ? 'FailedToUpdateEndpoint' : 'FailedToCreateEndpoint',
        `Failed to ${current ? 'update' : 'create'} endpoint ${namespace}/${name}: ${(e as Error).message ?? String(e)}`);
      throw e;
    }
  }

  /**
   * Creates `body`; when the cache had not shown an existing Endpoints yet (our own earlier
   * write, or one left by a previous Service of that name), replaces it at its fresh version.
   */
  private async createOrReplace(namespace: string, body: KubeObject): Promise<void> {
    try {
      await this.client.create(namespace, body);
    } catch (e) {
      if (!isStatusError(e, 'AlreadyExists')) throw e;
      const fresh = await this.client.get(namespace, body.metadata?.name ?? '');
      await this.client.update(namespace, { ...body, metadata: { ...fresh.metadata, ...body.metadata, resourceVersion: fresh.metadata?.resourceVersion } } as KubeObject);
    }
  }
}

/** The Service's labels, plus the headless marker when it has no cluster IP, and skip-mirror. */
export function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  if (isServiceIPSet(svc)) delete labels[HEADLESS_LABEL];
  else labels[HEADLESS_LABEL] = '';
  labels[SKIP_MIRROR_LABEL] = 'true';
  return labels;
}

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a ?? {});
  return ak.length === Object.keys(b).length && ak.every((k) => a![k] === b[k]);
}
