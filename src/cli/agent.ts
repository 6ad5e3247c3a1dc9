// `capstan agent`: joins a cluster with a k3s-style token and runs the node: registration,
// status and Lease. The pod workers, the real runtime and the streaming server plug into the
// seams of NodeStatusManager (readiness checks, images) as they land.
import { parseArgs } from 'node:util';
import { homedir, hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { JoinRefusedError, loadOrObtainNodeCredentials, SERVER_VERSION } from '../apiserver/index.js';
import { Client, realClock, sleep, transportFromKubeconfig } from '../client/index.js';
import { ApiEventRecorder } from '../controllers/index.js';
import {
  DEFAULT_EVICTION_HARD, DEFAULT_MAX_PODS, hostInterfaces, NodeStatusManager, parseEvictionThresholds, parseLabelsFlag,
  parseReservation, parseTaintsFlag, pickNodeIP, readHostIdentity, readHostSample, type ReadinessCheck,
} from '../kubelet/index.js';
import { FakeRuntime, type ContainerRuntime } from '../runtime/index.js';

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
  --container-runtime NAME     Runtime: fake (the only one available in this build)
`;

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan agent: ${msg}\n`);
}

export async function runAgent(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
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
      'container-runtime': { type: 'string', default: 'fake' },
    },
    strict: true,
  });
  // As k3s's K3S_URL / K3S_TOKEN.
  const server = values.server ?? process.env.CAPSTAN_URL;
  if (!server || !/^https:\/\/[^/]+\/?$/.test(server)) throw new Error(`--server must be https://HOST:PORT (got ${server ?? 'nothing'})`);
  const token = (values.token ?? (values['token-file'] ? readFileSync(resolve(values['token-file']), 'utf8') : process.env.CAPSTAN_TOKEN ?? '')).trim();
  if (!token) throw new Error('--token or --token-file is required');
  const isRoot = process.getuid?.() === 0;
  const dataDir = resolve(values['data-dir'] ?? (isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan')));
  const nodeName = (values['node-name'] ?? hostname()).toLowerCase();
  if (values['node-ip'] && !isIP(values['node-ip'])) throw new Error(`invalid --node-ip "${values['node-ip']}"`);
  const nodeIP = pickNodeIP(hostInterfaces(), values['node-ip']);
  const maxPods = Number(values['max-pods']);
  if (!Number.isInteger(maxPods) || maxPods < 1) throw new Error(`invalid --max-pods "${values['max-pods']}"`);
  const labels = parseLabelsFlag(values['node-labels'], '--node-labels');
  const taints = parseTaintsFlag(values['register-with-taints'], '--register-with-taints');
  const kubeReserved = parseReservation(values['kube-reserved'], '--kube-reserved');
  const systemReserved = parseReservation(values['system-reserved'], '--system-reserved');
  const evictionHard = parseEvictionThresholds(values['eviction-hard']!);
  if (values['container-runtime'] !== 'fake') throw new Error(`unknown --container-runtime "${values['container-runtime']}": only "fake" is available in this build`);
  const runtime: ContainerRuntime = new FakeRuntime();

  const stop = new AbortController();
  const shutdown = (signal: string) => {
    if (stop.signal.aborted) return;
    log(`${signal} received, shutting down`);
    stop.abort();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // Join: retried while the server is unreachable; a refusal (CA hash, secret) is final.
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
      await sleep(backoff, stop.signal);
      if (stop.signal.aborted) return;
    }
  }
  log(`${creds.reused ? 'reusing node credentials' : 'obtained node credentials'} in ${creds.dir} (user system:node:${nodeName})`);

  // creds.servingCertPem / servingKeyPem are the kubelet serving pair for the streaming server (wired by the team later).
  const client = new Client(transportFromKubeconfig(creds.kubeconfigPath, { userAgent: `capstan-agent/${nodeName}` }));
  const runtimeCheck: ReadinessCheck = async () => {
    try {
      await runtime.listPodSandbox();
      return undefined;
    } catch (e) {
      return `container runtime is down: ${(e as Error).message}`;
    }
  };
  // Node events carry the node's name as its uid, as upstream's kubelet writes them.
  const events = new ApiEventRecorder(client, 'kubelet', nodeName, realClock, (e) => log(`event: ${(e as Error).message}`));
  const nodeRef = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } };
  const manager = new NodeStatusManager({
    // The Hostname address is the node name (k3s runs its kubelet with --hostname-override=<node name>).
    client, nodeName, identity: { ...await readHostIdentity(), hostname: nodeName }, sample: () => readHostSample(dataDir),
    runtimeVersion: runtime.version(), kubeletVersion: SERVER_VERSION.gitVersion,
    readinessChecks: [runtimeCheck], nodeIP, labels, taints, maxPods, kubeReserved, systemReserved, evictionHard,
    onError: (e, what) => log(`${what}: ${(e as Error).message} (will retry)`),
    recordEvent: (type, reason, message) => events.event(nodeRef, type, reason, message),
  });
  const running = manager.start(stop.signal);
  void manager.whenRegistered().then(() => {
    if (!stop.signal.aborted) log(`ready: node ${nodeName} registered`);
  });
  await running;
  await events.flush();
  client.close();
  log('stopped');
}
