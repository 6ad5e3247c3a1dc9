// The pod network over CNI: what the OCI runtime calls to attach a sandbox's network namespace
// (RunPodSandbox) and detach it (StopPodSandbox). It implements the runtime's PodNetwork port
// structurally (this component cannot import the runtime's types); the CLI wires it in.
//
// Each sandbox gets two attachments, as containerd and CRI-O make them: the loopback network on
// `lo`, then the pod network (the built-in bridge list, or the first file of a user conf dir) on
// `eth0`. ADD results are cached under `<dataDir>/agent/cni/results`, host-local keeps its
// allocations under `<dataDir>/agent/cni/networks`.
//
// Contracts:
// - Calls for one sandbox are serialized here (ADD and DEL never overlap for it); different
//   sandboxes run in parallel.
// - `setUp` undoes a partial ADD (runs DEL) before it rethrows, so a failed sandbox leaks no
//   address or rule. A repeated `setUp` of a sandbox whose ADD completed (both results cached for
//   the same namespace) returns the cached addresses and runs no plugin: a second bridge ADD
//   would fail on the existing eth0, and undoing it would cut the pod off.
// - `tearDown` is idempotent: an unknown sandbox, a second call, a new CniNetwork object over the
//   same data dir (agent restart) and a namespace that is already gone all succeed; DEL uses the
//   configuration cached by ADD, so it undoes what ADD did even if the conf dir changed since.
import { statfs } from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { bridgeConflist, egressMasqueradeMatch, type EgressMasqueradeMatch, DEFAULT_BRIDGE_NAME, DEFAULT_NETWORK_NAME, DEFAULT_POD_CIDR, LOOPBACK_CONFLIST } from './bridge-conflist.js';
import { loadConfDir } from './conf-files.js';
import { runCommand } from './host-commands.js';
import { KeyedSerializer } from './keyed-serializer.js';
import { CniExecutor } from './plugin-list.js';
import { removePortmapChains } from './portmap-chains.js';
import type { CniResult, NetConfList, RuntimeConf } from './types.js';

/** The runtime's PodNetworkRequest (copied: structural typing across the component boundary). */
export interface PodNetworkRequest {
  /** The sandbox id: CNI_CONTAINERID, and the key of the cached ADD result. */
  sandboxId: string;
  name: string;
  namespace: string;
  uid: string;
  /** Path of the network namespace (a bind mount, e.g. `/run/capstan/netns/<id>`). */
  netnsPath: string;
  portMappings?: { protocol: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort: number; hostIP?: string }[];
}

/** The runtime's PodNetwork port. */
export interface PodNetwork {
  setUp(request: PodNetworkRequest): Promise<{ ips: string[] }>;
  tearDown(request: PodNetworkRequest): Promise<void>;
}

export interface CniNetworkOptions {
  /** The agent's data dir (`/var/lib/capstan`); CNI state lives under `agent/cni/` in it. */
  dataDir: string;
  /** Plugin dirs (`--cni-bin-dir`), searched in order; default `/usr/lib/cni`. */
  binDirs?: readonly string[];
  /** A user CNI conf dir (`--cni-conf-dir`): its first file replaces the built-in network. */
  confDir?: string;
  /** The node's `spec.podCIDR` (or `spec.podCIDRs`, IPv4 first); default DEFAULT_POD_CIDR. */
  podCIDR?: string | readonly string[];
  /** The built-in network's bridge (default `capstan0`). */
  bridgeName?: string;
  /** The built-in network's name (default `capstan`). */
  networkName?: string;
  /** Per-plugin timeout. */
  pluginTimeoutMs?: number;
}

/** The pod's interface in its namespace, as the kubelet names it. */
export const POD_INTERFACE = 'eth0';

/** The kubelet's/containerd's CNI_ARGS for a pod. */
export function podCniArgs(request: Pick<PodNetworkRequest, 'namespace' | 'name' | 'sandboxId' | 'uid'>): [string, string][] {
  return [
    ['IgnoreUnknown', '1'],
    ['K8S_POD_NAMESPACE', request.namespace],
    ['K8S_POD_NAME', request.name],
    ['K8S_POD_INFRA_CONTAINER_ID', request.sandboxId],
    ['K8S_POD_UID', request.uid],
  ];
}

/** The `portMappings` capability argument, as containerd passes it (lower-case protocol, no empty hostIP). */
export function portMappingsCapability(mappings: PodNetworkRequest['portMappings']): { hostPort: number; containerPort: number; protocol: string; hostIP?: string }[] {
  return (mappings ?? []).filter((m) => m.hostPort > 0).map((m) => ({
    hostPort: m.hostPort,
    containerPort: m.containerPort,
    protocol: (m.protocol ?? 'TCP').toLowerCase(),
    ...(m.hostIP ? { hostIP: m.hostIP } : {}),
  }));
}

