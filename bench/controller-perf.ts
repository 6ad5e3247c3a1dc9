// Controller-manager benchmarks (docs/PERFORMANCE.md, issue: controller manager).
//
//   node --import tsx bench/controller-perf.ts deployment [--nodes 1000] [--replicas 10000]
//   node --import tsx bench/controller-perf.ts node-failure [--grace 10s --toleration 0] [--runs 3]
//
// Every role is its own process, as deployed: a `capstan server` child (SQLite, no scheduler or
// controller manager inside), `capstan scheduler`, `capstan controller-manager` and
// `capstan sim --nodes N` (hollow kubelets, kwok-like). This process only creates objects and
// watches; times are from its clock (performance.now()).
//
// deployment: a Deployment of `--replicas` pods → time until status says every replica is
// available; then a new template → time until every replica is updated and available and the old
// ReplicaSet is at 0; the controller manager's RSS over both. In the same run, on a fresh cluster,
// the direct path for comparison: a plain client creates the same number of bare pods (64 in
// flight) and the time until all are Running.
//
// node-failure: a Deployment spread over the nodes; one node's kubelet is killed through the sim's
// control socket; time from the node's last Lease renewal to all replacements Running on the other
// nodes (default settings: 50 s grace + the 300 s tolerations DefaultTolerationSeconds adds; or
// `--grace 10s --toleration 0`: the pods tolerate the taints for 0 s).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { spawnServer, tempDir, type ServerProcess } from '../test/support/server.js';
import { askControlSocket } from '../test/support/control-socket.js';
import { poll } from '../test/support/poll.js';
import { Client, transportFromKubeconfig, type KubeList, type WatchEvent } from '../src/client/index.js';
import { deployments, leases, nodes, pods, type Deployment, type KubeObject, type Lease, type Node, type Pod } from '../src/api/index.js';
import { cpuSeconds, inParallel, rssMiB, spawnCapstan, terminate } from './scheduler-perf-cluster.js';

const NS = 'default';

interface Roles {
  server: ServerProcess;
  scheduler: ChildProcess;
  controllerManager: ChildProcess;
  sim: ChildProcess;
  simSocket: string;
  client: Client;
  stop(): Promise<void>;
}

async function startRoles(opts: { nodes: number; controllerFlags?: string[]; simFlags?: string[] }): Promise<Roles> {
  const dir = tempDir('capstan-controller-perf-');
  const server = await spawnServer(dir.path, 0, ['--disable-agent', '--disable-scheduler', '--disable-controller-manager']);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'controller-perf', maxSockets: 64 }));
  const simSocket = join(dir.path, 'sim.sock');
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children.reverse()) await terminate(c);
    client.close();
    await server.terminate();
    dir.remove();
  };
  try {
    const sim = await spawnCapstan(['sim', '--nodes', String(opts.nodes), '--kubeconfig', server.kubeconfig, '--control-socket', simSocket, ...(opts.simFlags ?? [])], /ready: \d+ nodes registered/);
    children.push(sim);
    const scheduler = await spawnCapstan(['scheduler', '--kubeconfig', server.kubeconfig], /leading/);
    children.push(scheduler);
    const controllerManager = await spawnCapstan(['controller-manager', '--kubeconfig', server.kubeconfig, ...(opts.controllerFlags ?? [])], /leading as /);
    children.push(controllerManager);
    return { server, scheduler, controllerManager, sim, simSocket, client, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Samples a process's RSS every 250 ms until stopped; returns median and peak in MiB. */
function sampleRss(pid: number): { stop(): { median: number; peak: number } } {
  const samples: number[] = [];
  const timer = setInterval(() => {
    try {
      samples.push(rssMiB(pid));
    } catch { /* exited */ }
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      const sorted = samples.filter(Number.isFinite).sort((a, b) => a - b);
      return { median: sorted[Math.floor(sorted.length / 2)] ?? NaN, peak: sorted.at(-1) ?? NaN };
    },
  };
}

function deploymentManifest(name: string, replicas: number, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      // Upstream defaults (25 % surge and unavailable), as `kubectl create deployment` makes.
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }], ...extra },
      },
    },
  } as KubeObject;
}

