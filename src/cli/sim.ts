// `capstan sim`: binds flags to the hollow-node simulator (kwok-like scale testing).
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, transportFromKubeconfig } from '../client/index.js';
import { checkQuantity, HollowNodes, type HollowNodesOptions, parseDurationMs, parseLabelsFlag, parseTaintsFlag, serveControlSocket } from '../kubelet/index.js';
import { stopOnSignals } from './signals.js';

export const SIM_USAGE = `Usage: capstan sim --nodes N [flags]

Runs N hollow nodes: each registers a Node, renews its Lease and "runs" the pods bound to it
with a fake runtime, all as ordinary API clients of the server in the kubeconfig.

Flags:
  --nodes N                  How many nodes (required)
  --kubeconfig PATH          Cluster to join (default <data-dir>/kubeconfig.yaml: /var/lib/capstan as root, else ~/.capstan)
  --name-prefix PREFIX       Node names are PREFIX0 … PREFIX<N-1> (default hollow-)
  --cpu QUANTITY             CPU capacity of each node (default 32)
  --memory QUANTITY          Memory capacity of each node (default 256Gi)
  --pods N                   Pod capacity of each node (default 110)
  --ephemeral-storage Q      Ephemeral storage capacity of each node (default 100Gi)
  --labels K=V,...           Extra node labels
  --taints K=V:EFFECT,...    Node taints (EFFECT is NoSchedule, PreferNoSchedule or NoExecute)
  --pod-start-delay DURATION Time from binding to Running, e.g. 0s, 500ms, 2s (default 0s)
  --control-socket PATH      Unix socket accepting lines "kill <node>", "revive <node>", "stats"
`;

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} capstan sim: ${msg}\n`);
}

export async function runSim(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: 'string' },
      kubeconfig: { type: 'string' },
      'name-prefix': { type: 'string', default: 'hollow-' },
      cpu: { type: 'string', default: '32' },
      memory: { type: 'string', default: '256Gi' },
      pods: { type: 'string', default: '110' },
      'ephemeral-storage': { type: 'string', default: '100Gi' },
      labels: { type: 'string' },
      taints: { type: 'string' },
      'pod-start-delay': { type: 'string', default: '0s' },
      'control-socket': { type: 'string' },
    },
    strict: true,
  });
  const count = Number(values.nodes);
  if (!values.nodes || !Number.isInteger(count) || count < 1) throw new Error(`--nodes must be a positive integer (got ${values.nodes ?? 'nothing'})`);
  const isRoot = process.getuid?.() === 0;
  const kubeconfig = resolve(values.kubeconfig ?? join(isRoot ? '/var/lib/capstan' : join(homedir(), '.capstan'), 'kubeconfig.yaml'));
  const options: HollowNodesOptions = {
    count,
    namePrefix: values['name-prefix'],
    cpu: checkQuantity('--cpu', values.cpu!),
    memory: checkQuantity('--memory', values.memory!),
    pods: checkQuantity('--pods', values.pods!),
    ephemeralStorage: checkQuantity('--ephemeral-storage', values['ephemeral-storage']!),
    labels: parseLabelsFlag(values.labels),
    taints: parseTaintsFlag(values.taints),
    podStartDelayMs: parseDurationMs(values['pod-start-delay']!, '--pod-start-delay'),
    onError: (e, key) => log(`${key ?? 'informer'}: ${(e as Error).message} (will retry)`),
  };
  const client = new Client(transportFromKubeconfig(kubeconfig, { userAgent: 'capstan-sim' }));
  const sim = new HollowNodes(client, options);

  const stopSignal = stopOnSignals(log);

  const started = Date.now();
  const running = sim.start(stopSignal);
  const control = values['control-socket'] ? serveControlSocket(resolve(values['control-socket']), sim, stopSignal) : undefined;
  void sim.whenRegistered().then(() => {
    if (!stopSignal.aborted) log(`ready: ${count} nodes registered in ${Date.now() - started} ms`);
  });
  await Promise.all([running, control]);
  client.close();
  log('stopped');
}
