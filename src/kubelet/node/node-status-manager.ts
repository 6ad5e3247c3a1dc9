// NodeStatusManager: the kubelet's node identity and heartbeat. It registers the Node (create,
// or adopt and reconcile an existing one, as upstream's registerWithAPIServer), renews the Lease
// kube-node-lease/<node> every 10 s, computes the status every 10 s and posts it when it changed
// or every 5 min (upstream nodeStatusUpdateFrequency / nodeStatusReportFrequency).
//
// Seams for the rest of the kubelet: `readinessChecks` (the runtime and network report why the
// node is not ready), `images` (status.images), `sample` (host facts; a fixture in tests), and
// `node` (the Node as last read or written, for spec.podCIDR and friends).
import type { Node, Taint } from '../../api/index.js';
import { isStatusError, nodesRef, leasesRef } from '../../api/light.js';
import { realClock, type Client, type Clock, type ResourceClient } from '../../client/index.js';
import type { ContainerRuntime, ImageService, RuntimeVersion } from '../../runtime/index.js';
import type { HostIdentity, HostSample } from './host-readers.js';
import { conditionTransitionEvents, observePressure, PressureTracker, type NodeCondition } from './node-conditions.js';
import { renewNodeLease, type LeaseState } from './node-lease.js';
import {
  KUBELET_PORT, NODE_LEASE_RENEW_INTERVAL_MS, NODE_STATUS_REPORT_FREQUENCY_MS, NODE_STATUS_UPDATE_FREQUENCY_MS,
  nodeImages, reconcileExistingNode, registrationNode, type ContainerImage,
} from './node-object.js';
import { DEFAULT_MAX_PODS, type EvictionThreshold, type Reservation } from './node-resources.js';
import { buildNodeStatus, nodeSignals, nodeStatusChanged, type NodeStatus } from './node-status.js';

/** A readiness check: resolves with the reason the node is not ready, or undefined when fine. */
export type ReadinessCheck = () => Promise<string | undefined> | string | undefined;

/** The runtime's readiness: it answers a sandbox list (upstream's RuntimeReady). */
export function runtimeReadiness(runtime: Pick<ContainerRuntime, 'listPodSandbox'>): ReadinessCheck {
  return () => runtime.listPodSandbox().then(() => undefined, (e: Error) => `container runtime is down: ${e.message}`);
}

export interface NodeStatusManagerOptions {
  client: Client;
  nodeName: string;
  identity: HostIdentity;
  /** One fresh sample of the host; called every status period. */
  sample(): Promise<HostSample>;
  runtimeVersion: RuntimeVersion;
  /** The server's version (reported as kubeletVersion and kubeProxyVersion). */
  kubeletVersion: string;
  /** status.images; `imageFsInfo`, when given, is the imagefs eviction signal (else the nodefs). */
  images?: Pick<ImageService, 'listImages'> & Partial<Pick<ImageService, 'imageFsInfo'>>;
  /** Records an event about the Node (Starting, NodeReady, NodeHasDiskPressure, …). Must not throw. */
  recordEvent?(type: 'Normal' | 'Warning', reason: string, message: string): void;
  readinessChecks?: ReadinessCheck[];
  nodeIP?: string;
  /** `--node-labels`, applied over the default labels. */
  labels?: Record<string, string>;
  /** `--register-with-taints`: set when the Node is created. */
  taints?: Taint[];
  maxPods?: number;
  kubeReserved?: Reservation;
  systemReserved?: Reservation;
  evictionHard: EvictionThreshold[];
  kubeletPort?: number;
  clock?: Clock;
  leaseRenewIntervalMs?: number;
  statusUpdateFrequencyMs?: number;
  statusReportFrequencyMs?: number;
  /** Failures that will be retried. Default: ignored. */
  onError?(err: unknown, what: 'register' | 'lease' | 'status'): void;
}

