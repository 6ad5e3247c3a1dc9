// Cluster DNS benchmark (not a test; root): Debian's dnsperf queries the cluster DNS server "from
// a pod": the server runs in a network namespace of its own, dnsperf in another, joined by a veth
// pair on a 10.253.X.0/30 link that exists only between the two namespaces (nothing in the host
// namespace changes; no traffic leaves them). The server holds 1,000 Services (a zone fed without an
// API server) and forwards other names to a fake upstream on the server namespace's loopback.
//
// Cases: Service A lookups (`web-<i>.ns-<j>.svc.cluster.local`), a pod's search-path miss (the
// NXDOMAIN a ndots:5 resolver asks first), cached forwarded names, and a floor (a bare Node UDP
// echo on the same path) that shows how much of the tail is the machine rather than the server. For each, one run at full
// speed (throughput) and one at a fixed rate with per-query output (`-v`), from which p50/p99/p99.9
// are computed (dnsperf 2.10 prints only average and stddev itself).
// Run: node --import tsx bench/dns-perf.ts [seconds per run, default 10] [rate for the latency runs, default 20000]
// Everything it creates is removed on exit, also after a failure.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import dnsPacket from 'dns-packet';
import type { Service } from '../src/api/index.js';
import { ClusterZone, DnsServer } from '../src/network/index.js';

const SERVICES = 1000;
const NAMESPACES = 10;
const FORWARDED_NAMES = 100;

/** `serve <host>`: the server side, run inside the server namespace by the driver below. */
async function serve(host: string): Promise<void> {
  const upstream = dgram.createSocket('udp4');
  upstream.on('message', (m, r) => {
    const q = dnsPacket.decode(m);
    const name = q.questions![0].name;
    upstream.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: q.questions, answers: [{ name, type: 'A', ttl: 300, data: '192.0.2.7' }] }), r.port, r.address);
  });
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  const zone = new ClusterZone();
  for (let i = 0; i < SERVICES; i++) {
    const ns = `ns-${i % NAMESPACES}`;
    zone.setService(`${ns}/web-${i}`, { metadata: { namespace: ns, name: `web-${i}` }, spec: { clusterIP: `10.43.${i >> 8}.${i & 0xff}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } } as Service);
  }
  const server = new DnsServer({ zone, listen: [{ host, port: 53 }], upstreams: [{ host: '127.0.0.1', port: upstream.address().port }] });
  await server.start();
  // The floor: a bare Node UDP responder (echoes the query as a response) on port 5353, to tell
  // the machine's own tail latency from the server's.
  const floor = dgram.createSocket('udp4');
  floor.on('message', (m, r) => { const out = Buffer.from(m); out[2] |= 0x80; floor.send(out, r.port, r.address); });
  await new Promise<void>((r) => floor.bind(5353, host, () => r()));
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await server.stop();
  upstream.close();
  floor.close();
}

interface RunResult { qps: number; avgMs: number; lost: number; sent: number; latenciesMs: number[] }

function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const rate = Number(process.argv[3] ?? 20000);
  const tag = `${process.pid}`;
  const nsServer = `capt-dnsb-s-${tag}`;
  const nsClient = `capt-dnsb-c-${tag}`;
  const x = 1 + (process.pid % 250);
  const serverIP = `10.253.${x}.1`;
  const clientIP = `10.253.${x}.2`;
  const dir = mkdtempSync(path.join(tmpdir(), 'capstan-dns-bench-'));
  let child: ChildProcess | undefined;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const cleanup = () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    for (const ns of [nsServer, nsClient]) { try { ip('netns', 'del', ns); } catch { /* absent */ } }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => { cleanup(); process.exit(130); });
  try {
    ip('netns', 'add', nsServer);
    ip('netns', 'add', nsClient);
    ip('-n', nsServer, 'link', 'add', 'dnsb0', 'type', 'veth', 'peer', 'name', 'dnsb1', 'netns', nsClient);
    ip('-n', nsServer, 'addr', 'add', `${serverIP}/30`, 'dev', 'dnsb0');
    ip('-n', nsClient, 'addr', 'add', `${clientIP}/30`, 'dev', 'dnsb1');
    for (const [ns, dev] of [[nsServer, 'dnsb0'], [nsClient, 'dnsb1']]) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
    child = spawn('ip', ['netns', 'exec', nsServer, process.execPath, '--import', 'tsx', import.meta.filename, 'serve', serverIP], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      child!.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const services = Array.from({ length: SERVICES }, (_, i) => `web-${i}.ns-${i % NAMESPACES}.svc.cluster.local A`);
    const files: Record<string, [string[], number]> = {
      'Service A (1,000 Services)': [services, 53],
      'search-path miss (NXDOMAIN)': [Array.from({ length: SERVICES }, (_, i) => `web-${i}.ns-${i % NAMESPACES}.svc.cluster.local.ns-${i % NAMESPACES}.svc.cluster.local A`), 53],
      'forwarded, cached': [Array.from({ length: FORWARDED_NAMES }, (_, i) => `host-${i}.upstream.test A`), 53],
      'floor: bare Node UDP echo': [services, 5353],
    };
    const run = (file: string, port: number, args: string[], verbose: boolean): RunResult => {
      const out = execFileSync('ip', ['netns', 'exec', nsClient, 'dnsperf', '-s', serverIP, '-p', String(port), '-d', file, '-l', String(seconds), '-c', '4', ...args, ...(verbose ? ['-v'] : [])], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
      const latenciesMs: number[] = [];
      if (verbose) for (const m of out.matchAll(/^> \S+ \S+ \S+ ([\d.]+)$/gm)) latenciesMs.push(Number(m[1]) * 1000);
      return {
        qps: num(/Queries per second:\s+([\d.]+)/), avgMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
        sent: num(/Queries sent:\s+(\d+)/), lost: num(/Queries lost:\s+(\d+)/), latenciesMs,
      };
    };
    const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`cluster DNS, dnsperf from another netns over a veth, ${seconds} s per run, latency runs at ${rate} qps; ${new Date().toISOString()}, load average ${load()}`);
    console.log('| case | max qps (lost) | avg at max | qps at fixed rate | p50 | p95 | p99 | p99.9 | > 5 ms | lost |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const [caseName, [lines, port]] of Object.entries(files)) {
      const file = path.join(dir, `${caseName.replace(/\W+/g, '-')}.txt`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const full = run(file, port, ['-q', '64'], false);
      const fixed = run(file, port, ['-q', '64', '-Q', String(rate)], true);
      const s = fixed.latenciesMs.sort((a, b) => a - b);
      const ms = (v: number) => `${v.toFixed(2)} ms`;
      const over = s.length ? (100 * s.filter((v) => v > 5).length / s.length).toFixed(2) : 'n/a';
      console.log(`| ${caseName} | ${Math.round(full.qps)} (${full.lost}) | ${ms(full.avgMs)} | ${Math.round(fixed.qps)} | ${ms(percentile(s, 0.5))} | ${ms(percentile(s, 0.95))} | ${ms(percentile(s, 0.99))} | ${ms(percentile(s, 0.999))} | ${over} % | ${fixed.lost}/${fixed.sent} |`);
    }
    console.log(`load average at the end ${load()}`);
  } finally {
    cleanup();
  }
}

if (process.argv[2] === 'serve') {
  serve(process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
} else {
  main().catch((e) => { console.error(e); process.exitCode = 1; });
}
