// `capstan server`: binds k3s-named flags to the control plane role.
import { parseArgs } from 'node:util';
import { homedir, hostname, networkInterfaces } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiServer, loadOrCreateJoinToken, loadOrCreatePki, renderKubeconfig, writeKubeconfig } from '../apiserver/index.js';
import { openSqliteStore, startCompactor, type Store } from '../store/index.js';
import { startSchedulerThread } from './scheduler-thread.js';
import { startControllerManagerThread } from './controller-manager-thread.js';
import { clusterDNSFromFlag, CONTROLLER_CONFIG_OPTIONS, CONTROLLER_CONFIG_USAGE, controllerConfigFromFlags } from './controller-manager.js';
import { enabledControllers } from '../controllers/index.js';
import { AGENT_OPTIONS, agentConfigFromFlags, startAgent } from './agent.js';

export const SERVER_USAGE = `Usage: capstan server [flags]

Flags:
  --data-dir DIR               Folder for state (default /var/lib/capstan as root, else ~/.capstan)
  --https-listen-port PORT     HTTPS port of the API server (default 6443)
  --bind-address ADDR          Address to listen on (default 0.0.0.0)
  --advertise-address ADDR     Address other hosts use to reach this server (default: first host address)
  --write-kubeconfig PATH      Also write the admin kubeconfig to PATH
  --datastore-endpoint URL     sqlite:///path/to/state.db (default: <data-dir>/server/db/state.db)
  --service-cidr CIDR          Service cluster IP range (default 10.43.0.0/16)
  --service-node-port-range R  NodePort range (default 30000-32767)
  --tls-san NAME               Extra DNS name or IP for the serving certificate (repeatable)
  --event-ttl DURATION         How long events are kept, e.g. 1h, 30m, 90s (default 1h)
  --disable-agent              Do not run a node agent (the kubelet) on this host; without it the server joins
                               itself as a node (root only: real containers need root)
  --node-name NAME             The agent's node name (default: the host name)
  --node-ip IP                 The agent's InternalIP (default: the first non-loopback IPv4 address)
  --container-runtime NAME     The agent's OCI runtime: runc (default) or crun
  --cluster-dns IP             Cluster DNS Service IP (kube-system/kube-dns) for pods' resolv.conf (default 10.43.0.10)
  --cluster-domain DOMAIN      Cluster domain (default cluster.local)
  --proxy-mode MODE            The agent's Service proxy: nftables (default) or iptables
  --disable-kube-proxy         The agent runs no Service proxy
  --disable-cluster-dns        The agent runs no cluster DNS server
  --disable-scheduler          Do not run the scheduler in this process
  --disable-controller-manager Do not run the controller manager in this process
  --controllers LIST           Controllers the controller manager runs ('*', 'foo', '-foo'; default *)
${CONTROLLER_CONFIG_USAGE}`;

function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) out.push(a.address);
  }
  return out;
}

