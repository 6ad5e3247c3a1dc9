// `capstan sim`'s engine: N hollow kubelets sharing ONE API client (one keep-alive connection
// pool), ONE pod informer (indexed by spec.nodeName, dispatching to the owning node), ONE work
// queue drained by a fixed pool of workers, and ONE timer spreading lease renewals evenly.
// Every write is a real API call; nothing reaches into the server's memory.
//
// Queue keys: `node/<name>` registers a node or reports its status, `lease/<name>` renews its
// Lease, `pod/<ns>/<name>` syncs one pod. Failed keys are retried with the queue's per-key
// exponential backoff; a burst of bindings only grows the queue.
import type { KubeObject, Node } from '../../api/index.js';
import { isStatusError, leasesRef, nodesRef, podsRef } from '../../api/light.js';
import { Informer, ItemExponentialRateLimiter, realClock, WorkQueue, type Client, type Clock, type ResourceClient } from '../../client/index.js';
import { FakeRuntime, type ContainerRuntime } from '../../runtime/index.js';
import { HeartbeatSlots } from './heartbeat-slots.js';
import { HollowNode } from './hollow-node.js';
import { buildNode, healthyConditions, type HollowNodeTemplate } from './node-object.js';
import { renewNodeLease } from '../node/node-lease.js';
import { syncPod, type PodSyncContext } from './pod-sync.js';

export interface HollowNodesOptions extends Partial<Omit<HollowNodeTemplate, 'containerRuntimeVersion'>> {
  /** How many nodes: `<namePrefix>0` … `<namePrefix>N-1`. */
  count: number;
  /** Default `hollow-`. */
  namePrefix?: string;
  /** Delay between a pod being bound here and it reporting Running (default 0). */
  podStartDelayMs?: number;
  /** Lease renewal period (default 10 s, upstream's renewInterval = 0.25 × 40 s). */
  leaseRenewIntervalMs?: number;
  /** Node status report period without changes (default 5 min, upstream nodeStatusReportFrequency). */
  statusReportIntervalMs?: number;
  /** Concurrent API writes (default 32). */
  workers?: number;
  clock?: Clock;
  /** A runtime per node (default: a FakeRuntime on `clock`). */
  runtimeFor?(nodeName: string): ContainerRuntime;
  /** Failures that will be retried (API errors, informer errors). Default: ignored. */
  onError?(err: unknown, key?: string): void;
}

export interface HollowNodesStats {
  nodes: number;
  registered: number;
  killed: number;
  leaseRenewals: number;
  nodeStatusWrites: number;
  podStatusWrites: number;
  podDeletes: number;
  errors: number;
  queued: number;
}

export class HollowNodes {
  private readonly nodes = new Map<string, HollowNode>();
  private readonly queue: WorkQueue<string>;
  private readonly informer: Informer;
  private readonly slots: HeartbeatSlots;
  private readonly nodeClient: ResourceClient;
  private readonly leaseClient: ResourceClient;
  private readonly podContext: PodSyncContext;
  private readonly clock: Clock;
  private readonly template: HollowNodeTemplate;
  private readonly counters = { leaseRenewals: 0, nodeStatusWrites: 0, podStatusWrites: 0, podDeletes: 0, errors: 0 };
  private registeredCount = 0;
  private registeredWaiters: (() => void)[] = [];

