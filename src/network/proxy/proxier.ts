// The proxy role: informers on Services, EndpointSlices and this node's Node feed a ProxyState
// that a backend (nftables or iptables) programs into the kernel.
//
// Contracts:
// - Nothing is programmed before every informer has synced; the first sync is a full one.
// - Events only mark Services dirty and request a sync; syncs are batched (at least
//   `minSyncPeriodMs` apart, default 10 ms) and rebuild only the dirty Services, so one
//   EndpointSlice change costs one Service's rebuild however many Services exist. The backend gets
//   the changed service-port keys (removed ones included); a sync that changed nothing is skipped.
// - A backend failure is logged and followed by a full resync after a backoff; a full resync
//   also runs `syncPeriodMs` (default 30 s, kube-proxy's --sync-period) after the previous full
//   one ended, and when the node's IPs change. While a full resync runs, changes wait for it.
// - Stopping does NOT remove rules: established connections survive a proxy restart, and the next
//   proxy's first full sync replaces the rules. `cleanupProxyRules` (backends.ts) removes them.
// - After each backend sync that succeeded, the conntrack cleaner (conntrack-runner.ts) deletes the
//   UDP/SCTP flows the change left stale; it never fails the sync.
import { endpointSlicesRef, nodesRef, servicesRef } from '../../api/light.js';
import { Informer, type Client, type Clock } from '../../client/index.js';
import { ServicePortTracker } from './change-tracker.js';
import { createBackend, type ProxyMode } from './backends.js';
import { ConntrackCleaner } from './conntrack-runner.js';
import type { ProxyBackend, ProxyState } from './model.js';
import { buildServicePorts, familiesOfCIDRs, servicePortsFor, sliceServiceKey, type EndpointSliceLike, type ProxyIdentity, type ServiceLike } from './service-ports.js';
import { SyncRunner } from './sync-runner.js';
import { nodeAddressesOf, slimEndpointSlice, slimNode, slimService } from './slim.js';

export const DEFAULT_SYNC_PERIOD_MS = 30_000;
export const DEFAULT_MIN_SYNC_PERIOD_MS = 10;
export const DEFAULT_CLUSTER_CIDRS = ['10.42.0.0/16'];

export interface ProxyOptions {
  client: Client;
  /** This node: endpoints on it are local; its Node's InternalIP/ExternalIP are the NodePort addresses. */
  nodeName: string;
  mode: ProxyMode;
  /** The pod network(s); decides the IP families programmed and which sources are masqueraded. */
  clusterCIDRs: string[];
  /** Overrides the Node's addresses (`--node-ip`); then the Node is not watched. */
  nodeIPs?: string[];
  /** Program the rules inside this network namespace (tests, benchmarks). */
  netns?: string;
  syncPeriodMs?: number;
  minSyncPeriodMs?: number;
  log(msg: string): void;
  /** A backend to use instead of the mode's (tests). */
  backend?: ProxyBackend;
  /** Clears stale UDP conntrack entries after syncs; startProxy makes one unless `backend` is given. */
  conntrack?: ConntrackCleaner;
  /** Called after every sync that reached the backend. */
  onSync?(info: SyncInfo): void;
  /** Log every sync with its duration (kube-proxy's -v=2 and up), not only full and slow ones. */
  logEverySync?: boolean;
  /** First retry delay after a backend failure (default 1 s, doubling to the sync period). */
  retryInitialMs?: number;
  clock?: Clock;
}

export interface SyncInfo {
  full: boolean;
  /** Service-port keys handed to the backend as changed (for a full sync: every current key). */
  changed: number;
  servicePorts: number;
  /** Rebuild + backend time. */
  durationMs: number;
  /** The backend's part of it. */
  backendMs: number;
}

const BY_SERVICE = 'service';

/** Runs the proxy until `signal` aborts; resolves once it stopped (rules stay in place). */
export async function startProxy(options: ProxyOptions, signal: AbortSignal): Promise<void> {
  const backend = options.backend ?? await createBackend(options.mode, { netns: options.netns, log: options.log });
  const conntrack = options.conntrack ?? (options.backend ? undefined : new ConntrackCleaner({ netns: options.netns, log: options.log }));
  await new Proxier({ ...options, conntrack }, backend).start(signal);
}

export class Proxier {
  private readonly services: Informer;
  private readonly slices: Informer;
  private readonly node: Informer | undefined;
  private readonly tracker = new ServicePortTracker();
  private readonly dirty = new Set<string>();
  private readonly id: ProxyIdentity;
  private nodeIPs: string[];
  private readonly runner: SyncRunner;

