// `capstan controller-manager`: binds kube-controller-manager's flags to the leader-elected
// controller manager role.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, transportFromKubeconfig } from '../client/index.js';
import { CONTROLLERS, ControllerManager } from '../controllers/index.js';

export const CONTROLLER_MANAGER_USAGE = `Usage: capstan controller-manager [flags]

Runs the controllers alone against the cluster in the kubeconfig, leader-elected through the
Lease kube-system/kube-controller-manager so that several instances never act at once.

Flags:
  --kubeconfig PATH        Cluster to manage (default <data-dir>/kubeconfig.yaml: /var/lib/capstan as root, else ~/.capstan)
  --controllers LIST       Controllers to run: '*' runs every default one, 'foo' enables foo, '-foo' disables it
                           (default *; known: ${CONTROLLERS.map((c) => c.name).join(', ')})
  --leader-elect=BOOL      Campaign for the lease before acting (default true)
`;

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan controller-manager: ${msg}\n`);
}

/** kube-controller-manager spells booleans `--leader-elect=false`; node's parseArgs does not. */
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
    options: { kubeconfig: { type: 'string' }, controllers: { type: 'string', multiple: true } },
    strict: true,
  });
  const isRoot = process.getuid?.() === 0;
  const kubeconfig = resolve(values.kubeconfig ?? join(isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan'), 'kubeconfig.yaml'));
  const client = new Client(transportFromKubeconfig(kubeconfig, { userAgent: 'capstan-controller-manager' }));
  const manager = new ControllerManager({
    client, leaderElect, controllers: values.controllers ?? ['*'],
    onError: (e) => log(`${(e as Error).message ?? String(e)} (will retry)`),
    onLeading: (id, on) => log(on ? `leading as ${id}: running controllers` : `stopped leading (${id})`),
  });

  const stop = new AbortController();
  const shutdown = (signal: string) => {
    if (stop.signal.aborted) return;
    log(`${signal} received, shutting down`);
    stop.abort();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  log(`ready (${manager.enabled.map((c) => c.name).join(', ') || 'no controllers'})${leaderElect ? '; campaigning for kube-system/kube-controller-manager' : ''}`);
  await manager.start(stop.signal);
  client.close();
  log('stopped');
}