const REGISTER_BACKOFF_START_MS = 100;
const REGISTER_BACKOFF_MAX_MS = 7_000;
/** A failed renewal or status post is retried sooner than the period (upstream's lease controller: 200 ms doubling to 7 s). */
const RETRY_BACKOFF_START_MS = 200;
const RETRY_BACKOFF_MAX_MS = 7_000;

export class NodeStatusManager {
  private readonly clock: Clock;
  private readonly nodeClient: ResourceClient;
  private readonly leaseClient: ResourceClient;
  private readonly leaseState: LeaseState = {};
  private readonly pressure = new PressureTracker();
  private uid = '';
  private lastStatus?: NodeStatus;
  private lastPostedAt = 0;
  private current?: Node;
  private registeredWaiters: (() => void)[] = [];
  /** Counts of successful writes, for tests and logs. */
  readonly counters = { leaseRenewals: 0, statusPosts: 0 };

  constructor(private readonly o: NodeStatusManagerOptions) {
    this.clock = o.clock ?? realClock;
    this.nodeClient = o.client.resource(nodesRef);
    this.leaseClient = o.client.resource(leasesRef);
  }

  /** The Node as last read or written; undefined before registration. */
  get node(): Node | undefined {
    return this.current;
  }

  get registered(): boolean {
    return this.uid !== '';
  }

  /** Resolves once the Node is registered (or at once if it is). */
  whenRegistered(): Promise<void> {
    if (this.registered) return Promise.resolve();
    return new Promise((resolve) => this.registeredWaiters.push(resolve));
  }

  /**
   * Registers (retrying with backoff), then renews the Lease and reports status until `signal`
   * aborts; resolves after the loops stopped. Call once.
   */
  async start(signal: AbortSignal): Promise<void> {
    this.o.recordEvent?.('Normal', 'Starting', 'Starting kubelet.');
    let backoff = REGISTER_BACKOFF_START_MS;
    while (!signal.aborted && !this.registered) {
      try {
        await this.register();
      } catch (e) {
        this.o.onError?.(e, 'register');
        await this.wait(backoff, signal);
        backoff = Math.min(backoff * 2, REGISTER_BACKOFF_MAX_MS);
      }
    }
    if (signal.aborted) return;
    await Promise.all([
      this.every(this.o.leaseRenewIntervalMs ?? NODE_LEASE_RENEW_INTERVAL_MS, signal, 'lease', () => this.renewLease()),
      this.every(this.o.statusUpdateFrequencyMs ?? NODE_STATUS_UPDATE_FREQUENCY_MS, signal, 'status', () => this.syncStatus()),
    ]);
  }

  /** Creates the Node with its status; adopts an existing one and reconciles labels (see reconcileExistingNode). */
  async register(): Promise<void> {
    const now = this.clock.now();
    const desired = registrationNode(this.o.nodeName, this.o.labels ?? {}, this.o.taints ?? []);
    const status = await this.computeStatus(now, []);
    let node: Node;
    try {
      node = await this.nodeClient.create('', { ...desired, status }) as Node;
      this.lastStatus = node.status;
      this.lastPostedAt = now;
      this.recordTransitions([], node.status?.conditions ?? []);
    } catch (e) {
      if (!isStatusError(e) || e.code !== 409) throw e;
      node = await this.nodeClient.get('', this.o.nodeName) as Node;
      const patch = reconcileExistingNode(node, desired);
      if (patch) node = await this.nodeClient.patch('', this.o.nodeName, 'merge', patch) as Node;
      // Posted by the status loop's first pass (lastPostedAt = 0 makes it due).
      this.lastStatus = undefined;
    }
    this.current = node;
    this.uid = node.metadata?.uid ?? '';
    for (const w of this.registeredWaiters.splice(0)) w();
    if (this.lastPostedAt === 0) await this.syncStatus();
  }

