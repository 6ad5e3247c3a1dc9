// The I/O half of bench/scheduler-perf.ts: a `capstan server` child with its nodes, pod creation
// at a fixed number of requests in flight, and a watch that timestamps each pod's binding as this
// process sees it. Everything goes through the public API over HTTPS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, spawnServer, tempDir, type ServerProcess } from '../test/support/server.js';
import { Client, transportFromKubeconfig, type WatchEvent } from '../src/client/index.js';
import { namespaces, nodes, pods, type KubeObject, type Pod } from '../src/api/index.js';
import { HollowNodes } from '../src/kubelet/index.js';
import { NODE_TEMPLATE, ZONE, ZONE_LABEL } from './scheduler-perf-workloads.js';

const CLOCK_TICKS = 100; // USER_HZ on Linux

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** User + system CPU seconds consumed so far by `pid`. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Runs `fn` for 0 … count-1 with at most `inFlight` calls pending at once. */
export async function inParallel(count: number, inFlight: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, async () => {
    while (next < count) await fn(next++);
  }));
}

export type NodeMode = 'hollow' | 'static';
/** Where the scheduler runs: its own `capstan scheduler` process, or inside `capstan server`. */
export type SchedulerMode = 'process' | 'in-server' | 'none';

export interface Cluster {
  server: ServerProcess;
  /** The `capstan scheduler` child (SchedulerMode 'process', or after startSchedulerProcess). */
  scheduler?: ChildProcess;
  /**
   * Starts a `capstan scheduler` child (for a cluster started with scheduler 'none'); resolves
   * with the time (performance.now()) it reported leading, i.e. began scheduling.
   */
  startSchedulerProcess(): Promise<number>;
  client: Client;
  nodeNames: string[];
  /** Stops the nodes, the server and removes the data dir; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a server child (SQLite) and registers `nodeCount` nodes: hollow kubelets in this process
 * (leases, node status, pods reported Running) or, in `static` mode, bare Ready Node objects as
 * upstream scheduler_perf creates them (no kubelet traffic at all). The scheduler runs as its own
 * process, inside the server, or not at all ('none': start it later with startSchedulerProcess).
 */
export async function startCluster(opts: { nodeCount: number; mode: NodeMode; scheduler: SchedulerMode; inFlight: number; nodeGroups?: Record<string, string>[] }): Promise<Cluster> {
  const dir = tempDir('capstan-sched-perf-');
  // As upstream scheduler_perf: no controllers, only the API server (and the scheduler).
  const flags = ['--disable-agent', '--disable-controller-manager', ...(opts.scheduler === 'in-server' ? [] : ['--disable-scheduler'])];
  const server = await spawnServer(dir.path, 0, flags).catch((e: unknown) => {
    dir.remove();
    throw e;
  });
  let scheduler: ChildProcess | undefined;
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'scheduler-perf', maxSockets: opts.inFlight }));
  const stopNodes = new AbortController();
  let simClient: Client | undefined;
  let simRunning: Promise<void> | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    stopNodes.abort();
    await terminate(scheduler);
    await simRunning?.catch(() => undefined);
    simClient?.close();
    client.close();
    await server.terminate();
    dir.remove();
  };
  try {
    // Nodes are split evenly over the label groups: group g holds `node-<g>-0` … (hollow) or
    // every node whose index ≡ g (static); either way `nodeNames` lists them all.
    const groups = opts.nodeGroups?.length ? opts.nodeGroups : [{ [ZONE_LABEL]: ZONE }];
    const perGroup = groups.map((_, g) => Math.floor(opts.nodeCount / groups.length) + (g < opts.nodeCount % groups.length ? 1 : 0));
    const nodeNames = groups.flatMap((_, g) => Array.from({ length: perGroup[g]! }, (_, i) => `node-${g}-${i}`));
    if (opts.mode === 'hollow') {
      simClient = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'capstan-sim' }));
      const sims = groups.map((labels, g) => new HollowNodes(simClient!, {
        count: perGroup[g]!, namePrefix: `node-${g}-`, cpu: NODE_TEMPLATE.cpu, memory: NODE_TEMPLATE.memory, pods: NODE_TEMPLATE.pods,
        ephemeralStorage: NODE_TEMPLATE.ephemeralStorage, labels,
      }));
      simRunning = Promise.all(sims.map((sim) => sim.start(stopNodes.signal))).then(() => undefined);
      await Promise.all(sims.map((sim) => sim.whenRegistered()));
    } else {
      const labelsOf = new Map<string, Record<string, string>>(groups.flatMap((labels, g) => Array.from({ length: perGroup[g]! }, (_, i) => [`node-${g}-${i}`, labels] as [string, Record<string, string>])));
      await inParallel(nodeNames.length, opts.inFlight, (i) => createStaticNode(client, nodeNames[i]!, labelsOf.get(nodeNames[i]!)!));
    }
    const cluster: Cluster = {
      server, client, nodeNames, stop,
      async startSchedulerProcess() {
        if (scheduler) throw new Error('a scheduler process is running already');
        scheduler = await startScheduler(server.kubeconfig);
        cluster.scheduler = scheduler;
        return performance.now();
      },
    };
    if (opts.scheduler === 'process') await cluster.startSchedulerProcess();
    return cluster;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `capstan scheduler --kubeconfig …` (leader-elected, as deployed); resolves once it leads. */
