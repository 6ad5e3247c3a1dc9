// Scheduler benchmark (not a test), after upstream scheduler_perf (performance-config.yaml):
// end to end through a real `capstan server` child (SQLite store) and a `capstan scheduler` child
// (or, with --scheduler in-server, the scheduler thread inside the server), with nodes registered
// by this process and pods created over HTTPS at a fixed number of requests in flight. Each
// workload gets a fresh cluster of its own size (as upstream's do).
//
// Per workload: the throughput of the measured phase (first measured pod's create request → last
// binding seen) and each pod's scheduling latency (create acknowledged → binding seen on a watch,
// both timestamped here). Then, on fresh clusters without a scheduler, for SchedulingBasic's
// measured pods created up front:
//   - raw binding: a plain client POSTs pods/<name>/binding for each, at the same concurrency —
//     the ceiling the API server and store allow; again with the backlog's watch running, and
//     again from a client with the scheduler's pipelined connections and bindings in flight;
//   - backlog: a `capstan scheduler` process is started and schedules them all — the scheduler
//     against the same ceiling, with no pod creation competing for the server (first binding →
//     last; its start-up is reported apart).
//
//   node --import tsx bench/scheduler-perf.ts [--nodes N] [--init-pods N] [--pods N]
//     [--in-flight 64] [--node-mode hollow|static] [--scheduler process|in-server]
//     [--workloads SchedulingBasic,...] [--skip-raw] [--timeout 900]
// --nodes/--init-pods/--pods override every workload's own counts. Needs a built checkout
// (bin/capstan runs dist/).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/support/server.js';
import { pods, type KubeObject } from '../src/api/index.js';
import { MAX_BINDINGS_IN_FLIGHT, newInTreeRegistry, BINDING_CLIENT_CONNECTIONS } from '../src/scheduler/index.js';
import { Client, transportFromKubeconfig } from '../src/client/index.js';
import { BindingWatcher, cpuSeconds, createNamespace, createPods, inParallel, rssMiB, startCluster, type Cluster, type NodeMode, type SchedulerMode } from './scheduler-perf-cluster.js';
import { fmt, markdownTable, NOT_WRITTEN, percentile, podsPerSecond, WORKLOADS, type PhaseResult, type Workload } from './scheduler-perf-workloads.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string' },
    'init-pods': { type: 'string' },
    pods: { type: 'string' },
    'in-flight': { type: 'string', default: '64' },
    'node-mode': { type: 'string', default: 'hollow' },
    scheduler: { type: 'string', default: 'process' },
    workloads: { type: 'string', default: [...WORKLOADS, ...NOT_WRITTEN].map((w) => w.name).join(',') },
    'skip-raw': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '900' },
  },
  strict: true,
});
const optionalCount = (flag: string, v: string | undefined, min: number): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}`);
  return n;
};
const NODES = optionalCount('--nodes', values.nodes, 1);
const INIT_PODS = optionalCount('--init-pods', values['init-pods'], 0);
const PODS = optionalCount('--pods', values.pods, 1);
const IN_FLIGHT = optionalCount('--in-flight', values['in-flight'], 1)!;
const TIMEOUT_MS = Number(values.timeout) * 1000;
const MODE = values['node-mode'] as NodeMode;
if (MODE !== 'hollow' && MODE !== 'static') throw new Error(`--node-mode must be hollow or static (got ${MODE})`);
const SCHEDULER = values.scheduler as SchedulerMode;
if (SCHEDULER !== 'process' && SCHEDULER !== 'in-server') throw new Error(`--scheduler must be process or in-server (got ${SCHEDULER})`);

const liveClusters = new Set<Cluster>();
const log = (msg: string) => console.log(`${new Date().toISOString()} ${msg}`);
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** A workload's node and pod counts after the command-line overrides. */
function shapeOf(w: Workload): { nodes: number; init: number; measured: number } {
  const nodes = NODES ?? w.nodes;
  const own = w.podCounts?.(nodes) ?? { init: 1000, measured: 10_000 };
  const cap = (n: number) => (w.podCounts && INIT_PODS === undefined && PODS === undefined ? n : w.capPods?.(n, nodes) ?? n);
  return { nodes, init: cap(INIT_PODS ?? own.init), measured: cap(PODS ?? own.measured) };
}

interface WorkloadResult extends PhaseResult {
  serverCpuPct: number; schedulerCpuPct: number; benchCpuPct: number; initPods: number;
  /** RSS sampled every 250 ms over the measured phase: median and largest (MiB). */
  serverRss: { median: number; max: number }; schedulerRss: { median: number; max: number };
}

/** Samples a process's RSS every 250 ms until stopped; median and largest sample (MiB). */
function sampleRss(pid: number | undefined): () => { median: number; max: number } {
  const samples: number[] = [];
  const take = () => { if (pid) samples.push(rssMiB(pid)); };
  take();
  const timer = setInterval(take, 250).unref();
  return () => {
    clearInterval(timer);
    take();
    const sorted = samples.filter(Number.isFinite).sort((a, b) => a - b);
    return { median: percentile(sorted, 50), max: sorted.at(-1) ?? NaN };
  };
}

/** Runs one workload: init pods (not measured), then the measured pods. */
async function runWorkload(cluster: Cluster, w: Workload, shape: { init: number; measured: number }): Promise<WorkloadResult> {
  const { init: initNs, measured: ns } = w.namespaces;
  await w.setup?.(cluster.client);
  await createNamespace(cluster.client, initNs);
  const initWatcher = new BindingWatcher(cluster.client, initNs, (name) => name.startsWith('init-'));
  await initWatcher.start();
  const init = names('init', shape.init);
  try {
    await createPods(cluster.client, initNs, init, (n) => w.pod(n, 'init'), IN_FLIGHT);
    await initWatcher.waitForBound(init.length, TIMEOUT_MS);
  } finally {
    await initWatcher.stop();
  }
  if (ns !== initNs) await createNamespace(cluster.client, ns);
  const measured = names('pod', shape.measured);
  const watcher = new BindingWatcher(cluster.client, ns, (name) => name.startsWith('pod-'));
  await watcher.start();
  try {
    log(`${w.name}: ${init.length} initial pods bound; measuring ${measured.length} pods`);

    const createdAt = new Map<string, number>();
    const pid = cluster.server.child.pid!;
    const schedPid = cluster.scheduler?.pid;
    const cpu0 = cpuSeconds(pid);
    const schedCpu0 = schedPid ? cpuSeconds(schedPid) : 0;
    const benchCpu0 = process.cpuUsage();
    const serverRss = sampleRss(pid);
    const schedulerRss = sampleRss(schedPid);
    const t0 = performance.now();
    await createPods(cluster.client, ns, measured, (n) => w.pod(n, 'measured'), IN_FLIGHT, (n, at) => createdAt.set(n, at));
    log(`${w.name}: ${measured.length} pods created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await watcher.waitForBound(measured.length, TIMEOUT_MS);
    const spanS = (performance.now() - t0) / 1000;
    const serverCpuPct = ((cpuSeconds(pid) - cpu0) / spanS) * 100;
    const schedulerCpuPct = schedPid ? ((cpuSeconds(schedPid) - schedCpu0) / spanS) * 100 : NaN;
    const benchCpu = process.cpuUsage(benchCpu0);
    const benchCpuPct = ((benchCpu.user + benchCpu.system) / 1e6 / spanS) * 100;
    let last = t0;
    const latencies: number[] = [];
    for (const n of measured) {
      const bound = watcher.boundAt.get(n)!;
      last = Math.max(last, bound);
      // A binding can be seen before the create response arrives; such a pod waited ~0 ms.
      latencies.push(Math.max(0, bound - createdAt.get(n)!));
    }
    latencies.sort((a, b) => a - b);
    return {
      pods: measured.length, spanMs: last - t0, latenciesMs: latencies, serverCpuPct, schedulerCpuPct, benchCpuPct, initPods: init.length,
      serverRss: serverRss(), schedulerRss: schedulerRss(),
    };
  } finally {
    await watcher.stop();
  }
}

