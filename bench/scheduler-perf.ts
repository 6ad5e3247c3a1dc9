// Scheduler benchmark (not a test), after upstream scheduler_perf (performance-config.yaml):
// end to end through a real `capstan server` child (SQLite store) and a `capstan scheduler` child
// (or, with --scheduler in-server, the scheduler inside the server), nodes registered by this process, pods created over HTTPS at a fixed number of requests in
// flight. Per workload it reports the throughput of the measured phase (first measured pod's
// create request → last binding seen) and the scheduling latency of each pod (create
// acknowledged → binding seen on a watch, both timestamped here). It then starts a second server
// with --disable-scheduler and POSTs pods/<name>/binding for as many pending pods at the same
// concurrency: the ceiling the API server and store allow, and the scheduler's share of it.
//
//   node --import tsx bench/scheduler-perf.ts [--nodes 5000] [--init-pods 1000] [--pods 10000]
//     [--in-flight 64] [--node-mode hollow|static] [--scheduler process|in-server]
//     [--workloads SchedulingBasic,...] [--skip-raw]
//     [--timeout 900]
// Needs a built checkout (bin/capstan runs dist/).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/support/server.js';
import { pods, type KubeObject } from '../src/api/index.js';
import { newInTreeRegistry } from '../src/scheduler/index.js';
import { BindingWatcher, cpuSeconds, createNamespace, createPods, inParallel, rssMiB, startCluster, type Cluster, type NodeMode, type SchedulerMode } from './scheduler-perf-cluster.js';
import { fmt, markdownTable, NOT_WRITTEN, percentile, podsPerSecond, WORKLOADS, type PhaseResult, type Workload } from './scheduler-perf-workloads.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    'init-pods': { type: 'string', default: '1000' },
    pods: { type: 'string', default: '10000' },
    'in-flight': { type: 'string', default: '64' },
    'node-mode': { type: 'string', default: 'hollow' },
    scheduler: { type: 'string', default: 'process' },
    workloads: { type: 'string', default: [...WORKLOADS, ...NOT_WRITTEN].map((w) => w.name).join(',') },
    'skip-raw': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '900' },
  },
  strict: true,
});
const NODES = Number(values.nodes);
const INIT_PODS = Number(values['init-pods']);
const PODS = Number(values.pods);
const IN_FLIGHT = Number(values['in-flight']);
const TIMEOUT_MS = Number(values.timeout) * 1000;
const MODE = values['node-mode'] as NodeMode;
if (MODE !== 'hollow' && MODE !== 'static') throw new Error(`--node-mode must be hollow or static (got ${MODE})`);
const SCHEDULER = values.scheduler as SchedulerMode;
if (SCHEDULER !== 'process' && SCHEDULER !== 'in-server') throw new Error(`--scheduler must be process or in-server (got ${SCHEDULER})`);
for (const [flag, n] of [['--nodes', NODES], ['--init-pods', INIT_PODS], ['--pods', PODS], ['--in-flight', IN_FLIGHT]] as const) {
  if (!Number.isInteger(n) || n < (flag === '--init-pods' ? 0 : 1)) throw new Error(`${flag} must be a ${flag === '--init-pods' ? 'non-negative' : 'positive'} integer`);
}

