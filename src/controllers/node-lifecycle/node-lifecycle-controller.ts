// The node lifecycle controller (upstream pkg/controller/nodelifecycle): notices nodes whose
// kubelet went silent and says so in the API. Every `--node-monitor-period` (and on each Node or
// Lease change) each node is synced:
// 1. its health is observed: a new Ready heartbeat or a renewed Lease in kube-node-lease counts
//    as life, timed by this controller's clock;
// 2. silent past `--node-monitor-grace-period` (the startup grace period if it never posted
//    Ready): its kubelet conditions become Unknown (NodeStatusUnknown, "Kubelet stopped posting
//    node status."), its pods' Ready condition False, and a NodeNotReady event is recorded;
// 3. its Ready condition picks the NoExecute taint: unreachable (Unknown), not-ready (False), or
//    none (True, taints removed at once). New taints are rate-limited per zone (zones.ts); the
//    taint eviction controller then deletes the pods that do not tolerate them;
// 4. its conditions and spec.unschedulable pick NoSchedule taints (unreachable, not-ready,
//    memory/disk/pid-pressure, network-unavailable, unschedulable), so the scheduler sends no new
//    pods to it; these are not rate-limited.
// Writes go through the API only, guarded by resourceVersion; a conflict retries the node.
import {
  isStatusError, leases as leasesResource, nodes as nodesResource, pods as podsResource,
  type KubeObject, type Lease, type Node, type Pod,
} from '../../api/index.js';
import { WorkQueue, type Indexer, type ResourceClient, type TimerHandle } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import {
  DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS, DEFAULT_NODE_MONITOR_PERIOD_MS, gracePeriodFor, isNodeSilent, isoSeconds,
  observeNodeHealth, readyCondition, taintsWithConditions, taintsWithReadiness, unknownConditions, wantedNoExecuteTaint, type NodeHealth,
} from './health.js';
import { PodsByNode } from './pods-by-node.js';
import { computeZoneState, taintRate, TokenBucket, zoneKey, type ZoneState } from './zones.js';

/** Upstream nodeUpdateWorkerSize. */
export const NODE_LIFECYCLE_WORKERS = 8;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

interface Zone {
  state: ZoneState;
  bucket: TokenBucket;
}