/** Creates `count` pending SchedulingBasic pods in `ns` (no scheduler runs); returns their names. */
async function pendingPods(cluster: Cluster, ns: string, count: number): Promise<string[]> {
  await createNamespace(cluster.client, ns);
  const pending = names('pod', count);
  const template = WORKLOADS.find((w) => w.name === 'SchedulingBasic')!;
  await createPods(cluster.client, ns, pending, (n) => template.pod(n, 'measured'), IN_FLIGHT);
  return pending;
}

/** CPU per process (% of one core) over a phase: call the result when the phase ends. */
function phaseCpu(cluster: Cluster): () => PhaseCpu {
  const serverPid = cluster.server.child.pid!;
  const schedPid = cluster.scheduler?.pid;
  const server0 = cpuSeconds(serverPid);
  const sched0 = schedPid ? cpuSeconds(schedPid) : NaN;
  const bench0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const spanS = (performance.now() - t0) / 1000;
    const bench = process.cpuUsage(bench0);
    return {
      server: ((cpuSeconds(serverPid) - server0) / spanS) * 100,
      scheduler: schedPid ? ((cpuSeconds(schedPid) - sched0) / spanS) * 100 : NaN,
      bench: ((bench.user + bench.system) / 1e6 / spanS) * 100,
    };
  };
}

