// nftables proxy backend benchmark (not a test; root): for 1, 100, 1,000 and 5,000 service ports
// (3 endpoints each, one in five with a NodePort, one in ten with sessionAffinity), in a fresh
// network namespace per size, times
//   - the first full sync (the table deleted and recreated in one transaction),
//   - the hourly full rewrite of the same state (flushed and rewritten in place),
//   - the periodic resync ('all' between rewrites: drift probe + diff of every port, nothing changed),
//   - an incremental sync after one endpoint of one service port changed (one transaction),
// each through `createNftablesBackend().sync` (rule generation + `nft -f -`). Removes the netns.
// Run: node --import tsx bench/proxy-nft-sync.ts [sizes, default 1,100,1000,5000] [incremental runs, default 21]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createNftablesBackend, DEFAULT_FULL_REWRITE_PERIOD_MS } from '../src/network/proxy/nftables/index.js';
import type { EndpointInfo, ProxyState, ServicePortInfo } from '../src/network/proxy/model.js';

const sizes = (process.argv[2] ?? '1,100,1000,5000').split(',').map(Number);
const incrementalRuns = Number(process.argv[3] ?? 21);

function endpointsOf(i: number, generation: number): EndpointInfo[] {
  return [0, 1, 2].map((j) => ({
    ip: `10.42.${(i * 3 + j) >> 8 & 255}.${(i * 3 + j) & 255}`,
    port: 8080 + (j === 2 ? generation % 1000 : 0),
    ready: true, serving: true, terminating: false, isLocal: j === 0,
  }));
}

function servicePort(i: number): ServicePortInfo {
  return {
    key: `bench-${i % 50}/svc-${i}:http/TCP`, namespace: `bench-${i % 50}`, name: `svc-${i}`, portName: 'http', protocol: 'TCP',
    clusterIPs: [`10.43.${i >> 8 & 255}.${i & 255}`], port: 80,
    nodePort: i % 5 === 0 ? 30000 + (i % 2768) : undefined,
    externalIPs: [], loadBalancerIPs: [],
    sessionAffinityTimeoutSeconds: i % 10 === 3 ? 10800 : undefined,
    internalTrafficLocal: false, externalTrafficLocal: false,
    endpoints: endpointsOf(i, 0),
  };
}

function stats(samples: number[]): { p50: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]! };
}

/** CPU time of this process and its waited-for children (nft), ms; /proc ticks are 10 ms, so only sums are meaningful. */
function cpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const childTicks = Number(fields[13]) + Number(fields[14]); // cutime, cstime
  const own = process.cpuUsage();
  return childTicks * 10 + (own.user + own.system) / 1000;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const rows: string[] = [];
for (const size of sizes) {
  const netns = `capt-nftbench-${size}-${process.pid}`;
  execFileSync('ip', ['netns', 'add', netns]);
  try {
    let clock = 0;
    const backend = createNftablesBackend({ netns, now: () => clock });
    const ports = Array.from({ length: size }, (_, i) => servicePort(i));
    const state: ProxyState = {
      nodeName: 'bench', nodeIPs: ['192.168.77.1'], clusterCIDRs: ['10.42.0.0/16'],
      servicePorts: new Map(ports.map((p) => [p.key, p])),
    };
    const first = await timed(() => backend.sync(state, 'all'));
    const rewrites: number[] = [];
    for (let r = 0; r < (size >= 5000 ? 2 : 3); r++) {
      clock += DEFAULT_FULL_REWRITE_PERIOD_MS;
      rewrites.push(await timed(() => backend.sync(state, 'all')));
    }
    const resyncs: number[] = [];
    for (let r = 0; r < 5; r++) resyncs.push(await timed(() => backend.sync(state, 'all')));
    const incremental: number[] = [];
    const cpuBefore = cpuMs();
    for (let r = 1; r <= incrementalRuns; r++) {
      const i = (r * 7919) % size;
      const sp = { ...ports[i]!, endpoints: endpointsOf(i, r) };
      state.servicePorts.set(sp.key, sp);
      incremental.push(await timed(() => backend.sync(state, new Set([sp.key]))));
    }
    const incrementalCpu = (cpuMs() - cpuBefore) / incrementalRuns;
    const chains = execFileSync('ip', ['netns', 'exec', netns, 'nft', 'list', 'chains', 'ip'], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .split('\n').filter((l) => l.trim().startsWith('chain ')).length;
    await backend.cleanup();
    const inc = stats(incremental);
    rows.push([
      String(size).padStart(6), String(chains).padStart(7), first.toFixed(0).padStart(9),
      stats(rewrites).p50.toFixed(0).padStart(11), stats(resyncs).p50.toFixed(0).padStart(10),
      inc.p50.toFixed(1).padStart(9), inc.p99.toFixed(1).padStart(9),
      incrementalCpu.toFixed(1).padStart(12),
    ].join(' | '));
    process.stderr.write(`${size} service ports done\n`);
  } finally {
    execFileSync('ip', ['netns', 'del', netns]);
  }
}

process.stdout.write([
  `nftables backend sync, 3 endpoints per service port; incremental = one endpoint of one port changed (${incrementalRuns} runs)`,
  ' ports |  chains | first ms | rewrite ms | resync ms | incr p50 | incr p99 | incr cpu ms',
  ...rows, '',
].join('\n'));
