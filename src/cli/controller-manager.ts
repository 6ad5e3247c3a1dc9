// `capstan controller-manager`: binds kube-controller-manager's flags to the leader-elected
// controller manager role.
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, transportFromKubeconfig } from '../client/index.js';
import { CONTROLLERS, ControllerManager, nodeipam, type ControllerConfig } from '../controllers/index.js';
import { stopOnSignals } from './signals.js';
import { parseDurationMs } from './duration.js';

/** The controller settings flags, shared with `capstan server` (upstream names and defaults). */
export const CONTROLLER_CONFIG_USAGE = `  --node-monitor-period DURATION       How often node health is checked (default 5s)
  --node-monitor-grace-period DURATION A silent node is marked Unknown and tainted after this (default 50s)
  --cluster-cidr CIDR                  Range the nodes' pod CIDRs (/24 each) come from (default 10.42.0.0/16)
  --terminated-pod-gc-threshold N      Terminated pods kept before PodGC deletes the oldest (default 12500; 0 disables)
  --max-endpoints-per-slice N          Endpoints per EndpointSlice (default 100; 1 to 1000)
`;

export const CONTROLLER_MANAGER_USAGE = `Usage: capstan controller-manager [flags]

Runs the controllers alone against the cluster in the kubeconfig, leader-elected through the
Lease kube-system/kube-controller-manager so that several instances never act at once.

Flags:
  --kubeconfig PATH        Cluster to manage (default <data-dir>/kubeconfig.yaml: /var/lib/capstan as root, else ~/.capstan)
  --controllers LIST       Controllers to run: '*' runs every default one, 'foo' enables foo, '-foo' disables it
                           (default *; known: ${CONTROLLERS.map((c) => c.name).join(', ')})
  --leader-elect=BOOL      Campaign for the lease before acting (default true)
  --cluster-dns IP         clusterIP of the kube-dns Service the cluster-dns controller keeps (default 10.43.0.10)
${CONTROLLER_CONFIG_USAGE}`;

/** parseArgs options for CONTROLLER_CONFIG_USAGE's flags. */
export const CONTROLLER_CONFIG_OPTIONS = {
  'node-monitor-period': { type: 'string' },
  'node-monitor-grace-period': { type: 'string' },
  'cluster-cidr': { type: 'string' },
  'terminated-pod-gc-threshold': { type: 'string' },
  'max-endpoints-per-slice': { type: 'string' },
} as const;

export { parseDurationMs };

/** The ControllerConfig the flags ask for (absent flags stay absent: the controllers default them). */
export function controllerConfigFromFlags(values: Partial<Record<keyof typeof CONTROLLER_CONFIG_OPTIONS, string>>): ControllerConfig {
  const config: ControllerConfig = {};
  if (values['node-monitor-period'] !== undefined) config.nodeMonitorPeriodMs = parseDurationMs(values['node-monitor-period'], '--node-monitor-period');
  if (values['node-monitor-grace-period'] !== undefined) config.nodeMonitorGracePeriodMs = parseDurationMs(values['node-monitor-grace-period'], '--node-monitor-grace-period');
  if (values['cluster-cidr'] !== undefined) {
    new nodeipam.CIDRSet(values['cluster-cidr']); // throws on a bad range
    config.clusterCIDR = values['cluster-cidr'];
  }
  const threshold = values['terminated-pod-gc-threshold'];
  if (threshold !== undefined) {
    if (!/^-?\d+$/.test(threshold)) throw new Error(`invalid --terminated-pod-gc-threshold "${threshold}": want an integer`);
    config.terminatedPodGCThreshold = Number(threshold);
  }
  const perSlice = values['max-endpoints-per-slice'];
  if (perSlice !== undefined) {
    const n = Number(perSlice);
    if (!/^\d+$/.test(perSlice) || n < 1 || n > 1000) throw new Error(`invalid --max-endpoints-per-slice "${perSlice}": must be an integer from 1 to 1000`);
    config.maxEndpointsPerSlice = n;
  }
  return config;
}

/**
 * The kube-dns Service IP from a `--cluster-dns` value (k3s accepts a comma-separated list, as the
 * kubelet's resolv.conf may name several: the Service takes the first). Absent: the default.
 */
export function clusterDNSFromFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = value.split(',').map((x) => x.trim()).find(Boolean);
  if (!first || !isIP(first)) throw new Error(`invalid --cluster-dns "${value}": want an IP address`);
  return first;
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan controller-manager: ${msg}\n`);
}

/** Upstream components spell booleans `--leader-elect=false`; node's parseArgs does not (shared with `capstan scheduler`). */
export function takeLeaderElect(argv: string[]): { rest: string[]; leaderElect: boolean } {
  let leaderElect = true;
  const rest: string[] = [];
  for (const a of argv) {
    const m = /^--leader-elect(?:=(.*))?$/.exec(a);
    if (!m) { rest.push(a); continue; }
    if (m[1] === undefined || m[1] === 'true') leaderElect = true;
    else if (m[1] === 'false') leaderElect = false;
    else throw new Error(`invalid --leader-elect "${m[1]}": use true or false`);
  }
  return { rest, leaderElect };
}

export async function runControllerManager(argv: string[]): Promise<void> {
  const { rest, leaderElect } = takeLeaderElect(argv);
  const { values } = parseArgs({
    args: rest,
    options: { kubeconfig: { type: 'string' }, controllers: { type: 'string', multiple: true }, 'cluster-dns': { type: 'string' }, ...CONTROLLER_CONFIG_OPTIONS },
    strict: true,
  });
  const isRoot = process.getuid?.() === 0;
  const kubeconfig = resolve(values.kubeconfig ?? join(isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan'), 'kubeconfig.yaml'));
  const config: ControllerConfig = controllerConfigFromFlags(values);
  const clusterDNS = clusterDNSFromFlag(values['cluster-dns']);
  if (clusterDNS) config.clusterDNS = clusterDNS;
  const client = new Client(transportFromKubeconfig(kubeconfig, { userAgent: 'capstan-controller-manager' }));
  const manager = new ControllerManager({
    client, leaderElect, controllers: values.controllers ?? ['*'], config,
    onError: (e) => log(`${(e as Error).message ?? String(e)} (will retry)`),
    onLeading: (id, on) => log(on ? `leading as ${id}: running controllers` : `stopped leading (${id})`),
  });

  const stopSignal = stopOnSignals(log);
  log(`ready (${manager.enabled.map((c) => c.name).join(', ') || 'no controllers'})${leaderElect ? '; campaigning for kube-system/kube-controller-manager' : ''}`);
  await manager.start(stopSignal);
  client.close();
  log('stopped');
}