/** The pod's addresses from the pod network's result: those on `ifName` (or on no named interface), without prefix, IPv4 first. */
export function podIPsFromResult(result: CniResult, ifName = POD_INTERFACE): string[] {
  const interfaces = result.interfaces ?? [];
  const ips = (result.ips ?? [])
    .filter((ip) => ip.interface === undefined || interfaces[ip.interface] === undefined || interfaces[ip.interface]!.name === ifName)
    .map((ip) => ip.address.split('/')[0]!)
    .filter((ip) => ip !== '');
  return [...ips.filter((ip) => !ip.includes(':')), ...ips.filter((ip) => ip.includes(':'))];
}

const NSFS_MAGIC = 0x6e736673;

/** The namespace path to hand to DEL: empty when it is gone or no longer a namespace (plugins then skip the in-namespace part). */
async function liveNetnsPath(netnsPath: string): Promise<string> {
  if (!netnsPath) return '';
  try {
    const stats = await statfs(netnsPath);
    return Number(stats.type) === NSFS_MAGIC ? netnsPath : '';
  } catch {
    return '';
  }
}

export class CniNetwork implements PodNetwork {
  readonly executor: CniExecutor;
  /** `<dataDir>/agent/cni`: the result cache's dir. */
  readonly cniDir: string;
  /** host-local's data dir for the built-in network. */
  readonly ipamDataDir: string;
  readonly bridgeName: string;
  readonly networkName: string;
  /** The pod CIDRs of the built-in network (the masquerade rule of the network layer matches these as sources). */
  readonly podCIDRs: readonly string[];
  private readonly confDir: string | undefined;
  private readonly builtIn: NetConfList;
  private readonly serializer = new KeyedSerializer();

  constructor(options: CniNetworkOptions) {
    this.cniDir = path.join(options.dataDir, 'agent', 'cni');
    this.ipamDataDir = path.join(this.cniDir, 'networks');
    this.executor = new CniExecutor({ binDirs: options.binDirs, cacheDir: this.cniDir, timeoutMs: options.pluginTimeoutMs });
    this.bridgeName = options.bridgeName ?? DEFAULT_BRIDGE_NAME;
    this.networkName = options.networkName ?? DEFAULT_NETWORK_NAME;
    const cidrs = typeof options.podCIDR === 'string' ? options.podCIDR.split(',').map((s) => s.trim()).filter(Boolean) : [...(options.podCIDR ?? [])];
    this.podCIDRs = cidrs.length ? cidrs : [DEFAULT_POD_CIDR];
    this.confDir = options.confDir;
    this.builtIn = bridgeConflist({ podCIDRs: this.podCIDRs, bridgeName: this.bridgeName, networkName: this.networkName, ipamDataDir: this.ipamDataDir });
  }

  /** What the network layer's pod egress masquerade rule matches for this node (built-in network). */
  egressMasquerade(clusterCIDRs: readonly string[]): EgressMasqueradeMatch {
    return egressMasqueradeMatch(this.podCIDRs, clusterCIDRs, this.bridgeName);
  }

  /** The pod network's list: the user conf dir's first usable file, else the built-in bridge list. Read on every call, as the conf dir may change. */
  async podNetworkList(): Promise<NetConfList> {
    if (!this.confDir) return this.builtIn;
    return (await loadConfDir(this.confDir)).list;
  }

