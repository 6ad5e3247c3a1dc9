// iptables proxy backend sync benchmark (not a test; root): inside a network namespace of its own
// (`capt-iptb-<pid>`), programs N ClusterIP service ports with 3 endpoints each (and every tenth
// with a NodePort) and times
//   - the first full sync (empty tables: iptables-save + one iptables-restore),
//   - a full resync over the rules already there, nothing drifted (what the periodic resync costs:
//     one iptables-save, no restore), and one after the incremental syncs below (it rewrites the
//     chains those touched, whose kernel copy it has not read back yet),
//   - incremental syncs: one port's endpoints change, sync(changed={key}) (the dispatch chains are
//     rewritten whole each time, as upstream's partial sync does),
//   - cleanup().
// The namespace is deleted at the end, even after a failure; nothing outside it is touched.
// Run: node --import tsx bench/proxy-ipt-sync.ts [sizes, default 1,100,1000,5000] [incremental runs, default 10]
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createIptablesBackend } from '../src/network/proxy/iptables/index.js';
import type { ProxyState, ServicePortInfo } from '../src/network/proxy/model.js';

const sizes = (process.argv[2] ?? '1,100,1000,5000').split(',').map(Number);
const runs = Number(process.argv[3] ?? 10);
const ns = `capt-iptb-${process.pid}`;

function servicePort(i: number, generation = 0): ServicePortInfo {
  const ip = `10.43.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  return {
    key: `bench/svc-${i}:http/TCP`, namespace: 'bench', name: `svc-${i}`, portName: 'http', protocol: 'TCP', clusterIPs: [ip], port: 80,
    nodePort: i % 10 === 0 ? 30000 + (i % 2700) : undefined, externalIPs: [], loadBalancerIPs: [], internalTrafficLocal: false, externalTrafficLocal: false,
    endpoints: [0, 1, 2].map((e) => ({
      ip: `10.42.${(i * 3 + e + generation) % 250}.${Math.floor((i * 3 + e) / 250) % 250 + 2}`, port: 8080,
      ready: true, serving: true, terminating: false, isLocal: e === 0, nodeName: e === 0 ? 'n1' : 'n2',
    })),
  };
}

function stateOf(n: number): ProxyState {
  const servicePorts = new Map<string, ServicePortInfo>();
  for (let i = 0; i < n; i++) {
    const sp = servicePort(i);
    servicePorts.set(sp.key, sp);
  }
  return { nodeName: 'n1', nodeIPs: ['10.99.0.1'], clusterCIDRs: ['10.42.0.0/16'], servicePorts };
}

function quantile(samples: number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

const rows: string[] = [];
execFileSync('ip', ['netns', 'add', ns]);
try {
  for (const n of sizes) {
    const backend = createIptablesBackend({ netns: ns });
    const state = stateOf(n);
    const first = await timed(() => backend.sync(state, 'all'));
    const resync = await timed(() => backend.sync(state, 'all'));
    const incremental: number[] = [];
    const drain: number[] = [];
    const iterations = n >= 5000 ? Math.min(runs, 20) : runs;
    for (let r = 1; r <= iterations; r++) {
      const i = (r * 7919) % n;
      const sp = servicePort(i, r);
      state.servicePorts.set(sp.key, sp);
      incremental.push(await timed(() => backend.sync(state, new Set([sp.key]))));
      const j = (r * 104729 + 1) % n;
      const drained = { ...servicePort(j), endpoints: [] };
      state.servicePorts.set(drained.key, drained);
      drain.push(await timed(() => backend.sync(state, new Set([drained.key]))));
      state.servicePorts.set(drained.key, servicePort(j));
      await backend.sync(state, new Set([drained.key]));
    }
    const resyncAfter = await timed(() => backend.sync(state, 'all'));
    const rules = execFileSync('ip', ['netns', 'exec', ns, 'iptables-save', '-t', 'nat'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n').filter((l) => l.startsWith('-A ')).length;
    const cleanup = await timed(() => backend.cleanup());
    rows.push(`| ${n} | ${rules} | ${first.toFixed(0)} | ${resync.toFixed(0)} | ${resyncAfter.toFixed(0)} | ${quantile(incremental, 0.5).toFixed(0)} | ${quantile(incremental, 0.99).toFixed(0)} | ${quantile(drain, 0.5).toFixed(0)} | ${quantile(drain, 0.99).toFixed(0)} | ${iterations} | ${cleanup.toFixed(0)} |`);
    console.error(rows.at(-1));
  }
} finally {
  execFileSync('ip', ['netns', 'delete', ns]);
}
const variant = execFileSync('iptables', ['--version'], { encoding: 'utf8' }).trim();
console.log(`iptables proxy backend sync, 3 endpoints per port, ${variant} (times in ms)`);
console.log('| service ports | nat rules | first full sync | full resync | resync after incrementals | endpoints move p50 | p99 | drain to zero p50 | p99 | runs | cleanup |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
