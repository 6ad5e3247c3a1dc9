// `capstan killall`: binds flags to the runtime's killAll (like k3s-killall.sh): every container
// and sandbox the node's runtime started is ended and its mounts, cgroups and state removed; then
// the pods' volume mounts (tmpfs of secret, projected and memory emptyDir volumes) are unmounted.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { killAll } from '../runtime/index.js';
import { unmountUnder } from '../kubelet/index.js';
import { cleanupNodeRoutes, cleanupProxyRules } from '../network/index.js';

export const KILLALL_USAGE = `Usage: capstan killall [flags]

Stops every container and pod sandbox of this node's runtime, unmounts their root filesystems and
namespaces, removes their cgroups and state, unmounts the pods' volumes, deletes the pod
bridge (capstan0), the routes to other nodes' pods, the egress masquerade (nft table
ip capstan-node) and the Service proxy's rules (nft table ip capstan-proxy, CAPSTAN- iptables chains).

Flags:
  --data-dir DIR   Folder for state (default /var/lib/capstan as root, else ~/.capstan)
  --run-dir DIR    Namespaces and sockets (default /run/capstan)
  --bridge NAME    The CNI bridge to delete (default capstan0; "" keeps it)
`;

export async function runKillAll(argv: string[], out: { write(s: string): unknown } = process.stdout): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      'run-dir': { type: 'string', default: '/run/capstan' },
      bridge: { type: 'string', default: 'capstan0' },
    },
    strict: true,
  });
  const isRoot = process.getuid?.() === 0;
  const dataDir = resolve(values['data-dir'] ?? (isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan')));
  const report = await killAll({ root: join(dataDir, 'agent', 'containers'), runDir: resolve(values['run-dir']!) });
  // After the containers are gone: the volume mounts the kubelet made under <data-dir>/agent/pods.
  const pods = join(dataDir, 'agent', 'pods');
  if (existsSync(pods)) await unmountUnder(pods).catch((e: unknown) => report.errors.push((e as Error).message));
  // The bridge outlives CNI DEL; until the network component offers its own teardown, delete it here.
  if (values.bridge) spawnSync('ip', ['link', 'delete', values.bridge], { stdio: 'ignore' });
  if (isRoot) {
    report.errors.push(...await cleanupNodeRoutes());
    // The Service proxy's rules, both backends' (as k3s-killall.sh removes KUBE- chains).
    for (const r of await cleanupProxyRules('all')) if (r.error) report.errors.push(`proxy (${r.mode}): ${r.error.message}`);
  }
  out.write(`killall: ${report.containers} containers, ${report.sandboxes} sandboxes\n`);
  for (const e of report.errors) process.stderr.write(`killall: ${e}\n`);
  if (report.errors.length) process.exitCode = 1;
}
