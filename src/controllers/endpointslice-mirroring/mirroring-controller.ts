// The EndpointSlice mirroring controller (upstream pkg/controller/endpointslicemirroring): for a
// Service without a selector whose Endpoints someone writes by hand, EndpointSlices carrying the
// same addresses, so slice consumers (the proxy, DNS) see them. Endpoints labelled
// `endpointslice.kubernetes.io/skip-mirror: "true"` (those of the endpoints controller and the API
// server) are never mirrored. Keyed by the Endpoints' (= the Service's) namespace/name; a sync
// reads the caches, plans with the endpointslice controller's planner and writes the difference.
import {
  endpoints as endpointsResource, endpointSlices as endpointSlicesResource, isStatusError, jsonEqual, services as servicesResource,
  type EndpointSlice, type Endpoints, type KubeObject, type Service,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { newControllerRef } from '../owner-refs.js';
import { NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { hasSelector } from '../endpoints/service-pods.js';
import { SKIP_MIRROR_LABEL } from '../endpoints/subsets.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../endpointslice/desired.js';
import { planSlices, type SlicePlan } from '../endpointslice/reconcile.js';
import { SliceTracker } from '../endpointslice/slice-tracker.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SUBSET, MIRRORING_CONTROLLER_NAME, mirroredGroups } from './mirror.js';

/** Upstream --mirroring-concurrent-service-endpoint-syncs default. */
export const MIRRORING_WORKERS = 5;
const API_VERSION = 'discovery.k8s.io/v1';
/** Endpoints annotations never copied onto slices (upstream). */
const SKIPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'endpoints.kubernetes.io/last-change-trigger-time'];

export class EndpointSliceMirroringController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly serviceStore: Indexer;
  private readonly endpointsStore: Indexer;
  private readonly sliceStore: Indexer;
  private readonly client: ResourceClient;
  private readonly tracker: SliceTracker;

  constructor(private readonly ctx: ControllerContext, private readonly workers = MIRRORING_WORKERS,
    private readonly maxEndpointsPerSubset = DEFAULT_MAX_ENDPOINTS_PER_SUBSET) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.tracker = new SliceTracker(ctx.clock);
    this.client = ctx.client.resource(endpointSlicesResource);
    const svcInformer = ctx.informers.informerFor(servicesResource);
    const epInformer = ctx.informers.informerFor(endpointsResource);
    const sliceInformer = ctx.informers.informerFor(endpointSlicesResource);
    this.serviceStore = svcInformer.store;
    this.endpointsStore = epInformer.store;
    this.sliceStore = sliceInformer.store;
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    svcInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    epInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const onSlice = (s: KubeObject, deleted = false) => {
      const labels = s.metadata?.labels ?? {};
      const svcName = labels[LABEL_SERVICE_NAME];
      if (labels[LABEL_MANAGED_BY] !== MIRRORING_CONTROLLER_NAME || !svcName) return;
      const key = `${s.metadata?.namespace}/${svcName}`;
      if (deleted) this.tracker.observedDeletion(key, s.metadata?.name ?? '');
      this.queue.add(key);
    };
    sliceInformer.addEventHandler({ onAdd: (s) => onSlice(s), onUpdate: (_o, s) => onSlice(s), onDelete: (s) => onSlice(s, true) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  private slicesOf(namespace: string, name: string): EndpointSlice[] {
    return (this.sliceStore.byIndex(NAMESPACE_INDEX, namespace) as EndpointSlice[]).filter((s) =>
      s.metadata?.labels?.[LABEL_SERVICE_NAME] === name && s.metadata?.labels?.[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER_NAME);
  }

  /** Converges the mirrored slices of one Endpoints (upstream syncEndpoints). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const existing = this.slicesOf(namespace, name);
    if (!this.tracker.caughtUp(key, existing)) return { requeueAfterMs: 100 };
    const svc = this.serviceStore.get(key) as Service | undefined;
    const ep = this.endpointsStore.get(key) as Endpoints | undefined;
    // Nothing to mirror: no Service, a selector (the endpointslice controller's), no Endpoints,
    // or Endpoints marked to skip. Whatever was mirrored goes.
    if (!svc || hasSelector(svc) || !ep || ep.metadata?.labels?.[SKIP_MIRROR_LABEL] === 'true') {
      if (!svc) this.tracker.forget(key);
      await this.apply(key, undefined, { create: [], update: [], unchanged: [], delete: existing }, undefined);
      return;
    }
    const plan = planSlices(existing, mirroredGroups(ep, this.maxEndpointsPerSubset), { maxEndpointsPerSlice: this.maxEndpointsPerSubset });
    await this.apply(key, svc, plan, ep);
  }

  private async apply(key: string, svc: Service | undefined, plan: SlicePlan, ep: Endpoints | undefined): Promise<void> {
    const { namespace } = splitKey(key);
    if (svc && ep) {
      const labels = mirroredLabels(ep, svc.metadata?.name ?? '');
      const annotations = mirroredAnnotations(ep);
      const ownerRef = newControllerRef(svc, 'v1', 'Service');
      const updates = [...plan.update];
      for (const s of plan.unchanged) {
        if (!jsonEqual(s.metadata?.labels ?? {}, labels) || !jsonEqual(s.metadata?.annotations ?? {}, annotations ?? {})) updates.push(s);
      }
      for (const c of plan.create) {
        const body = {
          apiVersion: API_VERSION, kind: 'EndpointSlice',
          metadata: { generateName: `${svc.metadata?.name}-`, namespace, labels, annotations, ownerReferences: [ownerRef] },
          addressType: c.addressType, endpoints: c.endpoints, ports: c.ports,
        } as KubeObject;
        this.tracker.expect(key, (await this.client.create(namespace, body)) as EndpointSlice);
      }
      for (const u of updates) {
        const body = { ...u, apiVersion: API_VERSION, kind: 'EndpointSlice', metadata: { ...u.metadata, labels, annotations } } as KubeObject;
        this.tracker.expect(key, (await this.client.update(namespace, body)) as EndpointSlice);
      }
    }
    for (const d of plan.delete) {
      try {
        await this.client.delete(namespace, d.metadata?.name ?? '', { preconditions: { uid: d.metadata?.uid } });
        this.tracker.expect(key, d, true);
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
      }
    }
  }
}

/** The Endpoints' labels (minus skip-mirror) plus the service name and this controller as manager. */
export function mirroredLabels(ep: Endpoints, serviceName: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata?.labels ?? {})) if (k !== SKIP_MIRROR_LABEL) labels[k] = v;
  labels[LABEL_SERVICE_NAME] = serviceName;
  labels[LABEL_MANAGED_BY] = MIRRORING_CONTROLLER_NAME;
  return labels;
}

function mirroredAnnotations(ep: Endpoints): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata?.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.includes(k)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}
