// The service-lb controller (k3s ServiceLB, simplified: the nodes' proxies serve the ingress IPs,
// no per-Service pods): keeps `status.loadBalancer.ingress` of every `type: LoadBalancer` Service
// without a loadBalancerClass equal to the InternalIPs of the eligible nodes (see ingress.ts),
// through the `services/status` subresource.
//
// Contracts:
// - level-based, one key per Service: `sync` recomputes the ingress from the caches and writes
//   only when it differs from the Service's current status;
// - a Node change that alters what the node contributes (readiness, schedulability, opt-out
//   labels, InternalIPs) queues every Service that is or was a LoadBalancer; heartbeats do not;
// - a Service that stops being a LoadBalancer has its ingress cleared (the API server also clears
//   it on the type change; this catches anything left over).
import { jsonEqual, nodes as nodesResource, services as servicesResource, type KubeObject, type Node, type Service } from '../../api/index.js';
import { objectKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { loadBalancerNodeIPs, loadBalancerStatusUpdate, wantsServiceLB } from './ingress.js';

export const SERVICE_LB_WORKERS = 2;

export class ServiceLBController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly serviceStore: Indexer;
  private readonly nodeStore: Indexer;
  private readonly services: ResourceClient;
  private readonly recorder: EventRecorder;
  /** Keys of the Services that are, or still show ingress of, a LoadBalancer: what a node change can affect. */
  private readonly tracked = new Set<string>();

  constructor(private readonly ctx: ControllerContext, private readonly workers = SERVICE_LB_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.services = ctx.client.resource(servicesResource);
    this.recorder = ctx.recorder('service-lb-controller');
    const svcInformer = ctx.informers.informerFor(servicesResource);
    const nodeInformer = ctx.informers.informerFor(nodesResource);
    this.serviceStore = svcInformer.store;
    this.nodeStore = nodeInformer.store;
    const onService = (s: KubeObject) => {
      const key = objectKey(s);
      if (!isOfInterest(s as Service)) return;
      this.tracked.add(key);
      this.queue.add(key);
    };
    svcInformer.addEventHandler({
      onAdd: onService,
      onUpdate: (o, n) => {
        if (isOfInterest(o as Service) && !isOfInterest(n as Service)) this.queue.add(objectKey(n));
        onService(n);
      },
      onDelete: (s) => { this.tracked.delete(objectKey(s)); },
    });
    const requeueAll = () => {
      for (const key of this.tracked) this.queue.add(key);
    };
    nodeInformer.addEventHandler({
      onAdd: (n) => { if (loadBalancerNodeIPs(n as Node).length) requeueAll(); },
      onUpdate: (o, n) => { if (!jsonEqual(loadBalancerNodeIPs(o as Node), loadBalancerNodeIPs(n as Node))) requeueAll(); },
      onDelete: (n) => { if (loadBalancerNodeIPs(n as Node).length) requeueAll(); },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** Converges one Service's load balancer status. Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const svc = this.serviceStore.get(key) as Service | undefined;
    if (!svc || svc.metadata?.deletionTimestamp) return;
    if (!isOfInterest(svc)) this.tracked.delete(key);
    const loadBalancer = loadBalancerStatusUpdate(svc, this.nodeStore.list() as Node[]);
    if (!loadBalancer) return;
    // The cached resourceVersion makes a stale write fail with Conflict (retried quietly).
    await this.services.updateStatus(svc.metadata?.namespace ?? '', {
      ...svc, apiVersion: 'v1', kind: 'Service', status: { ...svc.status, loadBalancer },
    } as KubeObject);
    if (wantsServiceLB(svc)) {
      const ips = (loadBalancer.ingress ?? []).map((i) => i.ip).join(', ');
      this.recorder.event({ ...svc, apiVersion: 'v1', kind: 'Service' } as KubeObject, 'Normal', 'UpdatedIngressIP',
        ips ? `LoadBalancer Ingress IP addresses updated: ${ips}` : 'LoadBalancer Ingress IP addresses removed: no eligible node');
    }
  }
}

/** A LoadBalancer Service, or one still showing ingress (to clear). */
function isOfInterest(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' || (svc.status?.loadBalancer?.ingress?.length ?? 0) > 0;
}