/** Resolves with the time the Deployment's status first satisfied `done` (watched, not polled). */
async function watchDeployment(client: Client, name: string, done: (d: Deployment) => boolean, timeoutMs: number): Promise<number> {
  const api = client.resource(deployments);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  try {
    while (!stop.signal.aborted) {
      const current = (await api.get(NS, name)) as Deployment;
      if (done(current)) return performance.now();
      let at: number | undefined;
      await api.watch(NS, { resourceVersion: current.metadata?.resourceVersion, fieldSelector: `metadata.name=${name}` }, (e: WatchEvent) => {
        if (at === undefined && (e.type === 'ADDED' || e.type === 'MODIFIED') && done(e.object as Deployment)) {
          at = performance.now();
          stop.abort();
        }
      }, stop.signal).catch((e: Error) => {
        if (!stop.signal.aborted) process.stderr.write(`watch: ${e.message}; restarting\n`);
      });
      if (at !== undefined) return at;
    }
    throw new Error(`deployment ${name} not done after ${timeoutMs / 1000} s`);
  } finally {
    clearTimeout(timer);
  }
}

const complete = (replicas: number) => (d: Deployment) => {
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1)
    && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas && !s.unavailableReplicas;
};

async function countRunning(client: Client, selector: string): Promise<number> {
  const list = (await client.resource(pods).list(NS, { labelSelector: selector })) as KubeList;
  return (list.items as Pod[]).filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp).length;
}

/** The time (performance.now()) at which `check` first held. */
async function pollUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<number> {
  await poll(what, check, (done) => done, timeoutMs, everyMs);
  return performance.now();
}

async function benchDeployment(nodes: number, replicas: number): Promise<void> {
  const roles = await startRoles({ nodes });
  let result: Record<string, unknown>;
  try {
    const cpu0 = cpuSeconds(roles.controllerManager.pid!);
    const rss = sampleRss(roles.controllerManager.pid!);
    const t0 = performance.now();
    await roles.client.resource(deployments).create(NS, deploymentManifest('big', replicas, 'nginx:1.25'));
    const available = await watchDeployment(roles.client, 'big', complete(replicas), 600_000);
    const t1 = performance.now();
    await roles.client.resource(deployments).patch(NS, 'big', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
    const rolled = await watchDeployment(roles.client, 'big', complete(replicas), 900_000);
    const memory = rss.stop();
    const cpu = cpuSeconds(roles.controllerManager.pid!) - cpu0;
    result = {
      nodes, replicas,
      availableSeconds: +((available - t0) / 1000).toFixed(2),
      availablePodsPerSecond: Math.round(replicas / ((available - t0) / 1000)),
      rolloutSeconds: +((rolled - t1) / 1000).toFixed(2),
      controllerManagerRssMiB: { median: Math.round(memory.median), peak: Math.round(memory.peak) },
      controllerManagerCpuSeconds: +cpu.toFixed(1),
      serverRssMiB: Math.round(rssMiB(roles.server.child.pid!)),
    };
  } finally {
    await roles.stop();
  }
  // The direct path on a fresh cluster: the same number of bare pods from a plain client.
  const direct = await startRoles({ nodes });
  try {
    const t0 = performance.now();
    const template = deploymentManifest('bare', 1, 'nginx:1.25').spec as { template: { metadata: object; spec: object } };
    await inParallel(replicas, 64, async (i) => {
      await direct.client.resource(pods).create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `bare-${i}`, labels: { app: 'bare' } }, spec: template.template.spec } as KubeObject);
    });
    const created = performance.now();
    const running = await pollUntil('bare pods Running', async () => (await countRunning(direct.client, 'app=bare')) === replicas, 600_000, 500);
    result.direct = { createdSeconds: +((created - t0) / 1000).toFixed(2), runningSeconds: +((running - t0) / 1000).toFixed(2) };
  } finally {
    await direct.stop();
  }
  process.stdout.write(`${JSON.stringify({ benchmark: 'deployment', ...result })}\n`);
}