interface PhaseCpu { server: number; scheduler: number; bench: number }
const cpuText = (c: PhaseCpu): string => `server ${fmt(c.server)}, scheduler ${Number.isFinite(c.scheduler) ? fmt(c.scheduler) : '–'}, benchmark ${fmt(c.bench)}`;

/**
 * With no scheduler: POST one binding per pending pod, round-robin over the nodes. `observed`:
 * with the backlog's BindingWatcher running, so the server streams the same watch to this
 * process as in the backlog and the two rates are taken under the same load. `pipelined`: from a
 * client with the scheduler's binding connections (BINDING_CLIENT_CONNECTIONS) and its number of
 * bindings in flight, instead of the plain client's IN_FLIGHT requests on as many connections.
 */
async function rawBindingRate(cluster: Cluster, count: number, observed: boolean, pipelined = false): Promise<{ perSecond: number; cpu: PhaseCpu }> {
  const ns = 'raw-binding';
  const pending = await pendingPods(cluster, ns, count);
  const client = pipelined ? new Client(transportFromKubeconfig(cluster.server.kubeconfig, { userAgent: 'scheduler-perf', ...BINDING_CLIENT_CONNECTIONS })) : cluster.client;
  const api = client.resource(pods);
  const watcher = observed ? new BindingWatcher(cluster.client, ns) : undefined;
  await watcher?.start();
  try {
    const cpu = phaseCpu(cluster);
    const t0 = performance.now();
    await inParallel(pending.length, pipelined ? MAX_BINDINGS_IN_FLIGHT : IN_FLIGHT, async (i) => {
      const name = pending[i]!;
      const target = cluster.nodeNames[i % cluster.nodeNames.length]!;
      await api.create(ns, name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: target } } as KubeObject);
    });
    const perSecond = count / ((performance.now() - t0) / 1000);
    const used = cpu();
    await watcher?.waitForBound(count, TIMEOUT_MS);
    return { perSecond, cpu: used };
  } finally {
    await watcher?.stop();
    if (pipelined) client.close();
  }
}

/**
 * Pending pods first, then a `capstan scheduler` process: its rate from the first binding to the
 * last (its start-up — process, lease, listing every pod and node — is reported apart).
 */
async function backlogRate(cluster: Cluster, count: number): Promise<Backlog> {
  const ns = 'backlog';
  await pendingPods(cluster, ns, count);
  const watcher = new BindingWatcher(cluster.client, ns);
  await watcher.start();
  try {
    const t0 = performance.now();
    await cluster.startSchedulerProcess();
    // From the first binding, so the scheduler's start-up (listing, informer sync) is left out.
    while (watcher.boundAt.size === 0) await new Promise((r) => setTimeout(r, 5));
    const schedPid = cluster.scheduler!.pid!;
    const cpu = phaseCpu(cluster);
    await watcher.waitForBound(count, TIMEOUT_MS);
    const c = cpu();
    const times = [...watcher.boundAt.values()];
    const first = Math.min(...times);
    const last = Math.max(...times);
    // Scheduled events the scheduler wrote meanwhile (the rest were dropped by its bounded queue).
    await new Promise((r) => setTimeout(r, 500));
    const events = (await cluster.client.resource(EVENTS).listAll(ns)).items.length;
    return { perSecond: (count - 1) / ((last - first) / 1000), startupMs: first - t0, schedulerRss: rssMiB(schedPid), cpu: c, events };
  } finally {
    await watcher.stop();
  }
}

