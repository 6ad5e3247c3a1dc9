// `capstan scheduler`: binds kube-scheduler's flags to the leader-elected scheduler role.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { takeLeaderElect } from './controller-manager.js';
import { parseSchedulerConfiguration, schedulerClients, SchedulerRole, type KubeSchedulerConfiguration } from '../scheduler/index.js';
import { stopOnSignals } from './signals.js';

export const SCHEDULER_USAGE = `Usage: capstan scheduler [flags]

Runs the scheduler alone against the cluster in the kubeconfig, leader-elected through the
Lease kube-system/kube-scheduler so that several instances never schedule at once.

Flags:
  --kubeconfig PATH        Cluster to schedule for (default <data-dir>/kubeconfig.yaml: /var/lib/capstan as root, else ~/.capstan)
  --config FILE            A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) file
  --leader-elect=BOOL      Campaign for the lease before scheduling (default true)
`;

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan scheduler: ${msg}\n`);
}

export async function runScheduler(argv: string[]): Promise<void> {
  const { rest, leaderElect } = takeLeaderElect(argv);
  const { values } = parseArgs({
    args: rest,
    options: { kubeconfig: { type: 'string' }, config: { type: 'string' } },
    strict: true,
  });
  const config: KubeSchedulerConfiguration | undefined = values.config ? parseSchedulerConfiguration(readFileSync(resolve(values.config), 'utf8')) : undefined;
  const isRoot = process.getuid?.() === 0;
  const kubeconfig = resolve(values.kubeconfig ?? join(isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan'), 'kubeconfig.yaml'));
  const clients = schedulerClients(kubeconfig);
  const role = new SchedulerRole({
    client: clients.client, bindingClient: clients.bindingClient, config, leaderElect,
    onError: (e) => log(`${(e as Error).message ?? String(e)} (will retry)`),
    onLeading: (id, on) => log(on ? `leading as ${id}: scheduling` : `stopped leading (${id})`),
  });

  const stopSignal = stopOnSignals(log);
  log(`ready${leaderElect ? '; campaigning for kube-system/kube-scheduler' : ''}`);
  await role.start(stopSignal);
  clients.close();
  log('stopped');
}
