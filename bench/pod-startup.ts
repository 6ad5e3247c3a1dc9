// Pod startup on a real node (docs/PERFORMANCE.md, issue: kubelet with real containers). Root.
//
//   node --import tsx bench/pod-startup.ts [pods, default 50]
//
// A one-node cluster as the end-to-end tests make it (test/support/node-cluster.ts: a
// `capstan server` child, a `capstan agent` child with conmon + runc, the busybox image already
// present). Latency is from the create request sent to the pod seen Running with its container
// started, on a watch. Two phases: one pod at a time (no queueing), then all pods at once (a
// burst). The kubelet's RSS (the agent process) is read with every pod running, and the CPU the
// agent and the server processes themselves used during the burst (children not counted). In the
// same run, before and after the cluster, the floor with no Capstan code: `bench/runtime-floor.ts`
// (raw `runc run` / `crun run` of the same busybox) and `bench/cni-bench.ts` (CNI ADD of loopback
// + bridge).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Client, transportFromKubeconfig, type KubeList, type WatchEvent } from '../src/client/index.js';
import { pods, type KubeObject, type Pod } from '../src/api/index.js';
import { BUSYBOX, startNodeCluster } from '../test/support/node-cluster.js';
import { REPO_ROOT } from '../test/support/server.js';
import { poll } from '../test/support/poll.js';
import { cpuSeconds, rssMiB } from './scheduler-perf-cluster.js';

const run = promisify(execFile);
const count = Number(process.argv[2] ?? 50);
const NS = 'default';

function quantiles(ms: number[]): { p50: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(s.length * p))]!);
  return { p50: q(0.5), p99: q(0.99), max: Math.round(s.at(-1)!) };
}

const manifest = (name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { bench: 'startup' } },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'c', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '8Mi' } } }],
  },
} as KubeObject);

const isRunning = (p: Pod) => p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c) => c.state?.running);

/** Records when each pod is first seen Running; resolves `until(n)` once n are. */
function runningWatcher(client: Client, rv: string, signal: AbortSignal) {
  const runningAt = new Map<string, number>();
  let waiters: { n: number; resolve(): void }[] = [];
  void client.resource(pods).watch(NS, { resourceVersion: rv }, (e: WatchEvent) => {
    const p = e.object as Pod;
    const name = p.metadata?.name ?? '';
    if ((e.type === 'ADDED' || e.type === 'MODIFIED') && !runningAt.has(name) && isRunning(p)) {
      runningAt.set(name, performance.now());
      waiters = waiters.filter((w) => (runningAt.size >= w.n ? (w.resolve(), false) : true));
    }
  }, signal).catch(() => undefined);
  return {
    runningAt,
    until: (n: number) => (runningAt.size >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
  };
}

async function phase(client: Client, names: string[], burst: boolean): Promise<number[]> {
  const stop = new AbortController();
  const rv = ((await client.resource(pods).list(NS, { limit: 1 })) as KubeList).metadata.resourceVersion ?? '';
  const w = runningWatcher(client, rv, stop.signal);
  const sentAt = new Map<string, number>();
  const create = async (name: string) => {
    sentAt.set(name, performance.now());
    await client.resource(pods).create(NS, manifest(name));
  };
  if (burst) {
    await Promise.all(names.map(create));
    await w.until(names.length);
  } else {
    for (const [i, name] of names.entries()) {
      await create(name);
      await w.until(i + 1);
    }
  }
  stop.abort();
  return names.map((n) => w.runningAt.get(n)! - sentAt.get(n)!);
}

async function deleteAll(client: Client): Promise<void> {
  await client.resource(pods).deleteCollection(NS, { labelSelector: 'bench=startup' });
  await poll('benchmark pods gone', async () => ((await client.resource(pods).list(NS, { labelSelector: 'bench=startup' })) as KubeList).items.length,
    (left) => left === 0, 120_000, 250);
}

const floor = async (script: string, args: string[]) =>
  (await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', script), ...args], { maxBuffer: 16 << 20 })).stdout.trim();

// The floor right before the cluster and right after it: the machine is shared and its load moves
// within a minute, so the two bracket the floor the pod phases ran against.
const floorBefore = `${await floor('runtime-floor.ts', ['20'])}\n${await floor('cni-bench.ts', ['20'])}`;
// The whole agent, as deployed: kubelet, routes, Service proxy (nftables, in this host's network
// namespace; `capstan killall` in stop() removes its table) and cluster DNS (on 127.0.0.1:53).
const cluster = await startNodeCluster({ bridge: 'cpt-bnch', clusterCIDR: '10.251.0.0/16', runDir: '/run/cpt-bnch', networkRoles: true });
const client = new Client(transportFromKubeconfig(cluster.server.kubeconfig, { userAgent: 'pod-startup-bench', maxSockets: 64 }));
try {
  const sequential = await phase(client, Array.from({ length: count }, (_, i) => `seq-${i}`), false);
  const kubeletRss = rssMiB(cluster.agent.child.pid!);
  await deleteAll(client);
  const t0 = performance.now();
  const cpu0 = [cpuSeconds(cluster.agent.child.pid!), cpuSeconds(cluster.server.child.pid!)];
  const burst = await phase(client, Array.from({ length: count }, (_, i) => `burst-${i}`), true);
  const burstSeconds = (performance.now() - t0) / 1000;
  const burstCpu = { agent: +(cpuSeconds(cluster.agent.child.pid!) - cpu0[0]!).toFixed(2), server: +(cpuSeconds(cluster.server.child.pid!) - cpu0[1]!).toFixed(2) };
  const kubeletRssBurst = rssMiB(cluster.agent.child.pid!);
  await deleteAll(client);
  const result = {
    pods: count,
    oneAtATimeMs: quantiles(sequential),
    burstMs: quantiles(burst), burstAllRunningSeconds: +burstSeconds.toFixed(2), burstCpuSeconds: burstCpu,
    kubeletRssMiBWithPodsRunning: Math.round(Math.max(kubeletRss, kubeletRssBurst)),
    kubeletRssMiB: { afterOneAtATime: Math.round(kubeletRss), afterBurst: Math.round(kubeletRssBurst) },
  };
  process.stdout.write(`${JSON.stringify({ benchmark: 'pod-startup', ...result })}\n`);
} finally {
  client.close();
  await cluster.stop();
}
process.stdout.write(`floor, same run, before the cluster:\n${floorBefore}\n`);
process.stdout.write(`floor, same run, after the cluster:\n${await floor('runtime-floor.ts', ['20'])}\n${await floor('cni-bench.ts', ['20'])}\n`);
