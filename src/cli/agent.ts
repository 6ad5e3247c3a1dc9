// `capstan agent`: joins a cluster with a k3s-style token and runs the node: the kubelet over
// real containers (conmon + runc/crun, CNI, the image store), or with `--container-runtime fake`
// only the node's registration, status and Lease. `capstan server` runs the same agent
// in-process (startAgent) unless --disable-agent.
import { parseArgs } from 'node:util';
import { homedir, hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { JoinRefusedError, loadOrObtainNodeCredentials, SERVER_VERSION } from '../apiserver/node-join.js';
import { ApiEventRecorder, Client, realClock, sleep, transportFromKubeconfig } from '../client/index.js';
import {
  DEFAULT_EVICTION_HARD, DEFAULT_MAX_PODS, hostInterfaces, Kubelet, NodeStatusManager, parseEvictionThresholds, parseLabelsFlag,
  parseReservation, parseTaintsFlag, pickNodeIP, readHostIdentity, readHostSample, runtimeReadiness, type KubeletOptions,
} from '../kubelet/index.js';
import { FakeRuntime, type ContainerRuntime } from '../runtime/index.js';
import { parseIPv4CIDR } from '../network/index.js';
import { runNodeNetwork } from './agent-network.js';
import { parseDurationMs } from './duration.js';
import { stopOnSignals } from './signals.js';

export const AGENT_USAGE = `Usage: capstan agent --server URL --token TOKEN [flags]

Joins the cluster at URL and runs this host as a node: registers the Node with the host's
capacity, renews its Lease every 10 s and reports its status and conditions.

Flags:
  --server URL                 API server to join, https://HOST:PORT (required; or $CAPSTAN_URL)
  --token TOKEN                Join token: the server's <data-dir>/token (K10<ca hash>::server:<secret>; or $CAPSTAN_TOKEN)
  --token-file PATH            Read the token from PATH instead
  --data-dir DIR               Folder for state (default /var/lib/capstan as root, else ~/.capstan)
  --node-name NAME             Node name (default: the host name)
  --node-ip IP                 InternalIP to report (default: the first non-loopback IPv4 address)
  --node-labels K=V,...        Labels to add to the Node
  --register-with-taints K=V:EFFECT,...
                               Taints the Node registers with (EFFECT: NoSchedule, PreferNoSchedule, NoExecute)
  --max-pods N                 Pod capacity (default ${DEFAULT_MAX_PODS})
  --kube-reserved LIST         Resources kept for the node's own daemons, e.g. cpu=100m,memory=256Mi
  --system-reserved LIST       Resources kept for the operating system, e.g. cpu=100m,memory=256Mi
  --eviction-hard LIST         Hard eviction thresholds (default ${DEFAULT_EVICTION_HARD})
  --container-runtime NAME     runc (default) or crun under conmon; fake registers the node and runs no pods
  --kubelet-port PORT          Port of the kubelet's HTTPS server (logs, exec, port-forward; default 10250)
  --cluster-dns IP             Cluster DNS Service IP written into pods' resolv.conf (default 10.43.0.10)
  --cluster-domain DOMAIN      Cluster domain (default cluster.local)
  --resolv-conf PATH           Host resolv.conf for dnsPolicy Default pods (default /etc/resolv.conf)
  --run-dir DIR                Runtime state: namespaces, sockets (default /run/capstan; at most 27 bytes)
  --pod-logs-root DIR          Container logs go to DIR/pods/<ns>_<pod>_<uid>/ (default /var/log)
  --cni-bin-dir DIRS           CNI plugin dirs, comma-separated (default /usr/lib/cni)
  --cni-conf-dir DIR           A CNI config dir whose first file replaces the built-in pod network
  --cni-bridge NAME            The built-in pod network's bridge (default capstan0)
  --cluster-cidr CIDRS         The pods' range, comma-separated (default 10.42.0.0/16): with the built-in network,
                               routes to other nodes' pod CIDRs and masquerade for pod traffic leaving it
  --service-cidr CIDRS         The Services' range (default 10.43.0.0/16), for reverse DNS lookups
  --proxy-mode MODE            How the Service proxy programs the kernel: nftables (default) or iptables
  --disable-kube-proxy         Do not run the Service proxy on this node
  --disable-cluster-dns        Do not run the cluster DNS server on this node (it answers on the node's
                               InternalIP, port 53; pods reach it through the kube-dns Service)
  --sync-frequency DURATION    How often every pod is synced and its volumes refreshed (default 1m)
`;

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan agent: ${msg}\n`);
}

/** What an agent needs, from `capstan agent`'s flags or from `capstan server`. */
export interface AgentConfig {
  server: string;
  token: string;
  dataDir: string;
  nodeName: string;
  nodeIP?: string;
  labels: Record<string, string>;
  taints: ReturnType<typeof parseTaintsFlag>;
  maxPods: number;
  kubeReserved: ReturnType<typeof parseReservation>;
  systemReserved: ReturnType<typeof parseReservation>;
  evictionHard: ReturnType<typeof parseEvictionThresholds>;
  containerRuntime: 'runc' | 'crun' | 'fake';
  kubeletPort: number;
  clusterDNS: string[];
  clusterDomain: string;
  resolvConf?: string;
  runDir?: string;
  podLogsRoot?: string;
  cniBinDirs?: string[];
  cniConfDir?: string;
  cniBridge?: string;
  /** The pods' range(s) (routes, proxy masquerade, reverse DNS) and the Services' (reverse DNS). */
  clusterCIDRs: string[];
  serviceCIDRs: string[];
  /** The Service proxy's backend; undefined with --disable-kube-proxy. */
  proxyMode?: 'nftables' | 'iptables';
  clusterDNSServer: boolean;
  syncFrequencyMs?: number;
  log(msg: string): void;
}

export const AGENT_OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  'data-dir': { type: 'string' },
  'node-name': { type: 'string' },
  'node-ip': { type: 'string' },
  'node-labels': { type: 'string' },
  'register-with-taints': { type: 'string' },
  'max-pods': { type: 'string', default: String(DEFAULT_MAX_PODS) },
  'kube-reserved': { type: 'string' },
  'system-reserved': { type: 'string' },
  'eviction-hard': { type: 'string', default: DEFAULT_EVICTION_HARD },
  'container-runtime': { type: 'string', default: 'runc' },
  'kubelet-port': { type: 'string', default: '10250' },
  'cluster-dns': { type: 'string', default: '10.43.0.10' },
  'cluster-domain': { type: 'string', default: 'cluster.local' },
  'resolv-conf': { type: 'string' },
  'run-dir': { type: 'string' },
  'pod-logs-root': { type: 'string' },
  'cni-bin-dir': { type: 'string' },
  'cni-conf-dir': { type: 'string' },
  'cni-bridge': { type: 'string' },
  'cluster-cidr': { type: 'string' },
  'service-cidr': { type: 'string' },
  'proxy-mode': { type: 'string' },
  'disable-kube-proxy': { type: 'boolean' },
  'disable-cluster-dns': { type: 'boolean' },
  'sync-frequency': { type: 'string' },
} as const;

type AgentValues = { [K in keyof typeof AGENT_OPTIONS]?: (typeof AGENT_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** The node settings of the agent flags (shared by `capstan server`, which fills server and token itself). */
export function agentConfigFromFlags(values: AgentValues, log: (msg: string) => void): Omit<AgentConfig, 'server' | 'token'> {
  const isRoot = process.getuid?.() === 0;
  const dataDir = resolve(values['data-dir'] ?? (isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan')));
  if (values['node-ip'] && !isIP(values['node-ip'])) throw new Error(`invalid --node-ip "${values['node-ip']}"`);
  const maxPods = Number(values['max-pods'] ?? DEFAULT_MAX_PODS);
  if (!Number.isInteger(maxPods) || maxPods < 1) throw new Error(`invalid --max-pods "${values['max-pods']}"`);
  const runtime = values['container-runtime'] ?? 'runc';
  if (runtime !== 'runc' && runtime !== 'crun' && runtime !== 'fake') throw new Error(`unknown --container-runtime "${runtime}": use runc, crun or fake`);
  const kubeletPort = Number(values['kubelet-port'] ?? 10250);
  if (!Number.isInteger(kubeletPort) || kubeletPort < 0 || kubeletPort > 65535) throw new Error(`invalid --kubelet-port "${values['kubelet-port']}"`);
  const clusterDNS = (values['cluster-dns'] ?? '10.43.0.10').split(',').map((x) => x.trim()).filter(Boolean);
  for (const ip of clusterDNS) if (!isIP(ip)) throw new Error(`invalid --cluster-dns "${ip}"`);
  // The node routes, the proxy and reverse DNS take IPv4 CIDRs, comma-separated.
  const cidrList = (flag: string, value: string) => {
    const list = value.split(',').map((c) => c.trim()).filter(Boolean);
    if (list.length === 0 || list.some((c) => !parseIPv4CIDR(c))) throw new Error(`invalid --${flag} "${value}": IPv4 CIDRs, comma-separated`);
    return list;
  };
  const clusterCIDRs = cidrList('cluster-cidr', values['cluster-cidr'] ?? '10.42.0.0/16');
  const serviceCIDRs = cidrList('service-cidr', values['service-cidr'] ?? '10.43.0.0/16');
  const proxyMode = values['proxy-mode'] ?? 'nftables';
  if (proxyMode !== 'nftables' && proxyMode !== 'iptables') throw new Error(`unknown --proxy-mode "${proxyMode}": use nftables or iptables`);
  return {
    dataDir, nodeName: (values['node-name'] ?? hostname()).toLowerCase(), nodeIP: pickNodeIP(hostInterfaces(), values['node-ip']),
    labels: parseLabelsFlag(values['node-labels'], '--node-labels'),
    taints: parseTaintsFlag(values['register-with-taints'], '--register-with-taints'),
    maxPods,
    kubeReserved: parseReservation(values['kube-reserved'], '--kube-reserved'),
    systemReserved: parseReservation(values['system-reserved'], '--system-reserved'),
    evictionHard: parseEvictionThresholds(values['eviction-hard'] ?? DEFAULT_EVICTION_HARD),
    containerRuntime: runtime, kubeletPort, clusterDNS, clusterDomain: values['cluster-domain'] ?? 'cluster.local',
    resolvConf: values['resolv-conf'], runDir: values['run-dir'], podLogsRoot: values['pod-logs-root'],
    cniBinDirs: values['cni-bin-dir']?.split(',').map((d) => d.trim()).filter(Boolean), cniConfDir: values['cni-conf-dir'], cniBridge: values['cni-bridge'], clusterCIDRs,
    serviceCIDRs, proxyMode: values['disable-kube-proxy'] ? undefined : proxyMode, clusterDNSServer: !values['disable-cluster-dns'],
    syncFrequencyMs: values['sync-frequency'] ? parseDurationMs(values['sync-frequency'], '--sync-frequency') : undefined,
    log,
  };
}

export async function runAgent(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: AGENT_OPTIONS, strict: true });
  // As k3s's K3S_URL / K3S_TOKEN.
  const server = values.server ?? process.env.CAPSTAN_URL;
  if (!server || !/^https:\/\/[^/]+\/?$/.test(server)) throw new Error(`--server must be https://HOST:PORT (got ${server ?? 'nothing'})`);
  const token = (values.token ?? (values['token-file'] ? readFileSync(resolve(values['token-file']), 'utf8') : process.env.CAPSTAN_TOKEN ?? '')).trim();
  if (!token) throw new Error('--token or --token-file is required');
  const config: AgentConfig = { ...agentConfigFromFlags(values, log), server, token };

  const stopSignal = stopOnSignals(log);
  await startAgent(config, stopSignal);
  log('stopped');
}