  /** One Lease renewal (creates the Lease on first use). */
  async renewLease(): Promise<void> {
    if (!this.registered) return;
    await renewNodeLease(this.leaseClient, this.leaseState, this.o.nodeName, this.uid, this.clock.now());
    this.counters.leaseRenewals++;
  }

  /** Computes the status now; posts it when it changed or the report frequency has passed. Returns whether it posted. */
  async syncStatus(): Promise<boolean> {
    if (!this.registered) return false;
    const now = this.clock.now();
    const previous = this.lastStatus?.conditions ?? this.current?.status?.conditions ?? [];
    const next = await this.computeStatus(now, previous);
    const due = now - this.lastPostedAt >= (this.o.statusReportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS);
    if (!due && !nodeStatusChanged(this.lastStatus, next)) return false;
    const updated = await this.nodeClient.patch('', this.o.nodeName, 'merge', { status: next }, 'status') as Node;
    this.recordTransitions(previous, updated.status?.conditions ?? []);
    this.current = updated;
    this.lastStatus = updated.status ?? next;
    this.lastPostedAt = now;
    this.counters.statusPosts++;
    return true;
  }

  private async computeStatus(now: number, previous: readonly NodeCondition[]): Promise<NodeStatus> {
    const sample = await this.o.sample();
    let imagefs;
    if (this.o.images?.imageFsInfo) {
      try {
        const fs = await this.o.images.imageFsInfo();
        imagefs = { capacityBytes: fs.capacityBytes, availableBytes: fs.availableBytes, inodes: 0, inodesFree: 0 };
      } catch {
        imagefs = undefined;
      }
    }
    const signals = nodeSignals(sample, imagefs);
    const pressure = this.pressure.observe(now, observePressure(signals, this.o.evictionHard));
    const errors: string[] = [];
    for (const check of this.o.readinessChecks ?? []) {
      try {
        const r = await check();
        if (r) errors.push(r);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    let images: ContainerImage[] = [];
    if (this.o.images) {
      try {
        images = nodeImages(await this.o.images.listImages());
      } catch {
        images = this.lastStatus?.images ?? [];
      }
    }
    const v = this.o.runtimeVersion;
    return buildNodeStatus({
      identity: this.o.identity, containerRuntimeVersion: `${v.runtimeName}://${v.runtimeVersion}`, kubeletVersion: this.o.kubeletVersion,
      nodeIP: this.o.nodeIP, maxPods: this.o.maxPods ?? DEFAULT_MAX_PODS, kubeReserved: this.o.kubeReserved ?? {},
      systemReserved: this.o.systemReserved ?? {}, evictionHard: this.o.evictionHard, kubeletPort: this.o.kubeletPort ?? KUBELET_PORT,
    }, sample, now, previous, pressure, errors, images);
  }

  private recordTransitions(previous: readonly NodeCondition[], next: readonly NodeCondition[]): void {
    if (!this.o.recordEvent) return;
    for (const e of conditionTransitionEvents(this.o.nodeName, previous, next)) this.o.recordEvent('Normal', e.reason, e.message);
  }

  /**
   * Runs `fn` now and then every `ms` (after each run ends) until `signal` aborts. A failure is
   * reported and retried after a backoff (200 ms doubling, at most 7 s, never beyond `ms`).
   */
  private async every(ms: number, signal: AbortSignal, what: 'lease' | 'status', fn: () => Promise<unknown>): Promise<void> {
    let backoff = RETRY_BACKOFF_START_MS;
    while (!signal.aborted) {
      let delay = ms;
      try {
        await fn();
        backoff = RETRY_BACKOFF_START_MS;
      } catch (e) {
        this.o.onError?.(e, what);
        delay = Math.min(backoff, ms);
        backoff = Math.min(backoff * 2, RETRY_BACKOFF_MAX_MS);
      }
      await this.wait(delay, signal);
    }
  }

  private wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = () => {
        timer.cancel();
        resolve();
      };
      const timer = this.clock.setTimer(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