  constructor(client: Client, private readonly opts: HollowNodesOptions) {
    this.clock = opts.clock ?? realClock;
    // Retries back off per key from 5 ms up to 10 s (the kubelet's own retry horizon), not client-go's 1000 s.
    this.queue = new WorkQueue<string>({ clock: this.clock, rateLimiter: new ItemExponentialRateLimiter<string>(5, 10_000) });
    const runtimeFor = opts.runtimeFor ?? (() => new FakeRuntime({ clock: this.clock }));
    const prefix = opts.namePrefix ?? 'hollow-';
    let runtimeVersion = '';
    for (let i = 0; i < opts.count; i++) {
      const name = `${prefix}${i}`;
      const runtime = runtimeFor(name);
      const v = runtime.version();
      runtimeVersion = `${v.runtimeName}://${v.runtimeVersion}`;
      this.nodes.set(name, new HollowNode(name, i, runtime));
    }
    this.template = {
      cpu: opts.cpu ?? '32', memory: opts.memory ?? '256Gi', pods: opts.pods ?? '110', ephemeralStorage: opts.ephemeralStorage ?? '100Gi',
      labels: opts.labels ?? {}, taints: opts.taints ?? [], containerRuntimeVersion: runtimeVersion || 'fake://1.0',
    };
    this.nodeClient = client.resource(nodesRef);
    this.leaseClient = client.resource(leasesRef);
    const podClient = client.resource(podsRef);
    // Unbound pods are never ours: the server filters them out.
    this.informer = new Informer(podClient, {
      fieldSelector: 'spec.nodeName!=',
      indexers: { nodeName: (p) => [(p.spec as { nodeName?: string } | undefined)?.nodeName ?? ''] },
      onError: (e) => this.report(e),
    });
    const enqueuePod = (p: KubeObject) => {
      const nodeName = (p.spec as { nodeName?: string } | undefined)?.nodeName;
      if (nodeName && this.nodes.has(nodeName)) this.queue.add(`pod/${p.metadata?.namespace}/${p.metadata?.name}`);
    };
    this.informer.addEventHandler({ onAdd: enqueuePod, onUpdate: (_o, n) => enqueuePod(n), onDelete: enqueuePod });
    this.podContext = {
      pods: podClient, cache: this.informer.store, nodes: this.nodes, clock: this.clock,
      podStartDelayMs: opts.podStartDelayMs ?? 0, ownerOf: new Map(), counters: this.counters,
      requeueAfter: (key, ms) => this.queue.addAfter(`pod/${key}`, ms),
    };
    const statusEvery = opts.statusReportIntervalMs ?? 300_000;
    this.slots = new HeartbeatSlots(this.clock, opts.leaseRenewIntervalMs ?? 10_000, (name) => {
      const node = this.nodes.get(name);
      if (!node || node.killed) return;
      this.queue.add(`lease/${name}`);
      if (this.clock.now() - node.lastStatusAt >= statusEvery) this.queue.add(`node/${name}`);
    });
  }

  /** Node names, in index order. */
  get nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  /**
   * Registers every node, then keeps leases, node status and pods current until `signal` aborts;
   * resolves once the workers, the informer and the timer have stopped. Call once.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    for (const name of this.nodes.keys()) this.queue.add(`node/${name}`);
    const informerDone = this.informer.start(signal);
    this.slots.start();
    const workers = Array.from({ length: this.opts.workers ?? 32 }, () => this.work());
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.slots.stop();
    this.queue.shutDown();
    await Promise.all([informerDone, ...workers]);
    for (const w of this.registeredWaiters.splice(0)) w();
  }

  /** Resolves once every node is registered (or the simulator stops first). */
  whenRegistered(): Promise<void> {
    if (this.registeredCount === this.nodes.size) return Promise.resolve();
    return new Promise((resolve) => this.registeredWaiters.push(resolve));
  }

  /** Stops the node's lease renewals, status reports and pod work: it looks dead to the control plane. */
  kill(nodeName: string): void {
    this.mustGet(nodeName).killed = true;
  }

  /** Undoes `kill`: renews the lease and reports status now, and resyncs the node's pods. */
  revive(nodeName: string): void {
    const node = this.mustGet(nodeName);
    if (!node.killed) return;
    node.killed = false;
    node.statusStale = true;
    this.queue.add(node.registered ? `lease/${nodeName}` : `node/${nodeName}`);
    if (node.registered) this.queue.add(`node/${nodeName}`);
    for (const p of this.informer.store.byIndex('nodeName', nodeName)) this.queue.add(`pod/${p.metadata?.namespace}/${p.metadata?.name}`);
  }