async function startScheduler(kubeconfig: string): Promise<ChildProcess> {
  const nodeArgs = (process.env.CAPSTAN_SCHEDULER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawnCapstan(['scheduler', '--kubeconfig', kubeconfig], /leading|became leader|started leading/i, nodeArgs);
}

/**
 * Starts `capstan <args…>` as a child and resolves once its stderr matches `ready` (rejects if it
 * exits first or after 60 s). Its stderr keeps being drained so the child never blocks on it.
 */
export async function spawnCapstan(args: string[], ready: RegExp, nodeArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, 'bin', 'capstan'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`capstan ${args[0]} not ready:\n${stderr}`)), 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`capstan ${args[0]} exited with ${code}:\n${stderr}`));
    };
    child.stderr!.on('data', (d: string) => {
      if (stderr.length < 1_000_000) stderr += d;
      if (ready.test(stderr)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
    child.once('exit', onExit);
  });
  return child;
}

/** SIGTERM to a child and wait for its exit (no-op if it is gone). */
export async function terminate(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function createStaticNode(client: Client, name: string, labels: Record<string, string>): Promise<void> {
  const api = client.resource(nodes);
  await api.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } } } as KubeObject);
  const resources = { cpu: NODE_TEMPLATE.cpu, memory: NODE_TEMPLATE.memory, pods: NODE_TEMPLATE.pods, 'ephemeral-storage': NODE_TEMPLATE.ephemeralStorage };
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await api.patch('', name, 'merge', {
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] },
  }, 'status');
}

export async function createNamespace(client: Client, name: string): Promise<void> {
  await client.resource(namespaces).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
}

/** Creates pods at `inFlight` concurrent requests; calls `created(name, ms)` when each is acknowledged. */
export async function createPods(client: Client, ns: string, names: string[], manifest: (name: string) => object, inFlight: number, created?: (name: string, at: number) => void): Promise<void> {
  const api = client.resource(pods);
  await inParallel(names.length, inFlight, async (i) => {
    await api.create(ns, manifest(names[i]!) as KubeObject);
    created?.(names[i]!, performance.now());
  });
}

/**
 * Watches one namespace's pods from the current revision and records when each pod was first
 * seen with spec.nodeName set. Reconnects after the server ends a watch; start before creating.
 */
export class BindingWatcher {
  readonly boundAt = new Map<string, number>();
  private readonly stopSignal = new AbortController();
  private running: Promise<void> | undefined;
  private waiters: { count: number; resolve(): void }[] = [];

  /** Only pods whose name passes `only` are recorded (e.g. the measured ones, not earlier pods). */
  constructor(private readonly client: Client, private readonly ns: string, private readonly only: (name: string) => boolean = () => true) {}

  async start(): Promise<void> {
    const api = this.client.resource(pods);
    let rv = (await api.list(this.ns, { limit: 1 })).metadata.resourceVersion ?? '';
    const onEvent = (e: WatchEvent) => {
      rv = e.object.metadata?.resourceVersion ?? rv;
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
      const pod = e.object as Pod;
      const name = pod.metadata?.name;
      if (name && pod.spec?.nodeName && !this.boundAt.has(name) && this.only(name)) this.record(name);
    };
    this.running = (async () => {
      while (!this.stopSignal.signal.aborted) {
        try {
          await api.watch(this.ns, { resourceVersion: rv, allowWatchBookmarks: true }, onEvent, this.stopSignal.signal);
        } catch (e) {
          if (this.stopSignal.signal.aborted) return;
          process.stderr.write(`watch ${this.ns}: ${(e as Error).message}; restarting\n`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    })();
  }

  private record(name: string): void {
    this.boundAt.set(name, performance.now());
    this.waiters = this.waiters.filter((w) => {
      if (this.boundAt.size < w.count) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once `count` pods of the namespace were seen bound; rejects after `timeoutMs`. */
  waitForBound(count: number, timeoutMs: number): Promise<void> {
    if (this.boundAt.size >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.boundAt.size}/${count} pods bound in ${this.ns} after ${timeoutMs / 1000} s`)), timeoutMs);
      this.waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.running;
  }
}
