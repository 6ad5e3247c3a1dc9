// CNI ADD/DEL benchmark (not a test; root): times CniNetwork.setUp (loopback + bridge/host-local
// + portmap) and tearDown for N sandboxes one at a time, each in a fresh network namespace of its
// own, on a private bridge and 10.250.X.0/24: once with one hostPort per sandbox (portmap writes
// nat rules), once without (portmap passes the result through). Removes everything it made.
// Run: node --import tsx bench/cni-bench.ts [iterations, default 20]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CniNetwork } from '../src/network/index.js';

const iterations = Number(process.argv[2] ?? 20);
const suffix = randomBytes(3).toString('hex');
const dataDir = mkdtempSync(path.join(tmpdir(), 'capstan-cni-bench-'));
const routes = execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' });
let x = 1 + Math.floor(Math.random() * 253);
while (routes.includes(`10.250.${x}.`)) x = 1 + Math.floor(Math.random() * 253);
const network = new CniNetwork({ dataDir, podCIDR: `10.250.${x}.0/24`, bridgeName: `cpb-${suffix}`, networkName: `capstan-b-${suffix}` });
const ipForwardBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `p50 ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
}

async function measure(withHostPort: boolean): Promise<{ add: number[]; del: number[] }> {
  const add: number[] = [];
  const del: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const ns = `capstan-b-${suffix}-${i}`;
    execFileSync('ip', ['netns', 'add', ns]);
    const request = {
      sandboxId: `bench-${suffix}-${i}`, name: `p${i}`, namespace: 'default', uid: `u${i}`, netnsPath: `/var/run/netns/${ns}`,
      portMappings: withHostPort ? [{ protocol: 'TCP' as const, containerPort: 80, hostPort: 30000 + i }] : [],
    };
    try {
      let t = performance.now();
      await network.setUp(request);
      add.push(performance.now() - t);
      t = performance.now();
      await network.tearDown(request);
      del.push(performance.now() - t);
    } finally {
      execFileSync('ip', ['netns', 'delete', ns]);
    }
  }
  return { add, del };
}

try {
  for (const withHostPort of [true, false]) {
    const { add, del } = await measure(withHostPort);
    const what = withHostPort ? 'with one hostPort' : 'no hostPort';
    console.log(`CNI ADD loopback+bridge+portmap, ${what}, ${iterations} sandboxes: ${stats(add)}`);
    console.log(`CNI DEL portmap+bridge+loopback, ${what}, ${iterations} sandboxes: ${stats(del)}`);
  }
} finally {
  const problems = await network.cleanup();
  if (problems.length) console.error('cleanup:', problems);
  rmSync(dataDir, { recursive: true, force: true });
  if (ipForwardBefore === '0') writeFileSync('/proc/sys/net/ipv4/ip_forward', '0');
}
