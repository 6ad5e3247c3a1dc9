// Network programming latency (not a test; root): the time from an EndpointSlice change to the
// new rule serving traffic, end to end through a real `capstan server` child and a real
// `capstan proxy --netns` child programming a network namespace of this benchmark's own.
//
// Setup: the API server alone (no agent, scheduler or controllers: the Services have no selector
// and their EndpointSlices are written here); a namespace holding four listeners A, B, C, D
// (10.99.1.1-4:8080, each answering a connection with its identity) and a probe. Each Service has
// 2 endpoints, {A,B} or {C,D}. For N Services (cumulative: 1, 100, 1,000, 5,000) and each proxy
// mode, the proxy is (re)started (its first full sync is timed), then for each sample one random
// Service's slice is switched to the other pair and the clock runs from just before the PATCH until
// a connection to its ClusterIP from inside the namespace (retried every 2 ms) first answers from
// the new pair. At the largest N the proxy's next periodic full resync (--sync-period, default
// 30 s) is timed as well. Prints a markdown table; removes everything it made.
//
// Run: node --import tsx bench/proxy-perf.ts [--sizes 1,100,1000,5000] [--samples 40] [--modes nftables,iptables]
// Needs the built CLI: rm -rf dist && npx tsc -p tsconfig.json
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Client, transportFromKubeconfig } from '../src/client/index.js';
import type { KubeObject } from '../src/api/index.js';
import { REPO_ROOT, spawnServer, tempDir } from '../test/support/server.js';
import { createProxyNetns, NETNS_NODE_IP, startEchoProbe, type EchoProbe, type ProxyNetns } from '../test/support/proxy-netns.js';

const exec = promisify(execFile);
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };
const LISTENER_IPS = ['10.99.1.1', '10.99.1.2', '10.99.1.3', '10.99.1.4'];
const LISTENERS = LISTENER_IPS.map((ip) => `${ip}:8080`);
const PAIRS = [[LISTENERS[0]!, LISTENERS[1]!], [LISTENERS[2]!, LISTENERS[3]!]];
const NS = 'default';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1,100,1000,5000' }, samples: { type: 'string', default: '40' }, modes: { type: 'string', default: 'nftables' } },
});
const sizes = values.sizes!.split(',').map(Number);
const samples = Number(values.samples);
const modes = values.modes!.split(',');

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function slice(i: number, pair: number): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: NS, name: `s-${i}-manual`, labels: { 'kubernetes.io/service-name': `s-${i}` } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: endpointsOf(pair),
  } as KubeObject;
}

function endpointsOf(pair: number) {
  return PAIRS[pair]!.map((l) => ({ addresses: [l.split(':')[0]!], conditions: { ready: true }, nodeName: 'bench-node' }));
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

interface ProxyProcess { child: ChildProcess; logs(): string; readyMs: number; exited: Promise<void> }

async function startProxy(kubeconfig: string, netns: string, mode: string): Promise<ProxyProcess> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'proxy', '--kubeconfig', kubeconfig, '--node-name', 'bench-node',
    '--proxy-mode', mode, '--netns', netns, '--node-ip', NETNS_NODE_IP, '--v', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`proxy not ready:\n${stderr}`)), 300_000);
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      if (/full sync:/.test(stderr)) { clearTimeout(t); resolve(); }
    });
    void exited.then(() => { clearTimeout(t); reject(new Error(`proxy exited:\n${stderr}`)); });
  });
  return { child, logs: () => stderr, readyMs: performance.now() - t0, exited };
}

async function stopProxy(p: ProxyProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  await p.exited;
}

/** The proxy core's part (ms) of each logged incremental sync (rebuild + diff, without the backend), from `--v 2`. */
function incrementalSyncs(logs: string): number[] {
  return [...logs.matchAll(/(?:^|\s)sync: \d+ changed service ports in ([\d.]+) ms \(backend ([\d.]+) ms\)/g)].map((m) => Number(m[1]) - Number(m[2]));
}

/** Durations (ms) of the proxy's logged full syncs. */
function fullSyncs(logs: string): number[] {
  return [...logs.matchAll(/full sync: \d+ service ports in ([\d.]+) ms/g)].map((m) => Number(m[1]));
}

