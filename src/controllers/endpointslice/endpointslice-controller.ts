// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service with a
// selector, EndpointSlices (discovery.k8s.io/v1) holding the selected pods' endpoints, at most
// `maxEndpointsPerSlice` each, labelled with the service name and this controller as manager and
// owned by the Service. Level-triggered: `sync(key)` reads the caches, plans the writes with
// planSlices (minimal churn) and performs them. It only ever touches slices labelled as its own.
import {
  endpointSlices as endpointSlicesResource, isStatusError, pods as podsResource, services as servicesResource,
  jsonEqual, type EndpointSlice, type KubeObject, type Service,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { newControllerRef } from '../owner-refs.js';
import { NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { isServiceIPSet } from '../endpoints/pod-endpoints.js';
import { hasSelector, podHandlers, podsForService } from '../endpoints/service-pods.js';
import { HEADLESS_LABEL, LAST_CHANGE_TRIGGER_TIME_ANNOTATION } from '../endpoints/subsets.js';
import { rfc3339, TriggerTimeTracker } from '../endpoints/trigger-time.js';
import {
  CONTROLLER_NAME, DEFAULT_MAX_ENDPOINTS_PER_SLICE, desiredEndpointGroups, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, serviceAddressTypes,
} from './desired.js';
import { planSlices, type SlicePlan } from './reconcile.js';
import { SliceTracker } from './slice-tracker.js';

/** Upstream --concurrent-service-endpoint-syncs default. */
export const ENDPOINTSLICE_WORKERS = 5;
const API_VERSION = 'discovery.k8s.io/v1';

export interface EndpointSliceControllerOptions {
  workers?: number;
  /** Upstream --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
}

export class EndpointSliceController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly serviceStore: Indexer;
  private readonly podStore: Indexer;
  private readonly sliceStore: Indexer;
  private readonly client: ResourceClient;
  private readonly recorder: EventRecorder;
  private readonly tracker: SliceTracker;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly maxEndpointsPerSlice: number;
  private readonly workers: number;

  constructor(private readonly ctx: ControllerContext, opts: EndpointSliceControllerOptions = {}) {
    this.workers = opts.workers ?? ENDPOINTSLICE_WORKERS;
    this.maxEndpointsPerSlice = opts.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.tracker = new SliceTracker(ctx.clock);
    this.client = ctx.client.resource(endpointSlicesResource);
    this.recorder = ctx.recorder('endpoint-slice-controller');
    const svcInformer = ctx.informers.informerFor(servicesResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    const sliceInformer = ctx.informers.informerFor(endpointSlicesResource);
    this.serviceStore = svcInformer.store;
    this.podStore = podInformer.store;
    this.sliceStore = sliceInformer.store;
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    svcInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    podInformer.addEventHandler(podHandlers(this.serviceStore, this.queue));
    // Changes to our slices by anyone else are reverted on the owning Service's next sync.
    const onSlice = (s: KubeObject, deleted = false) => {
      const labels = s.metadata?.labels ?? {};
      const svcName = labels[LABEL_SERVICE_NAME];
      if (labels[LABEL_MANAGED_BY] !== CONTROLLER_NAME || !svcName) return;
      const key = `${s.metadata?.namespace}/${svcName}`;
      if (deleted) this.tracker.observedDeletion(key, s.metadata?.name ?? '');
      this.queue.add(key);
    };
    sliceInformer.addEventHandler({ onAdd: (s) => onSlice(s), onUpdate: (_o, s) => onSlice(s), onDelete: (s) => onSlice(s, true) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** This controller's slices of the Service `namespace/name` in the cache. */
  private slicesOf(namespace: string, name: string): EndpointSlice[] {
    return (this.sliceStore.byIndex(NAMESPACE_INDEX, namespace) as EndpointSlice[]).filter((s) =>
      s.metadata?.labels?.[LABEL_SERVICE_NAME] === name && s.metadata?.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME);
  }

  /** Converges one Service's slices (upstream syncService). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const svc = this.serviceStore.get(key) as Service | undefined;
    if (!svc) {
      // The garbage collector removes slices owned by a deleted Service.
      this.triggerTimes.delete(key);
      this.tracker.forget(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) return;
    const existing = this.slicesOf(namespace, name);
    // Planning from a cache that misses our own writes would duplicate slices: look again soon.
    if (!this.tracker.caughtUp(key, existing)) return { requeueAfterMs: 100 };
    const pods = podsForService(this.podStore, svc);
    const trigger = this.triggerTimes.compute(key, svc, pods);
    const plan = planSlices(existing, desiredEndpointGroups(svc, pods), {
      maxEndpointsPerSlice: this.maxEndpointsPerSlice,
      placeholderAddressType: serviceAddressTypes(svc)[0],
    });
    await this.apply(key, svc, plan, trigger.time);
    trigger.commit();
  }

  /** Performs a plan: creates, then updates, then deletes (upstream finalize's order). */
  private async apply(key: string, svc: Service, plan: SlicePlan, triggerTime: number | undefined): Promise<void> {
    const namespace = svc.metadata?.namespace ?? '';
    const labels = sliceLabels(svc);
    const annotate = (meta: EndpointSlice['metadata']) => {
      const annotations = { ...(meta?.annotations ?? {}) };
      if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = rfc3339(triggerTime);
      else delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
      return Object.keys(annotations).length ? annotations : undefined;
    };
    // Slices whose labels or owner drifted (e.g. the Service's labels changed) are rewritten too.
    const ownerRef = newControllerRef(svc, 'v1', 'Service');
    const updates = [...plan.update];
    for (const s of plan.unchanged) {
      if (!jsonEqual(s.metadata?.labels ?? {}, labels) || !ownedBy(s, ownerRef.uid)) updates.push(s);
    }
    const svcRef = { ...svc, apiVersion: 'v1', kind: 'Service' } as KubeObject;
    const fail = (verb: string, e: unknown) => {
      if (isStatusError(e, 'Forbidden') && /being terminated/.test((e as Error).message)) return;
      if (!isStatusError(e, 'Conflict') && !isStatusError(e, 'NotFound')) {
        this.recorder.event(svcRef, 'Warning', 'FailedToUpdateEndpointSlices',
          `Error updating Endpoint Slices for Service ${namespace}/${svc.metadata?.name}: failed to ${verb} EndpointSlice: ${(e as Error).message ?? String(e)}`);
      }
      throw e;
    };
    for (const c of plan.create) {
      const body = {
        apiVersion: API_VERSION, kind: 'EndpointSlice',
        metadata: { generateName: `${svc.metadata?.name}-`, namespace, labels, annotations: annotate(undefined), ownerReferences: [ownerRef] },
        addressType: c.addressType, endpoints: c.endpoints, ports: c.ports,
      } as KubeObject;
      try {
        this.tracker.expect(key, (await this.client.create(namespace, body)) as EndpointSlice);
      } catch (e) {
        fail('create', e);
      }
    }
    for (const u of updates) {
      const refs = (u.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerRef.uid && !r.controller);
      const body = {
        ...u, apiVersion: API_VERSION, kind: 'EndpointSlice',
        metadata: { ...u.metadata, labels, annotations: annotate(u.metadata), ownerReferences: [...refs, ownerRef] },
      } as KubeObject;
      try {
        this.tracker.expect(key, (await this.client.update(namespace, body)) as EndpointSlice);
      } catch (e) {
        fail('update', e);
      }
    }
    for (const d of plan.delete) {
      try {
        await this.client.delete(namespace, d.metadata?.name ?? '', { preconditions: { uid: d.metadata?.uid } });
        this.tracker.expect(key, d, true);
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) fail('delete', e);
      }
    }
  }
}

/** The Service's labels plus the slice's service name and manager (upstream setEndpointSliceLabels). */
export function sliceLabels(svc: Service, managedBy = CONTROLLER_NAME): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) {
    if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY && k !== HEADLESS_LABEL) labels[k] = v;
  }
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata?.name ?? '';
  labels[LABEL_MANAGED_BY] = managedBy;
  return labels;
}

function ownedBy(s: EndpointSlice, uid: string): boolean {
  return (s.metadata?.ownerReferences ?? []).some((r) => r.uid === uid && r.controller === true);
}
