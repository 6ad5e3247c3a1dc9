// The kubelet of a real node: every part of the node agent wired together over real containers.
//
// Start-up order (each step needs the one before):
// 1. the image store imports the air-gap tarballs of `<data-dir>/agent/images/` (as k3s);
// 2. the OCI runtime (conmon + runc/crun) re-reads what it runs, so containers that outlived a
//    previous kubelet are adopted, not restarted;
// 3. the kubelet's HTTPS server listens (logs, exec, attach, port-forward for the API server);
// 4. the node registers and keeps its Lease and status (NodeStatusManager);
// 5. once the Node has its pod CIDR (node IPAM), the CNI network is built on it and pods whose
//    sandboxes wait for it proceed;
// 6. the pod workers run the pods bound to the node; container logs are rotated; unused images
//    are collected when the disk fills.
// `start(signal)` resolves after every part stopped. Stopping leaves the containers running.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node } from '../../api/index.js';
import { nodesRef as nodesResource, podsRef as podsResource, quantityValue, servicesRef } from '../../api/light.js';
import { ApiEventRecorder, Informer, realClock, sleep, type Client, type KubeList } from '../../client/index.js';
import { CniNetwork } from '../../network/index.js';
import { ImageStore, imageStoreRoot, OciRuntime } from '../../runtime/index.js';
import { ContainerLogManager } from '../logs/index.js';
import { NodeStatusManager, runtimeReadiness, type NodeStatusManagerOptions, type ReadinessCheck } from '../node/index.js';
import { PodWorkers } from '../pods/pod-workers.js';
import { ClientObjectSource, type NodeContext } from '../podspec/index.js';
import { KubeletServer, runtimeStreamingBackend } from '../server/index.js';
import { VolumeManager } from '../volumes/index.js';
import { DeferredPodNetwork } from './deferred-network.js';
import { nodePodDeps } from './pod-deps.js';

export interface KubeletOptions {
  /** The node's API client (its `system:node:<name>` credentials). */
  client: Client;
  nodeName: string;
  /** The data dir (`/var/lib/capstan`); the node's state lives in `<dataDir>/agent/`. */
  dataDir: string;
  /** Runtime state of namespaces and sockets (default `/run/capstan`; at most 27 bytes). */
  runDir?: string;
  /** The OCI runtime (default runc). */
  runtime?: 'runc' | 'crun';
  /** Directory holding `pods/<ns>_<name>_<uid>/` container logs (default `/var/log`, as upstream's /var/log/pods). */
  logsRoot?: string;
  /** The kubelet serving pair and the cluster CA its callers' client certificates chain to. */
  serving: { certPem: string; keyPem: string; caPem: string };
  /** `--kubelet-port`-like: where the kubelet's HTTPS server listens (default 10250; 0 picks one). */
  port?: number;
  bindAddress?: string;
  /** Cluster DNS Service IPs and domain (`--cluster-dns`, `--cluster-domain`). */
  clusterDNS: string[];
  clusterDomain: string;
  /** The host's resolv.conf (`--resolv-conf`, default /etc/resolv.conf). */
  resolvConf?: string;
  cni?: { binDirs?: string[]; confDir?: string; bridgeName?: string };
  /** How often every pod is synced (upstream `--sync-frequency`, 1 m); volume contents refresh then. */
  syncFrequencyMs?: number;
  /** The node's identity, samples and registration settings (see NodeStatusManager). */
  node: Pick<NodeStatusManagerOptions, 'identity' | 'sample' | 'nodeIP' | 'labels' | 'taints' | 'maxPods' | 'kubeReserved' | 'systemReserved' | 'evictionHard'>;
  kubeletVersion: string;
  log(message: string): void;
}

/** How long the node waits for node IPAM before using the built-in default pod CIDR. */
const POD_CIDR_WAIT_MS = 30_000;
const IMAGE_GC_PERIOD_MS = 5 * 60_000;

export class Kubelet {
  readonly images: ImageStore;
  readonly runtime: OciRuntime;
  private readonly network = new DeferredPodNetwork();
  private server?: KubeletServer;

  constructor(private readonly o: KubeletOptions) {
    this.images = new ImageStore({ root: imageStoreRoot(o.dataDir) });
    this.runtime = new OciRuntime({
      root: path.join(o.dataDir, 'agent', 'containers'), runDir: o.runDir ?? '/run/capstan', runtime: o.runtime,
      images: this.images, network: this.network,
    });
  }

  /** The kubelet server's port (after start). */
  get port(): number | undefined {
    return this.server?.port;
  }

