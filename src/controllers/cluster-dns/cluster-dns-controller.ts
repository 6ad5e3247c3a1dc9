// The cluster-dns controller: keeps the cluster DNS Service `kube-system/kube-dns` (clusterIP the
// configured `--cluster-dns`, ports dns 53/UDP and dns-tcp 53/TCP, no selector,
// internalTrafficPolicy Local) and its EndpointSlice `kube-dns-nodes`, one endpoint per Node
// whose agent runs a DNS server (see desired.ts).
//
// Contracts:
// - level-based, one key: every relevant event (the Service, the slice, a Node's DNS endpoint
//   changing) queues the same key and `sync` recomputes everything from the caches;
// - the Service is only created, never updated: a user's edits stand; a deleted Service is
//   created again (once the deleted one left the cache) and the slice re-pointed at it;
// - the slice is written only when its endpoints, ports, our labels or our owner differ; labels
//   and owners added by others are kept;
// - a Service given a selector by its user belongs to the endpointslice controller: our slice is
//   removed so the Service does not get two sets of endpoints.
import {
  endpointSlices as endpointSlicesResource, isStatusError, jsonEqual, nodes as nodesResource, services as servicesResource,
  type EndpointSlice, type KubeObject, type Node, type Service,
} from '../../api/index.js';
import { WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { LABEL_MANAGED_BY } from '../endpointslice/desired.js';
import {
  CLUSTER_DNS_MANAGER, DEFAULT_CLUSTER_DNS, desiredDNSService, desiredDNSSlice, dnsAddressType, dnsEndpoint, KUBE_DNS_NAMESPACE, KUBE_DNS_SERVICE, KUBE_DNS_SLICE,
  sliceDiffers,
} from './desired.js';

const KEY = `${KUBE_DNS_NAMESPACE}/${KUBE_DNS_SERVICE}`;
/** How soon to look again when the caches have not caught up with our own write. */
const CACHE_LAG_RETRY_MS = 100;
/** How soon to try again after the API server refused the Service (e.g. its IP is taken). */
export const CREATE_REFUSED_RETRY_MS = 30_000;

export interface ClusterDNSControllerOptions {
  /** `--cluster-dns`: the Service's clusterIP (default 10.43.0.10). */
  clusterIP?: string;
}

export class ClusterDNSController implements Controller {
  readonly queue: WorkQueue<string>;
  readonly clusterIP: string;
  private readonly serviceStore: Indexer;
  private readonly nodeStore: Indexer;
  private readonly sliceStore: Indexer;
  private readonly services: ResourceClient;
  private readonly slices: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, opts: ClusterDNSControllerOptions = {}) {
    this.clusterIP = opts.clusterIP ?? DEFAULT_CLUSTER_DNS;
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.services = ctx.client.resource(servicesResource);
    this.slices = ctx.client.resource(endpointSlicesResource);
    this.recorder = ctx.recorder('cluster-dns-controller');
    const svcInformer = ctx.informers.informerFor(servicesResource);
    const nodeInformer = ctx.informers.informerFor(nodesResource);
    const sliceInformer = ctx.informers.informerFor(endpointSlicesResource);
    this.serviceStore = svcInformer.store;
    this.nodeStore = nodeInformer.store;
    this.sliceStore = sliceInformer.store;
    const enqueue = () => this.queue.add(KEY);
    const ifNamed = (name: string) => (o: KubeObject) => {
      if (o.metadata?.namespace === KUBE_DNS_NAMESPACE && o.metadata?.name === name) enqueue();
    };
    const onService = ifNamed(KUBE_DNS_SERVICE);
    svcInformer.addEventHandler({ onAdd: onService, onUpdate: (_o, n) => onService(n), onDelete: onService });
    const onSlice = ifNamed(KUBE_DNS_SLICE);
    sliceInformer.addEventHandler({ onAdd: onSlice, onUpdate: (_o, n) => onSlice(n), onDelete: onSlice });
    // Node heartbeats change nothing the slice holds: only a change of the node's endpoint counts.
    const endpointOf = (n: KubeObject) => dnsEndpoint(n as Node, this.addressType());
    nodeInformer.addEventHandler({
      onAdd: (n) => { if (endpointOf(n)) enqueue(); },
      onUpdate: (o, n) => { if (!jsonEqual(endpointOf(o), endpointOf(n))) enqueue(); },
      onDelete: (n) => { if (endpointOf(n)) enqueue(); },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    // The Service must exist even if no event ever names it.
    this.queue.add(KEY);
    return runWorkers(this.queue, 1, () => this.sync(), signal, (e) => this.ctx.onError(e));
  }

  private addressType() {
    const svc = this.serviceStore.getByName(KUBE_DNS_NAMESPACE, KUBE_DNS_SERVICE) as Service | undefined;
    return svc ? dnsAddressType(svc) : 'IPv4';
  }

  /** Converges the Service and the slice. Idempotent. */
  async sync(): Promise<ReconcileResult | void> {
    let svc = this.serviceStore.getByName(KUBE_DNS_NAMESPACE, KUBE_DNS_SERVICE) as Service | undefined;
    // A Service being deleted is recreated once it is gone (its delete event queues us again).
    if (svc?.metadata?.deletionTimestamp) return;
    if (!svc) {
      const created = await this.createService();
      if (!created) return { requeueAfterMs: CREATE_REFUSED_RETRY_MS };
      if (created === 'exists') return { requeueAfterMs: CACHE_LAG_RETRY_MS };
      svc = created;
    }
    const existing = this.sliceStore.getByName(KUBE_DNS_NAMESPACE, KUBE_DNS_SLICE) as EndpointSlice | undefined;
    if (Object.keys(svc.spec?.selector ?? {}).length) {
      if (existing && isOurs(existing)) await this.deleteSlice(existing);
      return;
    }
    const desired = desiredDNSSlice(svc, this.nodeStore.list() as Node[], existing);
    if (!existing) {
      try {
        await this.slices.create(KUBE_DNS_NAMESPACE, desired as KubeObject);
      } catch (e) {
        if (isStatusError(e, 'AlreadyExists')) return { requeueAfterMs: CACHE_LAG_RETRY_MS };
        throw e;
      }
      return;
    }
    if (!sliceDiffers(existing, desired)) return;
    // Conflicts (the cache was behind) are retried quietly by runWorkers.
    await this.slices.update(KUBE_DNS_NAMESPACE, desired as KubeObject);
  }

  /** Creates the Service: the created object, 'exists' (cache lag), or undefined when refused. */
  private async createService(): Promise<Service | 'exists' | undefined> {
    try {
      return (await this.services.create(KUBE_DNS_NAMESPACE, desiredDNSService(this.clusterIP) as KubeObject)) as Service;
    } catch (e) {
      if (isStatusError(e, 'AlreadyExists')) return 'exists';
      // Our own earlier create (not in the cache yet) holds the IP: the API server checks the
      // address before the name, as upstream's, so this is an Invalid, not an AlreadyExists.
      if (isStatusError(e, 'Invalid') && await this.services.get(KUBE_DNS_NAMESPACE, KUBE_DNS_SERVICE).then(() => true, () => false)) return 'exists';
      if (isStatusError(e, 'Invalid') || isStatusError(e, 'Forbidden')) {
        // Most likely the IP is taken or outside the service CIDR: say so, on the namespace the
        // Service would live in, and try again later rather than hot-looping.
        const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: KUBE_DNS_NAMESPACE } } as KubeObject;
        this.recorder.event(ns, 'Warning', 'FailedToCreateClusterDNSService',
          `Cannot create Service ${KEY} with clusterIP ${this.clusterIP}: ${(e as Error).message}`);
        this.ctx.onError(e);
        return undefined;
      }
      throw e;
    }
  }

  private async deleteSlice(slice: EndpointSlice): Promise<void> {
    try {
      await this.slices.delete(KUBE_DNS_NAMESPACE, KUBE_DNS_SLICE, { preconditions: { uid: slice.metadata?.uid } });
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }
}

function isOurs(slice: EndpointSlice): boolean {
  return slice.metadata?.labels?.[LABEL_MANAGED_BY] === CLUSTER_DNS_MANAGER;
}