  isKilled(nodeName: string): boolean {
    return this.mustGet(nodeName).killed;
  }

  stats(): HollowNodesStats {
    let killed = 0;
    for (const n of this.nodes.values()) if (n.killed) killed++;
    return { nodes: this.nodes.size, registered: this.registeredCount, killed, ...this.counters, queued: this.queue.len() };
  }

  private mustGet(nodeName: string): HollowNode {
    const node = this.nodes.get(nodeName);
    if (!node) throw new Error(`no hollow node named "${nodeName}"`);
    return node;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.process(key);
        this.queue.forget(key);
      } catch (e) {
        this.counters.errors++;
        this.report(e, key);
        if (!this.queue.isShuttingDown()) this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private process(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const kind = key.slice(0, slash);
    const rest = key.slice(slash + 1);
    if (kind === 'pod') return syncPod(this.podContext, rest);
    const node = this.mustGet(rest);
    if (node.killed) return Promise.resolve();
    if (kind === 'lease') return this.renewLease(node);
    return node.registered ? this.reportStatus(node) : this.register(node);
  }

  /** Creates the Node (upstream registerWithAPIServer); an existing Node is adopted and its status refreshed. */
  private async register(node: HollowNode): Promise<void> {
    const now = this.clock.now();
    const desired = buildNode(node.name, node.index, this.template, now);
    let current: Node;
    try {
      current = await this.nodeClient.create('', desired) as Node;
      node.lastStatusAt = now;
    } catch (e) {
      if (!isStatusError(e) || e.code !== 409) throw e;
      current = await this.nodeClient.get('', node.name) as Node;
      node.lastStatusAt = 0;
      node.statusStale = false;
    }
    node.uid = current.metadata?.uid ?? '';
    node.conditions = current.status?.conditions ?? desired.status!.conditions!;
    node.usePodCIDR(current.spec?.podCIDR);
    node.registered = true;
    this.registeredCount++;
    this.slots.add(node.name);
    this.queue.add(`lease/${node.name}`);
    if (node.lastStatusAt === 0) this.queue.add(`node/${node.name}`);
    for (const p of this.informer.store.byIndex('nodeName', node.name)) this.queue.add(`pod/${p.metadata?.namespace}/${p.metadata?.name}`);
    if (this.registeredCount === this.nodes.size) for (const w of this.registeredWaiters.splice(0)) w();
  }

  /** Heartbeat through status (lease-based kubelets do this every 5 min or on change). */
  private async reportStatus(node: HollowNode): Promise<void> {
    if (node.statusStale) {
      const current = await this.nodeClient.get('', node.name) as Node;
      node.conditions = current.status?.conditions ?? [];
      node.statusStale = false;
    }
    const now = this.clock.now();
    const d = buildNode(node.name, node.index, this.template, now).status!;
    const conditions = healthyConditions(now, node.conditions);
    const patch = { status: { conditions, capacity: d.capacity, allocatable: d.allocatable, addresses: d.addresses, nodeInfo: d.nodeInfo, daemonEndpoints: d.daemonEndpoints } };
    const updated = await this.nodeClient.patch('', node.name, 'merge', patch, 'status') as Node;
    node.conditions = updated.status?.conditions ?? conditions;
    node.usePodCIDR(updated.spec?.podCIDR);
    node.lastStatusAt = now;
    this.counters.nodeStatusWrites++;
  }

  /** Upstream's node lease controller (shared with the node agent: renewNodeLease). */
  private async renewLease(node: HollowNode): Promise<void> {
    if (!node.registered) return;
    await renewNodeLease(this.leaseClient, node, node.name, node.uid, this.clock.now());
    this.counters.leaseRenewals++;
  }

  private report(err: unknown, key?: string): void {
    this.opts.onError?.(err, key);
  }
}