async function benchNodeFailure(opts: { nodes: number; replicas: number; grace?: string; toleration?: number }): Promise<Record<string, unknown>> {
  const controllerFlags = opts.grace ? ['--node-monitor-grace-period', opts.grace] : [];
  const roles = await startRoles({ nodes: opts.nodes, controllerFlags });
  try {
    const tolerations = opts.toleration === undefined ? [] : ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']
      .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: opts.toleration }));
    await roles.client.resource(deployments).create(NS, deploymentManifest('web', opts.replicas, 'nginx:1.25', tolerations.length ? { tolerations } : {}));
    await watchDeployment(roles.client, 'web', complete(opts.replicas), 120_000);
    const list = ((await roles.client.resource(pods).list(NS, { labelSelector: 'app=web' })) as KubeList).items as Pod[];
    const perNode = new Map<string, number>();
    for (const p of list) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    const [victim, onVictim] = [...perNode].sort((a, b) => b[1] - a[1])[0]!;
    const victimPods = new Set(list.filter((p) => p.spec?.nodeName === victim).map((p) => p.metadata!.uid!));
    const reply = await askControlSocket(roles.simSocket, `kill ${victim}`);
    if (!/^ok/.test(reply)) throw new Error(`sim: ${reply}`);
    const killedAt = Date.now();
    const lease = (await roles.client.resource(leases).get('kube-node-lease', victim)) as Lease;
    const lastRenew = Date.parse(lease.spec!.renewTime!);
    // Milestones as this process sees them (polled every 250 ms): the node Unknown, tainted, its
    // pods marked for deletion, replacements created, and done: web pods not on the victim, all
    // Running, as many as the Deployment wants, every pod that was on the victim being deleted.
    const seen: Record<string, number> = {};
    const mark = (what: string, yes: boolean) => {
      if (yes && seen[what] === undefined) seen[what] = Date.now();
    };
    await pollUntil('replacements Running', async () => {
      const node = (await roles.client.resource(nodes).get('', victim)) as Node;
      mark('nodeUnknown', node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'Unknown') ?? false);
      mark('tainted', (node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute'));
      const ps = ((await roles.client.resource(pods).list(NS, { labelSelector: 'app=web' })) as KubeList).items as Pod[];
      const live = ps.filter((p) => !p.metadata?.deletionTimestamp);
      const evicted = ps.filter((p) => victimPods.has(p.metadata!.uid!)).every((p) => p.metadata?.deletionTimestamp);
      mark('evicted', evicted);
      mark('replacementsCreated', evicted && live.length === opts.replicas);
      return evicted && live.length === opts.replicas && live.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName !== victim);
    }, 900_000, 250);
    const doneAt = Date.now();
    const since = (t: number | undefined) => (t === undefined ? undefined : +((t - lastRenew) / 1000).toFixed(2));
    return {
      nodes: opts.nodes, replicas: opts.replicas, podsOnVictim: onVictim, grace: opts.grace ?? 'default (50s)',
      tolerationSeconds: opts.toleration ?? 'default (300)',
      secondsFromLastHeartbeat: since(doneAt), secondsFromKill: +((doneAt - killedAt) / 1000).toFixed(2),
      milestonesFromLastHeartbeat: Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, since(v)])),
    };
  } finally {
    await roles.stop();
  }
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest, strict: true,
    options: {
      nodes: { type: 'string' }, replicas: { type: 'string' }, grace: { type: 'string' }, toleration: { type: 'string' }, runs: { type: 'string', default: '1' },
    },
  });
  if (mode === 'deployment') {
    await benchDeployment(Number(values.nodes ?? 1000), Number(values.replicas ?? 10_000));
  } else if (mode === 'node-failure') {
    const runs: Record<string, unknown>[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const r = await benchNodeFailure({
        nodes: Number(values.nodes ?? 10), replicas: Number(values.replicas ?? 50), grace: values.grace,
        toleration: values.toleration === undefined ? undefined : Number(values.toleration),
      });
      runs.push(r);
      process.stdout.write(`${JSON.stringify({ benchmark: 'node-failure', run: i + 1, ...r })}\n`);
    }
    const secs = runs.map((r) => r.secondsFromLastHeartbeat as number).sort((a, b) => a - b);
    process.stdout.write(`${JSON.stringify({ benchmark: 'node-failure', medianSecondsFromLastHeartbeat: secs[Math.floor(secs.length / 2)], all: secs })}\n`);
  } else {
    throw new Error('usage: controller-perf.ts deployment|node-failure [flags]');
  }
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