interface Backlog { perSecond: number; startupMs: number; schedulerRss: number; cpu: PhaseCpu; events: number }
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' };

/** Starts a fresh cluster, runs `fn` on it and always stops it. */
async function withCluster<T>(opts: Parameters<typeof startCluster>[0], fn: (c: Cluster) => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const cluster = await startCluster(opts);
  liveClusters.add(cluster);
  try {
    log(`${opts.nodeCount} ${opts.mode} nodes registered in ${((performance.now() - t0) / 1000).toFixed(1)} s (scheduler: ${opts.scheduler})`);
    return await fn(cluster);
  } finally {
    await cluster.stop();
    liveClusters.delete(cluster);
  }
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
  for (const w of NOT_WRITTEN) if (wanted.has(w.name)) notes.push(`${w.name} skipped: workload not written yet`);
  for (const n of notes) log(n);

  const header = ['workload', 'nodes', 'init pods', 'measured pods', 'pods/s (avg)', 'latency p50 (ms)', 'latency p99 (ms)', 'server CPU (% of a core)', 'scheduler CPU (% of a core)', 'benchmark CPU (% of a core)', 'server RSS median/max (MiB)', 'scheduler RSS median/max (MiB)'];
  const rows: string[][] = [];
  let basicRate = NaN;
  for (const w of runnable) {
    const shape = shapeOf(w);
    const r = await withCluster({ nodeCount: shape.nodes, mode: MODE, scheduler: SCHEDULER, inFlight: IN_FLIGHT, nodeGroups: w.nodeGroups }, (c) => runWorkload(c, w, shape));
    const rate = podsPerSecond(r);
    if (w.name === 'SchedulingBasic') basicRate = rate;
    const row = [w.name, String(shape.nodes), String(r.initPods), String(r.pods), fmt(rate, 1), fmt(percentile(r.latenciesMs, 50)), fmt(percentile(r.latenciesMs, 99)),
      fmt(r.serverCpuPct), fmt(r.schedulerCpuPct), fmt(r.benchCpuPct), `${fmt(r.serverRss.median)} / ${fmt(r.serverRss.max)}`, `${fmt(r.schedulerRss.median)} / ${fmt(r.schedulerRss.max)}`];
    rows.push(row);
    log(`${w.name}: ${row.slice(4).join(' / ')}`);
  }

  let raw: number | undefined;
  let rawCpu: PhaseCpu | undefined;
  let observed: { perSecond: number; cpu: PhaseCpu } | undefined;
  let pipelined: { perSecond: number; cpu: PhaseCpu } | undefined;
  let backlog: Backlog | undefined;
  const basic = shapeOf(WORKLOADS.find((w) => w.name === 'SchedulingBasic')!);
  if (!values['skip-raw']) {
    const opts = { nodeCount: basic.nodes, mode: MODE, scheduler: 'none' as const, inFlight: IN_FLIGHT };
    ({ perSecond: raw, cpu: rawCpu } = await withCluster(opts, (c) => rawBindingRate(c, basic.measured, false)));
    log(`raw binding: ${raw.toFixed(1)} bindings/s (CPU % of a core: ${cpuText(rawCpu)})`);
    observed = await withCluster(opts, (c) => rawBindingRate(c, basic.measured, true));
    log(`raw binding, watched as the backlog: ${observed.perSecond.toFixed(1)} bindings/s (CPU % of a core: ${cpuText(observed.cpu)})`);
    pipelined = await withCluster(opts, (c) => rawBindingRate(c, basic.measured, true, true));
    log(`raw binding, watched, pipelined as the scheduler's client: ${pipelined.perSecond.toFixed(1)} bindings/s (CPU % of a core: ${cpuText(pipelined.cpu)})`);
    backlog = await withCluster(opts, (c) => backlogRate(c, basic.measured));
    log(`backlog: ${backlog.perSecond.toFixed(1)} pods/s (CPU % of a core: ${cpuText(backlog.cpu)})`);
  }

  console.log(`\nScheduler: ${SCHEDULER === 'process' ? 'a `capstan scheduler` process (leader-elected)' : 'the scheduler thread inside `capstan server`'}.`);
  console.log(`Nodes: ${MODE === 'hollow' ? 'hollow kubelets in the benchmark process (leases every 10 s, pods reported Running)' : 'static Node objects, no kubelet traffic (as upstream scheduler_perf)'}; ${IN_FLIGHT} requests in flight.\n`);
  console.log(markdownTable(header, rows));
  console.log('');
  const extra: string[][] = [];
  if (raw !== undefined && backlog) {
    extra.push([`raw binding rate: ${basic.measured} pending pods, plain client, ${IN_FLIGHT} in flight, no scheduler`, `${fmt(raw, 1)} bindings/s`]);
    if (rawCpu) extra.push(['raw binding: CPU (% of a core)', cpuText(rawCpu)]);
    if (observed) {
      extra.push(['raw binding with the backlog\'s binding watch running (same load on the server as the backlog)', `${fmt(observed.perSecond, 1)} bindings/s`]);
      extra.push(['raw binding with the watch: CPU (% of a core)', cpuText(observed.cpu)]);
    }
    const pipes = `${BINDING_CLIENT_CONNECTIONS.maxSockets} connections × ${BINDING_CLIENT_CONNECTIONS.pipelining} pipelined, ${MAX_BINDINGS_IN_FLIGHT} in flight`;
    if (pipelined) {
      extra.push([`raw binding with the watch, from a client with the scheduler's connections (${pipes})`, `${fmt(pipelined.perSecond, 1)} bindings/s`]);
      extra.push(['raw binding with the watch, pipelined: CPU (% of a core)', cpuText(pipelined.cpu)]);
    }
    extra.push([`backlog: the same pending pods, then a \`capstan scheduler\` process (first → last binding)`, `${fmt(backlog.perSecond, 1)} pods/s`]);
    extra.push(['backlog: CPU from the first binding (% of a core)', cpuText(backlog.cpu)]);
    extra.push(['backlog: scheduler process start → first binding (ms)', fmt(backlog.startupMs)]);
    extra.push(['backlog: Scheduled events written (of one per pod; the scheduler drops what its 1,000-event queue cannot hold)', String(backlog.events)]);
    extra.push(['backlog ÷ raw binding rate', `${fmt((backlog.perSecond / raw) * 100)} %`]);
    if (observed) extra.push(['backlog ÷ raw binding rate with the watch', `${fmt((backlog.perSecond / observed.perSecond) * 100)} %`]);
    if (pipelined) extra.push(['backlog ÷ raw binding rate with the watch, pipelined as the scheduler', `${fmt((backlog.perSecond / pipelined.perSecond) * 100)} %`]);
    extra.push(['SchedulingBasic (pods created while scheduling) ÷ raw binding rate', Number.isFinite(basicRate) ? `${fmt((basicRate / raw) * 100)} %` : '–']);
    if (observed) extra.push(['SchedulingBasic ÷ raw binding rate with the watch', Number.isFinite(basicRate) ? `${fmt((basicRate / observed.perSecond) * 100)} %` : '–']);
    const perPod = (pct: number, rate: number): string => fmt((pct / 100 / rate) * 1e6);
    extra.push(['CPU µs per binding, raw: server / benchmark', `${perPod(rawCpu!.server, raw)} / ${perPod(rawCpu!.bench, raw)}`]);
    if (observed) extra.push(['CPU µs per binding, raw with the watch: server / benchmark', `${perPod(observed.cpu.server, observed.perSecond)} / ${perPod(observed.cpu.bench, observed.perSecond)}`]);
    if (pipelined) extra.push(['CPU µs per binding, raw with the watch, pipelined: server / benchmark', `${perPod(pipelined.cpu.server, pipelined.perSecond)} / ${perPod(pipelined.cpu.bench, pipelined.perSecond)}`]);
    extra.push(['CPU µs per pod, backlog: server / scheduler / benchmark', `${perPod(backlog.cpu.server, backlog.perSecond)} / ${perPod(backlog.cpu.scheduler, backlog.perSecond)} / ${perPod(backlog.cpu.bench, backlog.perSecond)}`]);
    extra.push(['scheduler RSS after the backlog (MiB)', fmt(backlog.schedulerRss)]);
  }
  extra.push([`benchmark RSS at the end (MiB; ${MODE === 'hollow' ? 'includes the hollow nodes' : 'client only'})`, fmt(process.memoryUsage().rss / 2 ** 20)]);
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