  /**
   * Whether pods can be networked: the pod network's configuration loads and every plugin of it
   * and of loopback is found and speaks its cniVersion (CNI VERSION). The kubelet reports a
   * not-ready result in the node's Ready condition, as upstream's NetworkReady=false.
   */
  async status(): Promise<{ ready: boolean; reason?: string; message?: string }> {
    try {
      const list = await this.podNetworkList();
      await this.executor.validate(LOOPBACK_CONFLIST);
      await this.executor.validate(list);
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: 'NetworkPluginNotReady', message: `Network plugin returns error: cni plugin not initialized: ${(error as Error).message}` };
    }
  }

  setUp(request: PodNetworkRequest): Promise<{ ips: string[] }> {
    return this.serializer.run(request.sandboxId, async () => {
      const list = await this.podNetworkList();
      const args = podCniArgs(request);
      const done = await this.completedAttachment(list, request);
      if (done) return { ips: podIPsFromResult(done) };
      const mappings = portMappingsCapability(request.portMappings);
      const lo: RuntimeConf = { containerId: request.sandboxId, netns: request.netnsPath, ifName: 'lo', args };
      const pod: RuntimeConf = { containerId: request.sandboxId, netns: request.netnsPath, ifName: POD_INTERFACE, args, ...(mappings.length ? { capabilityArgs: { portMappings: mappings } } : {}) };
      try {
        await this.executor.add(LOOPBACK_CONFLIST, lo);
        const result = await this.executor.add(list, pod);
        return { ips: podIPsFromResult(result) };
      } catch (error) {
        await this.detach(request, list).catch(() => undefined);
        throw error;
      }
    });
  }

  tearDown(request: PodNetworkRequest): Promise<void> {
    return this.serializer.run(request.sandboxId, async () => {
      // Without a cached result the current list is the best guess of what ADD used; a broken conf
      // dir must not make an idempotent DEL fail, so fall back to the built-in list then.
      const list = await this.podNetworkList().catch(() => this.builtIn);
      await this.detach(request, list);
    });
  }

  /** CNI CHECK of the sandbox's attachments against their cached results. */
  check(request: PodNetworkRequest): Promise<void> {
    return this.serializer.run(request.sandboxId, async () => {
      const list = await this.podNetworkList();
      const args = podCniArgs(request);
      await this.executor.check(LOOPBACK_CONFLIST, { containerId: request.sandboxId, netns: request.netnsPath, ifName: 'lo', args });
      await this.executor.check(list, { containerId: request.sandboxId, netns: request.netnsPath, ifName: POD_INTERFACE, args });
    });
  }

  /** The cached pod network result when both of the sandbox's ADDs completed for this namespace. */
  private async completedAttachment(list: NetConfList, request: PodNetworkRequest): Promise<CniResult | undefined> {
    const pod = await this.executor.cache.read(list.name, request.sandboxId, POD_INTERFACE);
    if (!pod?.attachment.result || pod.attachment.netns !== request.netnsPath) return undefined;
    const lo = await this.executor.cache.read(LOOPBACK_CONFLIST.name, request.sandboxId, 'lo');
    if (!lo?.attachment.result || lo.attachment.netns !== request.netnsPath) return undefined;
    return pod.attachment.result;
  }

  /** DEL of the pod network, then of loopback; both are tried, the first error is thrown. */
  private async detach(request: PodNetworkRequest, list: NetConfList): Promise<void> {
    const netns = await liveNetnsPath(request.netnsPath);
    const args = podCniArgs(request);
    const errors: unknown[] = [];
    const mappings = portMappingsCapability(request.portMappings);
    await this.executor.del(list, { containerId: request.sandboxId, netns, ifName: POD_INTERFACE, args, ...(mappings.length ? { capabilityArgs: { portMappings: mappings } } : {}) }).catch((e) => errors.push(e));
    await this.executor.del(LOOPBACK_CONFLIST, { containerId: request.sandboxId, netns, ifName: 'lo', args }).catch((e) => errors.push(e));
    if (errors.length) throw errors[0];
  }

  /**
   * DEL of every cached attachment of this network (and loopback) whose sandbox is not in
   * `validSandboxIds`, with the cached configuration and arguments (libcni's GCNetworkList): the
   * runtime calls it at start with the sandboxes it still has, so pods removed while the agent was
   * down release their addresses and hostPorts. Serialized per sandbox with setUp/tearDown; goes
   * on past failures and returns them.
   */
  async garbageCollect(validSandboxIds: Iterable<string>): Promise<string[]> {
    const valid = new Set(validSandboxIds);
    const problems: string[] = [];
    const listName = await this.podNetworkList().then((l) => l.name, () => this.networkName);
    const ours = new Set([listName, this.networkName, LOOPBACK_CONFLIST.name]);
    for (const entry of await this.executor.cache.list()) {
      const { attachment } = entry;
      if (valid.has(attachment.containerId) || !ours.has(attachment.networkName)) continue;
      const list = entry.list ?? (attachment.networkName === LOOPBACK_CONFLIST.name ? LOOPBACK_CONFLIST : this.builtIn);
      await this.serializer.run(attachment.containerId, async () => {
        const netns = await liveNetnsPath(attachment.netns ?? '');
        await this.executor.del(list, { containerId: attachment.containerId, netns, ifName: attachment.ifName, args: attachment.cniArgs, capabilityArgs: attachment.capabilityArgs });
      }).catch((e) => problems.push(`DEL ${attachment.networkName} ${attachment.containerId} ${attachment.ifName}: ${(e as Error).message}`));
    }
    return problems;
  }

  /**
   * For `capstan killall`, after every pod is stopped: DELs every attachment still cached, then
   * removes the built-in bridge, host-local's state, the result cache and the portmap chains of
   * this network (the shared ones too when no other network uses them). Best effort: it goes on
   * past failures and returns what failed.
   */
  async cleanup(): Promise<string[]> {
    const problems = await this.garbageCollect([]);
    const listName = await this.podNetworkList().then((l) => l.name, () => this.networkName);
    const link = await runCommand('ip', ['link', 'delete', this.bridgeName, 'type', 'bridge']);
    if (link.code !== 0 && !/Cannot find device|does not exist/.test(link.stderr)) problems.push(`ip link delete ${this.bridgeName}: ${link.stderr.trim()}`);
    problems.push(...await removePortmapChains([...new Set([this.networkName, listName])]));
    await rm(path.join(this.ipamDataDir, this.networkName), { recursive: true, force: true });
    await rm(this.executor.cache.resultsDir, { recursive: true, force: true });
    return problems;
  }
}