function openStore(endpoint: string | undefined, dataDir: string): Store {
  const defaultPath = join(dataDir, 'server', 'db', 'state.db');
  let path = defaultPath;
  if (endpoint) {
    if (endpoint.startsWith('sqlite://')) path = endpoint.slice('sqlite://'.length).split('?')[0]!;
    else if (/^[a-z0-9+]+:\/\//i.test(endpoint)) throw new Error(`unsupported --datastore-endpoint "${endpoint}": only sqlite:// is available`);
    else path = endpoint;
  }
  mkdirSync(resolve(path, '..'), { recursive: true, mode: 0o700 });
  return openSqliteStore({ path });
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan: ${msg}\n`);
}

export async function runServer(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      'https-listen-port': { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '0.0.0.0' },
      'advertise-address': { type: 'string' },
      'write-kubeconfig': { type: 'string' },
      'datastore-endpoint': { type: 'string' },
      'service-cidr': { type: 'string', default: '10.43.0.0/16' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      'tls-san': { type: 'string', multiple: true, default: [] },
      'event-ttl': { type: 'string', default: '1h' },
      'disable-agent': { type: 'boolean', default: false },
      'node-name': AGENT_OPTIONS['node-name'],
      'node-ip': AGENT_OPTIONS['node-ip'],
      'container-runtime': AGENT_OPTIONS['container-runtime'],
      'cluster-dns': AGENT_OPTIONS['cluster-dns'],
      'cluster-domain': AGENT_OPTIONS['cluster-domain'],
      'proxy-mode': AGENT_OPTIONS['proxy-mode'],
      'disable-kube-proxy': AGENT_OPTIONS['disable-kube-proxy'],
      'disable-cluster-dns': AGENT_OPTIONS['disable-cluster-dns'],
      'disable-scheduler': { type: 'boolean', default: false },
      'disable-controller-manager': { type: 'boolean', default: false },
      controllers: { type: 'string', multiple: true, default: ['*'] },
      ...CONTROLLER_CONFIG_OPTIONS,
    },
    strict: true,
  });
  const controllers = values.controllers as string[];
  enabledControllers(controllers); // rejects unknown names before anything starts
  // The cluster-dns controller gives kube-dns the IP the kubelets write into resolv.conf.
  const controllerConfig = { ...controllerConfigFromFlags(values), clusterDNS: clusterDNSFromFlag(values['cluster-dns']) };
  const isRoot = process.getuid?.() === 0;
  const dataDir = resolve(values['data-dir'] ?? (isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan')));
  const port = Number(values['https-listen-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --https-listen-port ${values['https-listen-port']}`);
  const range = /^(\d+)-(\d+)$/.exec(values['service-node-port-range']!);
  if (!range) throw new Error(`invalid --service-node-port-range ${values['service-node-port-range']}`);
  mkdirSync(join(dataDir, 'server', 'tls'), { recursive: true, mode: 0o700 });

  const addresses = hostAddresses();
  const advertise = values['advertise-address'] ?? addresses.find((a) => !a.includes(':')) ?? '127.0.0.1';
  const sans = values['tls-san'] as string[];
  const pki = await loadOrCreatePki(join(dataDir, 'server', 'tls'), {
    hostnames: [hostname(), ...sans.filter((s) => !/^[\d.:]+$/.test(s))],
    ips: [...addresses, advertise, ...sans.filter((s) => /^[\d.:]+$/.test(s))],
    serviceIP: firstServiceIP(values['service-cidr']!),
  });
  // The node join token (k3s format), stable across restarts: agents join with it.
  const joinToken = await loadOrCreateJoinToken(dataDir, pki.caCertPem);
  const store = openStore(values['datastore-endpoint'], dataDir);
  const stop = new AbortController();
  const api = await ApiServer.start({
    store,
    listen: { tls: { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem }, bindAddress: values['bind-address']!, port },
    serviceCidr: values['service-cidr'],
    nodePortRange: [Number(range[1]), Number(range[2])],
    advertiseAddress: advertise,
    eventTTLSeconds: parseDurationSeconds(values['event-ttl']!, '--event-ttl'),
    join: { caCertPem: pki.caCertPem, secret: joinToken.secret, signCertificateRequest: pki.signCertificateRequest },
    // Kubelet serving certificates are not verified unless a CA for them is configured, as upstream.
    kubeletClient: { certPem: pki.kubeletClientCertPem, keyPem: pki.kubeletClientKeyPem },
  });
  const compactor = startCompactor(store, { onError: (e) => log(`compaction failed: ${(e as Error).message}`) }, stop.signal);

  const kubeconfig = renderKubeconfig({ server: `https://127.0.0.1:${api.port}`, caPem: pki.caCertPem, clientCertPem: pki.adminCertPem, clientKeyPem: pki.adminKeyPem });
  await writeKubeconfig(join(dataDir, 'kubeconfig.yaml'), kubeconfig);
  if (values['write-kubeconfig']) await writeKubeconfig(resolve(values['write-kubeconfig']), kubeconfig);
  log(`API server listening on https://${values['bind-address']}:${api.port}; kubeconfig written to ${join(dataDir, 'kubeconfig.yaml')}; node join token in ${joinToken.path}`);
  // The scheduler runs on its own thread and talks to this API server over HTTPS, leader-elected
  // like a separate one.
  const scheduler = values['disable-scheduler'] ? undefined : startSchedulerThread({ kubeconfig: join(dataDir, 'kubeconfig.yaml'), userAgent: 'capstan-server/scheduler' }, (m) => log(`scheduler: ${m}`));
  // The controller manager likewise: its own thread, HTTPS, leader-elected.
  const controllerManager = values['disable-controller-manager'] ? undefined
    : startControllerManagerThread(join(dataDir, 'kubeconfig.yaml'), controllers, (m) => log(`controller-manager: ${m}`), controllerConfig);
  // The agent joins this server as any agent would (token, /cacerts, node certificates), in this process.
  let agent: Promise<void> | undefined;
  if (!values['disable-agent']) {
    if (!isRoot) {
      log('not running as root: no node agent (real containers need root); running the control plane only');
    } else {
      const config = { ...agentConfigFromFlags({ ...values, 'data-dir': dataDir }, (m) => log(`agent: ${m}`)), server: `https://127.0.0.1:${api.port}`, token: joinToken.token };
      if (config.containerRuntime === 'fake') throw new Error('--container-runtime fake is for capstan agent; use --disable-agent with capstan sim');
      agent = startAgent(config, stop.signal).catch((e: Error) => log(`agent: ${e.message}; the node agent stopped`));
    }
  }
  log('ready');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down`);
    stop.abort();
    // Both roles stop (and release their leases) while the API server still answers.
    await Promise.all([scheduler?.stop(), controllerManager?.stop(), agent]);
    await api.stop();
    await compactor;
    await store.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** `1h`, `30m`, `90s`, `1h30m` (Go duration syntax, whole seconds). */
function parseDurationSeconds(text: string, flag: string): number {
  const re = /(\d+)(h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
    consumed += m[0].length;
  }
  if (!text || consumed !== text.length || total <= 0) throw new Error(`invalid ${flag} "${text}": use a duration such as 1h or 30m`);
  return total;
}

function firstServiceIP(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr);
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3]}.${Number(m[4]) + 1}`;
}