/** The backend's part (ms) of each logged incremental sync. */
function backendSyncs(logs: string): number[] {
  return [...logs.matchAll(/(?:^|\s)sync: \d+ changed service ports in [\d.]+ ms \(backend ([\d.]+) ms\)/g)].map((m) => Number(m[1]));
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('proxy-perf needs root (network namespaces, nftables)');
  const dir = tempDir('capstan-proxy-perf-');
  const server = await spawnServer(dir.path, 0, ['--disable-agent', '--disable-scheduler', '--disable-controller-manager']);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'proxy-perf', maxSockets: 32 }));
  let ns: ProxyNetns | undefined;
  let probe: EchoProbe | undefined;
  let proxy: ProxyProcess | undefined;
  const rows: string[] = [];
  const vips: string[] = [];
  const pairOf: number[] = [];
  try {
    ns = await createProxyNetns('pp', LISTENER_IPS);
    probe = await startEchoProbe(ns.name, LISTENERS);
    for (const n of sizes) {
      const t0 = performance.now();
      const todo = Array.from({ length: Math.max(0, n - vips.length) }, (_, k) => vips.length + k);
      await pool(todo, 32, async (i) => {
        const svc = await client.resource(SERVICES).create(NS, { metadata: { name: `s-${i}` }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as KubeObject) as any;
        await client.resource(SLICES).create(NS, slice(i, 0));
        vips[i] = svc.spec.clusterIP;
        pairOf[i] = 0;
      });
      console.error(`${n} services in place (${todo.length} created in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      for (const mode of modes) {
        proxy = await startProxy(server.kubeconfig, ns.name, mode);
        const firstSync = fullSyncs(proxy.logs())[0]!;
        const rss = rssMiB(proxy.child.pid!);
        const last = n - 1;
        const check = await probe.waitFor(vips[last]!, 80, PAIRS[pairOf[last]!]!, 30_000);
        if (check.value.startsWith('TIMEOUT')) throw new Error(`${mode}: service s-${last} not served: ${check.value}`);
        const lat: number[] = [];
        const syncsBefore = incrementalSyncs(proxy.logs()).length;
        const backendBefore = backendSyncs(proxy.logs()).length;
        let failures = 0;
        for (let k = 0; k < samples; k++) {
          const i = Math.floor(Math.random() * n);
          const next = 1 - pairOf[i]!;
          const answered = probe.waitFor(vips[i]!, 80, PAIRS[next]!, 30_000);
          const start = performance.now();
          await client.resource(SLICES).patch(NS, `s-${i}-manual`, 'merge', { endpoints: endpointsOf(next) });
          const r = await answered;
          const ms = performance.now() - start;
          pairOf[i] = next;
          if (r.value.startsWith('TIMEOUT')) failures++;
          else lat.push(ms);
          await new Promise((res) => setTimeout(res, 25));
        }
        lat.sort((a, b) => a - b);
        const core = incrementalSyncs(proxy.logs()).slice(syncsBefore).sort((a, b) => a - b);
        const backend = backendSyncs(proxy.logs()).slice(backendBefore).sort((a, b) => a - b);
        let periodic = '';
        if (n === Math.max(...sizes)) {
          const before = fullSyncs(proxy.logs()).length;
          const deadline = Date.now() + 70_000;
          while (fullSyncs(proxy.logs()).length === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
          const all = fullSyncs(proxy.logs());
          periodic = all.length > before ? `${all[all.length - 1]!.toFixed(0)} ms` : 'not seen in 70 s';
        }
        const row = `| ${mode} | ${n} | ${pct(lat, 50).toFixed(1)} ms | ${pct(lat, 99).toFixed(1)} ms | ${(lat.at(-1) ?? NaN).toFixed(1)} ms | ${lat.length}${failures ? ` (+${failures} timed out)` : ''} | ${pct(core, 50).toFixed(1)} / ${pct(core, 99).toFixed(1)} ms | ${pct(backend, 50).toFixed(1)} / ${pct(backend, 99).toFixed(1)} ms | ${firstSync.toFixed(0)} ms | ${(proxy.readyMs / 1000).toFixed(2)} s | ${periodic || '—'} | ${rss.toFixed(0)} MiB |`;
        console.error(row);
        rows.push(row);
        await stopProxy(proxy);
        proxy = undefined;
        await exec(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'proxy', '--cleanup', '--netns', ns.name]);
      }
    }
  } finally {
    await stopProxy(proxy);
    await probe?.stop().catch(() => undefined);
    await ns?.remove();
    client.close();
    await server.terminate();
    dir.remove();
  }
  console.log('| mode | Services | p50 | p99 | max | samples | proxy core per sync p50 / p99 | backend per sync p50 / p99 | first full sync (logged) | proxy start → rules in place | periodic full resync | proxy RSS at start |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