const liveClusters = new Set<Cluster>();
const log = (msg: string) => console.log(`${new Date().toISOString()} ${msg}`);
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Runs one workload in its own namespace: init pods (not measured), then the measured pods. */
async function runWorkload(cluster: Cluster, w: Workload): Promise<PhaseResult & { serverCpuPct: number; schedulerCpuPct: number; initPods: number }> {
  const cap = (n: number) => w.capPods?.(n, NODES) ?? n;
  const { init: initNs, measured: ns } = w.namespaces;
  await createNamespace(cluster.client, initNs);
  const initWatcher = new BindingWatcher(cluster.client, initNs, (name) => name.startsWith('init-'));
  await initWatcher.start();
  const init = names('init', cap(INIT_PODS));
  try {
    await createPods(cluster.client, initNs, init, (n) => w.pod(n, 'init'), IN_FLIGHT);
    await initWatcher.waitForBound(init.length, TIMEOUT_MS);
  } finally {
    await initWatcher.stop();
  }
  if (ns !== initNs) await createNamespace(cluster.client, ns);
  const measured = names('pod', cap(PODS));
  const watcher = new BindingWatcher(cluster.client, ns, (name) => name.startsWith('pod-'));
  await watcher.start();
  try {
    log(`${w.name}: ${init.length} initial pods bound; measuring ${measured.length} pods`);

    const createdAt = new Map<string, number>();
    const pid = cluster.server.child.pid!;
    const schedPid = cluster.scheduler?.pid;
    const cpu0 = cpuSeconds(pid);
    const schedCpu0 = schedPid ? cpuSeconds(schedPid) : 0;
    const t0 = performance.now();
    await createPods(cluster.client, ns, measured, (n) => w.pod(n, 'measured'), IN_FLIGHT, (n, at) => createdAt.set(n, at));
    log(`${w.name}: ${measured.length} pods created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await watcher.waitForBound(measured.length, TIMEOUT_MS);
    const spanS = (performance.now() - t0) / 1000;
    const serverCpuPct = ((cpuSeconds(pid) - cpu0) / spanS) * 100;
    const schedulerCpuPct = schedPid ? ((cpuSeconds(schedPid) - schedCpu0) / spanS) * 100 : NaN;
    let last = t0;
    const latencies: number[] = [];
    for (const n of measured) {
      const bound = watcher.boundAt.get(n)!;
      last = Math.max(last, bound);
      // A binding can be seen before the create response arrives; such a pod waited ~0 ms.
      latencies.push(Math.max(0, bound - createdAt.get(n)!));
    }
    latencies.sort((a, b) => a - b);
    return { pods: measured.length, spanMs: last - t0, latenciesMs: latencies, serverCpuPct, schedulerCpuPct, initPods: init.length };
  } finally {
    await watcher.stop();
  }
}

/** With no scheduler: POST one binding per pending pod, round-robin over the nodes. */
async function rawBindingRate(cluster: Cluster): Promise<{ perSecond: number; createPerSecond: number }> {
  const ns = 'raw-binding';
  await createNamespace(cluster.client, ns);
  const pending = names('pod', PODS);
  const template = WORKLOADS[0]!;
  const c0 = performance.now();
  await createPods(cluster.client, ns, pending, (n) => template.pod(n, 'measured'), IN_FLIGHT);
  const createS = (performance.now() - c0) / 1000;
  const api = cluster.client.resource(pods);
  const t0 = performance.now();
  await inParallel(pending.length, IN_FLIGHT, async (i) => {
    const name = pending[i]!;
    const target = cluster.nodeNames[i % cluster.nodeNames.length]!;
    await api.create(ns, name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: target } } as KubeObject);
  });
  const bindS = (performance.now() - t0) / 1000;
  return { perSecond: PODS / bindS, createPerSecond: PODS / createS };
}

/**
 * The plugins the server child runs: bin/capstan runs the build in dist/, which may lag the sources
 * this benchmark was started from, so a plugin must be registered in both to count.
 */
async function serverRegistry(): Promise<{ has(name: string): boolean }> {
  const source = newInTreeRegistry();
  const built = join(REPO_ROOT, 'dist', 'src', 'scheduler', 'index.js');
  if (!existsSync(built)) throw new Error(`${built} missing: build the checkout first (bin/capstan runs dist/)`);
  const dist = (await import(pathToFileURL(built).href) as { newInTreeRegistry(): { has(name: string): boolean } }).newInTreeRegistry();
  return { has: (name) => source.has(name) && dist.has(name) };
}

async function main(): Promise<void> {
  const registry = await serverRegistry();
  const wanted = new Set(values.workloads!.split(',').map((s) => s.trim()).filter(Boolean));
  const notes: string[] = [];
  const runnable: Workload[] = [];
  for (const w of WORKLOADS) {
    if (!wanted.has(w.name)) continue;
    const missing = w.plugins.filter((p) => !registry.has(p));
    if (missing.length) notes.push(`${w.name} skipped: plugin ${missing.join(', ')} not registered in the server's newInTreeRegistry()`);
    else runnable.push(w);
  }
  for (const w of NOT_WRITTEN) if (wanted.has(w.name)) notes.push(`${w.name} skipped: ${w.plugins.filter((p) => !registry.has(p)).map((p) => `plugin ${p} not registered; `).join('')}workload not written yet`);
  for (const n of notes) log(n);

  const header = ['workload', 'nodes', 'init pods', 'measured pods', 'pods/s (avg)', 'latency p50 (ms)', 'latency p99 (ms)', 'server CPU (% of a core)', 'scheduler CPU (% of a core)'];
  const rows: string[][] = [];
  let basicRate = NaN;
  let serverRss = NaN;
  let schedulerRss = NaN;
  let benchRss = NaN;

  log(`starting server, scheduler (${SCHEDULER}) and ${NODES} ${MODE} nodes`);
  const t0 = performance.now();
  const cluster = await startCluster({ nodeCount: NODES, mode: MODE, scheduler: SCHEDULER, inFlight: IN_FLIGHT });
  liveClusters.add(cluster);
  try {
    log(`${NODES} nodes registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const w of runnable) {
      const r = await runWorkload(cluster, w);
      const rate = podsPerSecond(r);
      if (w.name === 'SchedulingBasic') basicRate = rate;
      const row = [w.name, String(NODES), String(r.initPods), String(r.pods), fmt(rate, 1), fmt(percentile(r.latenciesMs, 50)), fmt(percentile(r.latenciesMs, 99)), fmt(r.serverCpuPct), fmt(r.schedulerCpuPct)];
      rows.push(row);
      log(`${w.name}: ${row.slice(4).join(' / ')}`);
    }
    serverRss = rssMiB(cluster.server.child.pid!);
    if (cluster.scheduler?.pid) schedulerRss = rssMiB(cluster.scheduler.pid);
    benchRss = process.memoryUsage().rss / 2 ** 20;
  } finally {
    await cluster.stop();
  }

  let raw: { perSecond: number; createPerSecond: number } | undefined;
  if (!values['skip-raw']) {
    log(`starting server with --disable-scheduler and ${NODES} ${MODE} nodes for the raw binding rate`);
    const bare = await startCluster({ nodeCount: NODES, mode: MODE, scheduler: 'none', inFlight: IN_FLIGHT });
    liveClusters.add(bare);
    try {
      raw = await rawBindingRate(bare);
      log(`raw binding: ${raw.perSecond.toFixed(1)} bindings/s (creates ${raw.createPerSecond.toFixed(1)}/s)`);
    } finally {
      await bare.stop();
    }
  }

  console.log(`\nScheduler: ${SCHEDULER === 'process' ? 'a `capstan scheduler` process (leader-elected)' : 'inside `capstan server`'}.`);
  console.log(`Nodes: ${MODE === 'hollow' ? 'hollow kubelets in the benchmark process (leases every 10 s, pods reported Running)' : 'static Node objects, no kubelet traffic (as upstream scheduler_perf)'}; ${IN_FLIGHT} requests in flight.\n`);
  console.log(markdownTable(header, rows));
  console.log('');
  const extra: string[][] = [];
  if (raw) {
    extra.push([`raw binding rate, no scheduler (${IN_FLIGHT} in flight)`, `${fmt(raw.perSecond, 1)} bindings/s`]);
    extra.push(['SchedulingBasic ÷ raw binding rate', Number.isFinite(basicRate) ? `${fmt((basicRate / raw.perSecond) * 100)} %` : '–']);
  }
  extra.push([`server RSS at the end (MiB${SCHEDULER === 'in-server' ? '; the scheduler runs in this process' : ''})`, fmt(serverRss)]);
  if (SCHEDULER === 'process') extra.push(['scheduler RSS at the end (MiB)', fmt(schedulerRss)]);
  extra.push([`benchmark RSS at the end (MiB; ${MODE === 'hollow' ? 'includes the hollow nodes' : 'client only'})`, fmt(benchRss)]);
  console.log(markdownTable(['figure', 'value'], extra));
  if (notes.length) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
}

// Interrupted runs still stop their server children and remove their data dirs.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping servers`);
    void Promise.allSettled([...liveClusters].map((c) => c.stop())).then(() => process.exit(130));
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