/** Joins (retrying while the server is unreachable; a refusal is final) and runs the node until `signal`. */
export async function startAgent(config: AgentConfig, signal: AbortSignal): Promise<void> {
  const { server, token, dataDir, nodeName, nodeIP, log } = config;
  let creds;
  for (let backoff = 1000; ; backoff = Math.min(backoff * 2, 30_000)) {
    try {
      creds = await loadOrObtainNodeCredentials({
        server, token, dataDir, nodeName, hostnames: [hostname().toLowerCase()], ips: nodeIP ? [nodeIP] : [], log,
      });
      break;
    } catch (e) {
      if (e instanceof JoinRefusedError) throw e;
      log(`cannot join ${server} yet: ${(e as Error).message} (retrying)`);
      await sleep(backoff, signal);
      if (signal.aborted) return;
    }
  }
  log(`${creds.reused ? 'reusing node credentials' : 'obtained node credentials'} in ${creds.dir} (user system:node:${nodeName})`);
  const client = new Client(transportFromKubeconfig(creds.kubeconfigPath, { userAgent: `capstan-agent/${nodeName}` }));
  // The Hostname address is the node name (k3s runs its kubelet with --hostname-override=<node name>).
  const node = {
    identity: { ...await readHostIdentity(), hostname: nodeName }, sample: () => readHostSample(dataDir), nodeIP,
    labels: config.labels, taints: config.taints, maxPods: config.maxPods, kubeReserved: config.kubeReserved,
    systemReserved: config.systemReserved, evictionHard: config.evictionHard,
  };
  try {
    if (config.containerRuntime === 'fake') {
      await runStatusOnly(client, nodeName, node, log, signal);
      return;
    }
    const options: KubeletOptions = {
      client, nodeName, dataDir, runtime: config.containerRuntime, runDir: config.runDir, logsRoot: config.podLogsRoot,
      serving: { certPem: creds.servingCertPem, keyPem: creds.servingKeyPem, caPem: creds.caPem }, port: config.kubeletPort,
      clusterDNS: config.clusterDNS, clusterDomain: config.clusterDomain, resolvConf: config.resolvConf,
      cni: { binDirs: config.cniBinDirs, confDir: config.cniConfDir, bridgeName: config.cniBridge }, syncFrequencyMs: config.syncFrequencyMs,
      node, kubeletVersion: SERVER_VERSION.gitVersion, log,
    };
    const kubelet = new Kubelet(options);
    // The network roles beside the kubelet: routes between nodes (the built-in pod network only; a
    // user-supplied CNI config brings its own), the Service proxy and the cluster DNS server.
    const network = runNodeNetwork({
      client, nodeName, nodeIP, clusterCIDRs: config.clusterCIDRs, serviceCIDRs: config.serviceCIDRs, clusterDNS: config.clusterDNS,
      clusterDomain: config.clusterDomain, resolvConf: config.resolvConf, routes: !config.cniConfDir, proxyMode: config.proxyMode,
      clusterDNSServer: config.clusterDNSServer, log,
    }, signal);
    try {
      await kubelet.start(signal);
    } finally {
      await network;
    }
  } finally {
    client.close();
  }
}

/** `--container-runtime fake`: the node registers and reports status with a runtime that runs nothing. */
async function runStatusOnly(client: Client, nodeName: string, node: KubeletOptions['node'], log: (m: string) => void, signal: AbortSignal): Promise<void> {
  const runtime: ContainerRuntime = new FakeRuntime();
  // Node events carry the node's name as its uid, as upstream's kubelet writes them.
  const events = new ApiEventRecorder(client, 'kubelet', nodeName, realClock, (e) => log(`event: ${(e as Error).message}`));
  const nodeRef = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } };
  const manager = new NodeStatusManager({
    client, nodeName, ...node, runtimeVersion: runtime.version(), kubeletVersion: SERVER_VERSION.gitVersion,
    readinessChecks: [runtimeReadiness(runtime)],
    onError: (e, what) => log(`${what}: ${(e as Error).message} (will retry)`),
    recordEvent: (type, reason, message) => events.event(nodeRef, type, reason, message),
  });
  const running = manager.start(signal);
  void manager.whenRegistered().then(() => {
    if (!signal.aborted) log(`ready: node ${nodeName} registered`);
  });
  await running;
  await events.flush();
}