  async start(signal: AbortSignal): Promise<void> {
    const { o } = this;
    const airGap = path.join(o.dataDir, 'agent', 'images');
    const imported = await this.images.importDirectory(airGap).catch((e: Error) => ({ images: [], skipped: [], errors: [{ file: airGap, message: e.message }] }));
    for (const e of imported.errors) o.log(`image import ${e.file}: ${e.message}`);
    if (imported.images.length) o.log(`imported ${imported.images.length} image(s) from ${airGap}`);
    await this.runtime.init();

    // The server's pods are read from the API per request (logs, exec and port-forward are rare).
    const podsOnNode = async () => ((await o.client.resource(podsResource).list('', { fieldSelector: `spec.nodeName=${o.nodeName}` })) as KubeList).items;
    this.server = await KubeletServer.listen({ tls: o.serving, backend: runtimeStreamingBackend({ runtime: this.runtime, pods: podsOnNode }) }, o.port ?? 10250, o.bindAddress ?? '0.0.0.0');
    const events = new ApiEventRecorder(o.client, 'kubelet', o.nodeName, realClock, (e) => o.log(`event: ${(e as Error).message}`), { host: o.nodeName });
    const nodeRef = { apiVersion: 'v1', kind: 'Node', metadata: { name: o.nodeName, uid: o.nodeName } };
    let cni: CniNetwork | undefined;
    const networkReady: ReadinessCheck = async () => {
      if (!cni) return 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:waiting for the node\'s pod CIDR';
      const s = await cni.status();
      return s.ready ? undefined : `container runtime network not ready: NetworkReady=false reason:${s.reason ?? 'NetworkPluginNotReady'} message:${s.message ?? ''}`;
    };
    const status = new NodeStatusManager({
      client: o.client, nodeName: o.nodeName, ...o.node, sample: o.node.sample,
      runtimeVersion: this.runtime.version(), kubeletVersion: o.kubeletVersion, images: this.images,
      readinessChecks: [runtimeReadiness(this.runtime), networkReady], kubeletPort: this.server.port,
      onError: (e, what) => o.log(`${what}: ${(e as Error).message} (will retry)`),
      recordEvent: (type, reason, message) => events.event(nodeRef, type, reason, message),
    });
    const running: Promise<unknown>[] = [status.start(signal)];
    try {
      await Promise.race([status.whenRegistered(), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
      if (signal.aborted) return;
      o.log(`ready: node ${o.nodeName} registered; kubelet server on port ${this.server.port}`);

      const podCIDRs = await this.waitForPodCIDR(signal);
      cni = new CniNetwork({ dataDir: o.dataDir, podCIDR: podCIDRs, binDirs: o.cni?.binDirs, confDir: o.cni?.confDir, bridgeName: o.cni?.bridgeName });
      this.network.set(cni);
      o.log(`pod network on ${podCIDRs.join(', ') || 'the default pod CIDR'}`);
      // As upstream's fastStatusUpdateOnce: report Ready now rather than at the next 10 s post.
      await status.syncStatus().catch((e: Error) => o.log(`status: ${e.message} (will retry)`));

      const node = () => status.node as Node | undefined;
      // Containers' service environment variables come from a Services informer (upstream's
      // service lister), not from two API lists per container start.
      const services = new Informer(o.client.resource(servicesRef), { onError: (e) => o.log(`services: ${(e as Error).message} (will retry)`) });
      running.push(services.start(signal));
      if (!await services.waitForSync(signal)) return;
      const objects = new ClientObjectSource(o.client, { services: services.store });
      const hostResolvConf = readOptional(o.resolvConf ?? '/etc/resolv.conf');
      const nodeContext = (): NodeContext => ({
        nodeName: o.nodeName, hostIPs: o.node.nodeIP ? [o.node.nodeIP] : [],
        allocatable: (node()?.status?.allocatable ?? {}) as Record<string, string>,
        memoryCapacityBytes: quantityValue(node()?.status?.capacity?.memory ?? '0'),
        clusterDNS: o.clusterDNS, clusterDomain: o.clusterDomain, hostResolvConf,
        logsDir: o.logsRoot ?? '/var/log',
        recordEvent: (pod, type, reason, message) => events.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, type, reason, message),
      });
      const volumes = new VolumeManager({
        podsDir: path.join(o.dataDir, 'agent', 'pods'), objects, allocatable: nodeContext().allocatable,
        recordEvent: nodeContext().recordEvent,
      });
      const workers = new PodWorkers({
        client: o.client, nodeName: o.nodeName, runtime: this.runtime, images: this.images,
        deps: nodePodDeps({ node: nodeContext, objects, volumes, images: this.images }),
        hostIPs: o.node.nodeIP ? [o.node.nodeIP] : [], resyncPeriodMs: o.syncFrequencyMs,
        onError: (e, key) => o.log(`${key ?? 'pods'}: ${(e as Error).message} (will retry)`),
      });
      running.push(workers.start(signal));
      running.push(new ContainerLogManager({ runtime: this.runtime, onError: (id, e) => o.log(`log rotation ${id}: ${(e as Error).message}`) }).start(signal));
      running.push(this.collectImages(signal));
      await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
    } finally {
      await Promise.allSettled(running);
      await this.server.close();
      await events.flush();
    }
  }

  /**
   * Image GC every 5 min (upstream ImageGCPeriod): at 85 % disk use, images no container uses are
   * deleted least recently used first until 80 % (the store's policy).
   */
  private async collectImages(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(IMAGE_GC_PERIOD_MS, signal);
      if (signal.aborted) return;
      try {
        const inUse = new Set((await this.runtime.listContainers()).map((c) => c.imageRef));
        const r = await this.images.garbageCollect({ inUse });
        if (r.deleted.length) this.o.log(`image GC deleted ${r.deleted.length} image(s), ${r.freedBytes} bytes`);
      } catch (e) {
        this.o.log(`image GC: ${(e as Error).message} (will retry)`);
      }
    }
  }

  /** The Node's pod CIDRs once node IPAM set them; the built-in default after POD_CIDR_WAIT_MS. */
  private async waitForPodCIDR(signal: AbortSignal): Promise<string[]> {
    const api = this.o.client.resource(nodesResource);
    const deadline = Date.now() + POD_CIDR_WAIT_MS;
    while (!signal.aborted && Date.now() < deadline) {
      const n = await api.get('', this.o.nodeName).catch(() => undefined) as Node | undefined;
      const cidrs = n?.spec?.podCIDRs?.length ? n.spec.podCIDRs : n?.spec?.podCIDR ? [n.spec.podCIDR] : [];
      if (cidrs.length) return cidrs;
      await sleep(250, signal);
    }
    this.o.log(`node ${this.o.nodeName} got no pod CIDR in ${POD_CIDR_WAIT_MS / 1000} s; using the built-in default`);
    return [];
  }
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
