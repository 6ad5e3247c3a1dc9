// `capstan proxy`: binds kube-proxy's flags to the proxy role (src/network/proxy), or with
// --cleanup removes every Capstan proxy rule (both modes) and exits, as `kube-proxy --cleanup`.
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { Client, transportFromKubeconfig } from '../client/index.js';
import {
  cleanupProxyRules, DEFAULT_CLUSTER_CIDRS, DEFAULT_MIN_SYNC_PERIOD_MS, DEFAULT_SYNC_PERIOD_MS, isProxyMode, startProxy, type ProxyMode,
} from '../network/index.js';
import { parseDurationMs } from './controller-manager.js';
import { stopOnSignals } from './signals.js';

export const PROXY_USAGE = `Usage: capstan proxy [flags]

Runs the Service proxy for one node against the cluster in the kubeconfig: watches Services and
EndpointSlices and programs ClusterIPs, NodePorts, externalIPs and load-balancer IPs into the
kernel (nftables table "ip capstan-proxy", or CAPSTAN-* iptables chains). Stopping the proxy
leaves its rules in place, so established connections survive a restart.

Flags:
  --kubeconfig PATH            Cluster to serve (default <data-dir>/kubeconfig.yaml: /var/lib/capstan as root, else ~/.capstan)
  --node-name NAME             This node's name: its endpoints are local, its Node's addresses get NodePorts (default: the host name)
  --proxy-mode MODE            nftables (default) or iptables
  --cluster-cidr CIDRS         Pod network(s), comma-separated; traffic from outside them to a Service is masqueraded (default ${DEFAULT_CLUSTER_CIDRS.join(',')})
  --node-ip IPS                Addresses NodePorts answer on, comma-separated (default: the Node's InternalIP and ExternalIP)
  --sync-period DURATION       How often every rule is resynced to repair drift (default ${DEFAULT_SYNC_PERIOD_MS / 1000}s)
  --min-sync-period DURATION   Least time between two syncs; changes within it are batched (default ${DEFAULT_MIN_SYNC_PERIOD_MS}ms)
  --netns NAME                 Program the rules inside network namespace NAME instead of the host's (tests)
  --v LEVEL                    Log verbosity: 2 or more logs every sync with its duration (default 0)
  --cleanup                    Remove every Capstan proxy rule of both modes and exit
`;

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan proxy: ${msg}\n`);
}

const PROXY_OPTIONS = {
  kubeconfig: { type: 'string' },
  'node-name': { type: 'string' },
  'proxy-mode': { type: 'string', default: 'nftables' },
  'cluster-cidr': { type: 'string' },
  'node-ip': { type: 'string' },
  'sync-period': { type: 'string' },
  'min-sync-period': { type: 'string' },
  netns: { type: 'string' },
  cleanup: { type: 'boolean', default: false },
  v: { type: 'string', default: '0' },
} as const;

function listFlag(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((x) => x.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

export async function runProxy(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: PROXY_OPTIONS, strict: true });
  const netns = values.netns;
  if (netns !== undefined && !/^[A-Za-z0-9_.-]+$/.test(netns)) throw new Error(`invalid --netns "${netns}"`);
  if (values.cleanup) {
    let failed = false;
    for (const r of await cleanupProxyRules('all', netns, log)) {
      if (r.error) {
        failed = true;
        log(`cleanup of ${r.mode} rules failed: ${r.error.message}`);
      } else log(`removed ${r.mode} rules`);
    }
    if (failed) process.exitCode = 1;
    return;
  }
  const mode = values['proxy-mode'];
  if (!isProxyMode(mode)) throw new Error(`unknown --proxy-mode "${mode}": use nftables or iptables`);
  const clusterCIDRs = listFlag(values['cluster-cidr']) ?? DEFAULT_CLUSTER_CIDRS;
  for (const c of clusterCIDRs) {
    const [ip, bits] = c.split('/');
    if (!ip || !isIP(ip) || !/^\d+$/.test(bits ?? '')) throw new Error(`invalid --cluster-cidr "${c}"`);
  }
  const nodeIPs = listFlag(values['node-ip']);
  for (const ip of nodeIPs ?? []) if (!isIP(ip)) throw new Error(`invalid --node-ip "${ip}"`);
  const verbosity = Number(values.v);
  if (!Number.isInteger(verbosity) || verbosity < 0) throw new Error(`invalid --v "${values.v}"`);
  const isRoot = process.getuid?.() === 0;
  const kubeconfig = resolve(values.kubeconfig ?? join(isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan'), 'kubeconfig.yaml'));
  const nodeName = (values['node-name'] ?? hostname()).toLowerCase();
  const client = new Client(transportFromKubeconfig(kubeconfig, { userAgent: `capstan-proxy/${nodeName}` }));
  const stopSignal = stopOnSignals(log);
  log(`starting (${mode} mode, node ${nodeName}${netns ? `, network namespace ${netns}` : ''})`);
  try {
    await startProxy({
      client, nodeName, mode: mode as ProxyMode, clusterCIDRs, nodeIPs, netns,
      syncPeriodMs: values['sync-period'] ? parseDurationMs(values['sync-period'], '--sync-period') : undefined,
      minSyncPeriodMs: values['min-sync-period'] ? parseDurationMs(values['min-sync-period'], '--min-sync-period') : undefined,
      logEverySync: verbosity >= 2, log,
    }, stopSignal);
  } finally {
    client.close();
  }
  log('stopped (rules left in place)');
}