export class NodeLifecycleController implements Controller {
  readonly queue: WorkQueue<string>;
  readonly monitorPeriodMs: number;
  readonly gracePeriodMs: number;
  private readonly health = new Map<string, NodeHealth>();
  private readonly zones = new Map<string, Zone>();
  private readonly podsByNode = new PodsByNode();
  private readonly nodeStore: Indexer;
  private readonly leaseStore: Indexer;
  private readonly podStore: Indexer;
  private readonly nodeClient: ResourceClient;
  private readonly podClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = NODE_LIFECYCLE_WORKERS) {
    this.monitorPeriodMs = ctx.config?.nodeMonitorPeriodMs ?? DEFAULT_NODE_MONITOR_PERIOD_MS;
    this.gracePeriodMs = ctx.config?.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.nodeClient = ctx.client.resource(nodesResource);
    this.podClient = ctx.client.resource(podsResource);
    this.recorder = ctx.recorder('node-controller');
    const nodeInformer = ctx.informers.informerFor(nodesResource);
    const leaseInformer = ctx.informers.informerFor(leasesResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    this.nodeStore = nodeInformer.store;
    this.leaseStore = leaseInformer.store;
    this.podStore = podInformer.store;
    const enqueue = (n: KubeObject) => this.queue.add(n.metadata?.name ?? '');
    nodeInformer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_o, n) => enqueue(n),
      onDelete: (n) => { this.health.delete(n.metadata?.name ?? ''); },
    });
    const onLease = (l: KubeObject) => { if (l.metadata?.namespace === NODE_LEASE_NAMESPACE) enqueue(l); };
    leaseInformer.addEventHandler({ onAdd: onLease, onUpdate: (_o, l) => onLease(l) });
    podInformer.addEventHandler({ onAdd: (p) => this.podsByNode.put(p), onUpdate: (_o, p) => this.podsByNode.put(p), onDelete: (p) => this.podsByNode.remove(p) });
  }

  run(signal: AbortSignal): Promise<void> {
    let timer: TimerHandle | undefined;
    const tick = () => {
      if (signal.aborted) return;
      this.monitorPass();
      timer = this.ctx.clock.setTimer(this.monitorPeriodMs, tick);
    };
    tick();
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** Upstream monitorNodeHealth's outer loop: recompute zone states, then look at every node. */
  monitorPass(): void {
    const counts = new Map<string, { ready: number; notReady: number }>();
    for (const n of this.nodeStore.list() as Node[]) {
      const z = zoneKey(n);
      const c = counts.get(z) ?? { ready: 0, notReady: 0 };
      if (readyCondition(n)?.status === 'True') c.ready++;
      else c.notReady++;
      counts.set(z, c);
      this.queue.add(n.metadata?.name ?? '');
    }
    const states = new Map([...counts].map(([z, c]) => [z, computeZoneState(c.ready, c.notReady)] as const));
    const allFull = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption');
    const now = this.ctx.clock.now();
    for (const [z, state] of states) {
      const c = counts.get(z)!;
      const qps = taintRate(state, c.ready + c.notReady, allFull);
      const zone = this.zones.get(z);
      if (!zone || zone.state !== state || zone.bucket.qps !== qps) this.zones.set(z, { state, bucket: new TokenBucket(qps, now) });
    }
    for (const z of [...this.zones.keys()]) if (!states.has(z)) this.zones.delete(z);
  }

  /** One node: observe, mark Unknown if silent, fix its readiness taint. Idempotent. */
  async sync(name: string): Promise<ReconcileResult | void> {
    let node = this.nodeStore.getByName('', name) as Node | undefined;
    if (!node) return;
    const now = this.ctx.clock.now();
    const lease = this.leaseStore.getByName(NODE_LEASE_NAMESPACE, name) as Lease | undefined;
    const health = observeNodeHealth(this.health.get(name), node, lease, now);
    this.health.set(name, health);

    const wasReady = readyCondition(node)?.status === 'True';
    if (isNodeSilent(health, gracePeriodFor(node, this.gracePeriodMs), now)) {
      const conditions = unknownConditions(node, now);
      if (conditions) {
        node = await this.nodeClient.updateStatus('', { ...node, status: { ...node.status, conditions } }) as Node;
        if (wasReady) {
          this.recorder.event(asNode(node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
          await this.markPodsNotReady(name);
        }
      }
    }
    await this.reconcileTaints(node, now);
  }

  private async reconcileTaints(node: Node, now: number): Promise<void> {
    const wanted = wantedNoExecuteTaint(node);
    let taints = taintsWithReadiness(node.spec?.taints, wanted, now);
    // Adding a NoExecute taint spends a token of the node's zone; removing one never waits. A node
    // refused here is looked at again on the next monitor pass (its NoSchedule taints still apply).
    if (taints && wanted && !(node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute' && t.key === wanted)) {
      const zone = this.zones.get(zoneKey(node));
      if (zone && !zone.bucket.tryAccept(now)) taints = undefined;
    }
    const withConditions = taintsWithConditions(taints ?? node.spec?.taints, node) ?? taints;
    if (!withConditions) return;
    await this.nodeClient.update('', { ...node, spec: { ...node.spec, taints: withConditions } });
  }

  /** Upstream MarkPodsNotReady: the node's pods stop counting as Ready (endpoints drop them). */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const at = isoSeconds(this.ctx.clock.now());
    for (const key of this.podsByNode.keys(nodeName)) {
      const pod = this.podStore.get(key) as Pod | undefined;
      const ready = pod?.status?.conditions?.find((c) => c.type === 'Ready');
      if (!pod || ready?.status !== 'True') continue;
      try {
        await this.podClient.patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'strategic', {
          status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at }] },
        }, 'status');
        this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
      }
    }
  }
}

function asNode(n: Node): KubeObject {
  return { ...n, apiVersion: 'v1', kind: 'Node' };
}