  constructor(private readonly opts: ProxyOptions, private readonly backend: ProxyBackend) {
    const onError = (what: string) => (e: unknown) => opts.log(`${what} informer: ${(e as Error).message ?? String(e)}`);
    this.id = { nodeName: opts.nodeName, families: familiesOfCIDRs(opts.clusterCIDRs) };
    this.nodeIPs = opts.nodeIPs ?? [];
    this.services = new Informer(opts.client.resource(servicesRef), { transform: slimService, onError: onError('services') });
    this.slices = new Informer(opts.client.resource(endpointSlicesRef), {
      transform: slimEndpointSlice, onError: onError('endpointslices'),
      indexers: { [BY_SERVICE]: (o) => { const k = sliceServiceKey(o as EndpointSliceLike); return k ? [k] : []; } },
    });
    this.node = opts.nodeIPs ? undefined : new Informer(opts.client.resource(nodesRef), {
      fieldSelector: `metadata.name=${opts.nodeName}`, transform: slimNode, onError: onError('node'),
    });
    const markService = (o: unknown) => { this.markDirty(`${(o as ServiceLike).metadata?.namespace ?? ''}/${(o as ServiceLike).metadata?.name ?? ''}`); };
    const markSlice = (o: unknown) => { const k = sliceServiceKey(o as EndpointSliceLike); if (k) this.markDirty(k); };
    this.services.addEventHandler({ onAdd: markService, onUpdate: (_o, n) => markService(n), onDelete: markService });
    this.slices.addEventHandler({ onAdd: markSlice, onUpdate: (o, n) => { markSlice(o); markSlice(n); }, onDelete: markSlice });
    this.node?.addEventHandler({ onAdd: (n) => this.nodeChanged(n), onUpdate: (_o, n) => this.nodeChanged(n), onDelete: () => this.nodeChanged(undefined) });
    const syncPeriod = opts.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS;
    this.runner = new SyncRunner({
      minIntervalMs: opts.minSyncPeriodMs ?? DEFAULT_MIN_SYNC_PERIOD_MS, periodMs: syncPeriod,
      retryInitialMs: opts.retryInitialMs ?? 1000, retryMaxMs: Math.max(syncPeriod, 1000), clock: opts.clock,
      run: (full) => this.sync(full),
      onError: (e, retryIn) => opts.log(`${backend.mode} sync failed: ${(e as Error).message ?? String(e)}; full resync in ${retryIn} ms`),
    });
  }

  /** Service ports currently tracked (tests, debugging). */
  get servicePortCount(): number { return this.tracker.servicePorts.size; }

  async start(signal: AbortSignal): Promise<void> {
    const informers = [this.services, this.slices, ...(this.node ? [this.node] : [])];
    const loops = informers.map((i) => i.start(signal));
    try {
      const synced = await Promise.all(informers.map((i) => i.waitForSync(signal)));
      if (synced.every(Boolean)) {
        this.opts.log(`informers synced; programming ${this.backend.mode} rules`);
        this.runner.request(true);
        await this.runner.start(signal);
      }
    } finally {
      await Promise.all(loops);
    }
  }

  private markDirty(svcKey: string): void {
    this.dirty.add(svcKey);
    this.runner.request(false);
  }

  private nodeChanged(node: unknown): void {
    const ips = node ? nodeAddressesOf(node) : [];
    if (ips.join(',') === this.nodeIPs.join(',')) return;
    this.opts.log(`node ${this.opts.nodeName} addresses: ${ips.join(', ') || 'none'}`);
    this.nodeIPs = ips;
    this.runner.request(true);
  }

  private async sync(full: boolean): Promise<void> {
    const now = () => (this.opts.clock ? this.opts.clock.now() : performance.now());
    const started = now();
    let changed: Set<string> | 'all';
    let count: number;
    if (full) {
      this.dirty.clear();
      const all = buildServicePorts(this.services.store.list() as ServiceLike[], this.slices.store.list() as EndpointSliceLike[], this.id);
      this.tracker.replaceAll(all);
      changed = 'all';
      count = all.size;
    } else {
      const keys = [...this.dirty];
      this.dirty.clear();
      changed = new Set<string>();
      for (const k of keys) {
        const svc = this.services.store.get(k) as ServiceLike | undefined;
        this.tracker.replaceService(k, servicePortsFor(svc, this.slices.store.byIndex(BY_SERVICE, k) as EndpointSliceLike[], this.id), changed);
      }
      if (changed.size === 0) return;
      count = changed.size;
    }
    const state: ProxyState = {
      nodeName: this.opts.nodeName, nodeIPs: [...this.nodeIPs], clusterCIDRs: [...this.opts.clusterCIDRs],
      servicePorts: new Map(this.tracker.servicePorts),
    };
    const built = now();
    await this.backend.sync(state, changed);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const durationMs = round(now() - started);
    const backendMs = round(now() - built);
    await this.opts.conntrack?.afterSync(state.servicePorts, changed);
    if (full) this.opts.log(`full sync: ${state.servicePorts.size} service ports in ${durationMs} ms (backend ${backendMs} ms)`);
    else if (this.opts.logEverySync || durationMs > 1000) this.opts.log(`${durationMs > 1000 ? 'slow ' : ''}sync: ${count} changed service ports in ${durationMs} ms (backend ${backendMs} ms)`);
    this.opts.onSync?.({ full, changed: count, servicePorts: state.servicePorts.size, durationMs, backendMs });
  }
}
