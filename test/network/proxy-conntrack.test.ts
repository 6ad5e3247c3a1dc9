// Stale UDP conntrack entries after proxy syncs (root; kube-proxy's conntrack cleanup): the proxy
// runs in this process against an in-process API server and programs its rules inside a network
// namespace of this test's own, where two UDP listeners (A, B) answer every datagram with their
// identity and a client sends a datagram every 20 ms from one fixed source port, so all of its
// datagrams are one conntrack entry.
// - A UDP Service on A, switched to B: the client's datagrams reach B within a second (the entry
//   NATed to A was deleted), for each proxy mode. The control without the cleaner shows the flow
//   would otherwise stay on A.
// - A UDP Service with no endpoints that gets one: the client, sending all along, reaches it.
// - Endpoints changed while no proxy ran: the restarted proxy's first sync (which lists the
//   kernel's entries, having no previous state) clears the flow still NATed to the old endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Client, loopbackTransport } from '../../src/client/index.js';
import type { KubeObject } from '../../src/api/index.js';
import { cleanupProxyRules, createBackend, Proxier, startProxy, type ProxyMode, type SyncInfo } from '../../src/network/proxy/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { canProgramNetns, createProxyNetns, NETNS_NODE_IP, type ProxyNetns } from '../support/proxy-netns.js';

const exec = promisify(execFile);
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };
const A = '10.99.1.1:5353';
const B = '10.99.1.2:5353';

async function prerequisites(): Promise<string | undefined> {
  const netns = await canProgramNetns();
  if (netns) return netns;
  try {
    await exec('conntrack', ['--version']);
  } catch {
    return 'needs the conntrack CLI (Debian package conntrack)';
  }
  try {
    await exec('iptables-restore', ['--version']);
  } catch {
    return 'needs iptables-restore';
  }
  return undefined;
}
const skip = await prerequisites();

// The namespace side (plain JS): UDP listeners that answer with their identity, and clients that
// send "ping" every 20 ms from a fixed source port. stdin: `send <id> <ip> <port> <sport>`,
// `stop <id>`; stdout: `ready`, `started <id>`, `got <id> <identity>` whenever the answer changes.
const HELPER = String.raw`
const dgram = require('node:dgram');
const rl = require('node:readline').createInterface({ input: process.stdin });
const listeners = JSON.parse(process.argv[1]);
let pending = listeners.length;
for (const l of listeners) {
  const [ip, port] = l.split(':');
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(l, r.port, r.address));
  s.bind(Number(port), ip, () => { if (--pending === 0) console.log('ready'); });
}
const clients = new Map();
rl.on('line', (line) => {
  const [cmd, id, ip, port, sport] = line.trim().split(' ');
  if (cmd === 'send') {
    const s = dgram.createSocket('udp4');
    let last = '';
    s.on('message', (m) => { const v = m.toString(); if (v !== last) { last = v; console.log('got ' + id + ' ' + v); } });
    s.on('error', () => {});
    s.bind(Number(sport), () => {
      clients.set(id, { s, t: setInterval(() => s.send('ping', Number(port), ip), 20) });
      console.log('started ' + id);
    });
  } else if (cmd === 'stop') {
    const c = clients.get(id);
    if (c) { clearInterval(c.t); c.s.close(); clients.delete(id); }
  }
});
`;

interface UdpProbe {
  /** Starts a client `id` sending to ip:port from `sport`. */
  send(id: string, ip: string, port: number, sport: number): Promise<void>;
  /** The client's latest answer ('' before any). */
  latest(id: string): string;
  /** Resolves with ms waited once client `id` last heard `value`, or -1 after `timeoutMs`. */
  waitFor(id: string, value: string, timeoutMs: number): Promise<number>;
  stop(id: string): void;
  close(): Promise<void>;
}

async function startUdpProbe(netns: string, listeners: string[]): Promise<UdpProbe> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', HELPER, JSON.stringify(listeners)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const latest = new Map<string, string>();
  const watchers = new Set<() => void>();
  let ready = false;
  const started = new Set<string>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') ready = true;
    const m = /^(got|started) (\S+) ?(.*)$/.exec(line);
    if (m?.[1] === 'got') latest.set(m[2]!, m[3]!);
    if (m?.[1] === 'started') started.add(m[2]!);
    for (const w of [...watchers]) w();
  });
  const until = (ok: () => boolean, timeoutMs: number) => new Promise<number>((resolve) => {
    const t0 = performance.now();
    if (ok()) return resolve(0);
    const done = (v: number) => { watchers.delete(check); clearTimeout(timer); resolve(v); };
    const check = () => { if (ok()) done(performance.now() - t0); };
    const timer = setTimeout(() => done(-1), timeoutMs);
    watchers.add(check);
  });
  const ok = await Promise.race([until(() => ready, 10_000), exited.then(() => -1)]);
  if (ok < 0) throw new Error('the UDP helper did not start');
  return {
    async send(id, ip, port, sport) {
      child.stdin!.write(`send ${id} ${ip} ${port} ${sport}\n`);
      if (await until(() => started.has(id), 5_000) < 0) throw new Error(`client ${id} did not start`);
    },
    latest: (id) => latest.get(id) ?? '',
    waitFor: (id, value, timeoutMs) => until(() => latest.get(id) === value, timeoutMs),
    stop: (id) => { child.stdin!.write(`stop ${id}\n`); },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

let srv: TestServer;
let client: Client;
let ns: ProxyNetns | undefined;
let probe: UdpProbe | undefined;

before(async () => {
  if (skip) return;
  srv = await startTestServer({ memory: true });
  client = new Client(loopbackTransport(srv.api.loopback.bind(srv.api)));
  ns = await createProxyNetns('ct', [A.split(':')[0]!, B.split(':')[0]!]);
  probe = await startUdpProbe(ns.name, [A, B]);
});

after(async () => {
  await probe?.close().catch(() => undefined);
  await ns?.remove();
  client?.close();
  await srv?.stop();
});

function slice(svc: string, endpoints: string[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: `${svc}-manual`, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4', ports: [{ name: 'dns', port: 5353, protocol: 'UDP' }],
    endpoints: endpoints.map((e) => ({ addresses: [e.split(':')[0]!], conditions: { ready: true }, nodeName: 'ct-node' })),
  } as KubeObject;
}

/** Creates a UDP Service `name` (port 53 → 5353) with a manual slice of `endpoints`; returns its VIP. */
async function udpService(name: string, endpoints: string[]): Promise<string> {
  const svc = await client.resource(SERVICES).create('default', {
    metadata: { name }, spec: { ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 }] },
  } as KubeObject) as { spec: { clusterIP: string } };
  await client.resource(SLICES).create('default', slice(name, endpoints));
  return svc.spec.clusterIP;
}

async function setEndpoints(name: string, endpoints: string[]): Promise<void> {
  const current = await client.resource(SLICES).get('default', `${name}-manual`) as KubeObject;
  await client.resource(SLICES).update('default', { ...slice(name, endpoints), metadata: current.metadata });
}

async function flows(vip: string): Promise<string> {
  const { stdout } = await exec('ip', ['netns', 'exec', ns!.name, 'conntrack', '-L', '-p', 'udp', '--orig-dst', vip]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return stdout;
}

interface RunningProxy {
  syncs: SyncInfo[];
  logs: string[];
  /** Stops the proxy; its rules stay (as a stopped proxy leaves them). */
  stopKeepingRules(): Promise<void>;
  /** Stops the proxy and removes every proxy rule from the namespace (idempotent). */
  stop(): Promise<void>;
}

/** Runs the proxy in this process until stop(); `withCleaner: false` builds one without conntrack cleanup. */
async function runProxy(mode: ProxyMode, withCleaner = true): Promise<RunningProxy> {
  const ac = new AbortController();
  const syncs: SyncInfo[] = [];
  const logs: string[] = [];
  const options = {
    client, nodeName: 'ct-node', mode, clusterCIDRs: ['10.42.0.0/16'], nodeIPs: [NETNS_NODE_IP], netns: ns!.name,
    minSyncPeriodMs: 10, log: (m: string) => logs.push(m), onSync: (i: SyncInfo) => syncs.push(i),
  };
  const done = withCleaner
    ? startProxy(options, ac.signal)
    : createBackend(mode, { netns: ns!.name, log: options.log }).then((b) => new Proxier(options, b).start(ac.signal));
  const t0 = Date.now();
  while (!syncs.some((s) => s.full)) {
    if (Date.now() - t0 > 20_000) throw new Error(`proxy did not sync:\n${logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const stopKeepingRules = async () => { ac.abort(); await done; };
  return {
    syncs, logs, stopKeepingRules,
    async stop() {
      await stopKeepingRules();
      await cleanupProxyRules('all', ns!.name);
    },
  };
}

for (const mode of ['nftables', 'iptables'] as const) {
  test(`${mode}: a UDP flow NATed to A moves to B within a second once the slice switches to B`, { skip, timeout: 60_000 }, async () => {
    const name = `udp-${mode}`;
    const vip = await udpService(name, [A]);
    const proxy = await runProxy(mode);
    const id = `c-${mode}`;
    try {
      await probe!.send(id, vip, 53, mode === 'nftables' ? 41001 : 41002);
      assert.ok(await probe!.waitFor(id, A, 5_000) >= 0, `reaches A first (got "${probe!.latest(id)}")`);
      assert.match(await flows(vip), /src=10\.99\.1\.1 .*sport=5353/, 'one conntrack entry NATed to A');
      await setEndpoints(name, [B]);
      const ms = await probe!.waitFor(id, B, 1_000);
      assert.ok(ms >= 0, `the flow reached B within 1 s (still "${probe!.latest(id)}"); proxy log:\n${proxy.logs.join('\n')}`);
      // The log line follows the conntrack process's exit, which may come after B's first answer.
      const t0 = Date.now();
      while (!/conntrack: deleted [1-9]\d* stale flows/.test(proxy.logs.join('\n')) && Date.now() - t0 < 2_000) await new Promise((r) => setTimeout(r, 10));
      assert.match(proxy.logs.join('\n'), /conntrack: deleted [1-9]\d* stale flows/);
      console.log(`# ${mode}: slice switched → datagrams answered by B after ${ms.toFixed(0)} ms`);
    } finally {
      probe!.stop(id);
      await proxy.stop();
    }
  });
}

test('control: without the cleanup the UDP flow stays on A after the rules moved to B', { skip, timeout: 60_000 }, async () => {
  const name = 'udp-control';
  const vip = await udpService(name, [A]);
  const proxy = await runProxy('nftables', false);
  const id = 'c-control';
  try {
    await probe!.send(id, vip, 53, 41003);
    assert.ok(await probe!.waitFor(id, A, 5_000) >= 0, 'reaches A first');
    const synced = proxy.syncs.length;
    await setEndpoints(name, [B]);
    const t0 = Date.now();
    while (proxy.syncs.length === synced && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 10));
    assert.ok(proxy.syncs.length > synced, 'the rules were synced');
    assert.equal(await probe!.waitFor(id, B, 1_500), -1, 'the old entry keeps the flow on A');
    assert.equal(probe!.latest(id), A);
  } finally {
    probe!.stop(id);
    await proxy.stop();
  }
});

test('nftables: a UDP Service with no endpoints that gets one is reached by a client that kept sending', { skip, timeout: 60_000 }, async () => {
  const name = 'udp-empty';
  const vip = await udpService(name, []);
  const proxy = await runProxy('nftables');
  const id = 'c-empty';
  try {
    await probe!.send(id, vip, 53, 41004);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(probe!.latest(id), '', 'no answer while the Service has no endpoints');
    await setEndpoints(name, [A]);
    const ms = await probe!.waitFor(id, A, 1_000);
    assert.ok(ms >= 0, `reached A within 1 s (got "${probe!.latest(id)}"); proxy log:\n${proxy.logs.join('\n')}`);
    console.log(`# no endpoints → A: answered after ${ms.toFixed(0)} ms`);
  } finally {
    probe!.stop(id);
    await proxy.stop();
  }
});

test('nftables: endpoints changed while no proxy ran — the restarted proxy clears the flow still NATed to A', { skip, timeout: 60_000 }, async () => {
  const name = 'udp-restart';
  const vip = await udpService(name, [A]);
  const first = await runProxy('nftables');
  const id = 'c-restart';
  let second: RunningProxy | undefined;
  try {
    await probe!.send(id, vip, 53, 41005);
    assert.ok(await probe!.waitFor(id, A, 5_000) >= 0, 'reaches A first');
    await first.stopKeepingRules();
    await setEndpoints(name, [B]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(probe!.latest(id), A, 'no proxy: the flow stays on A');
    second = await runProxy('nftables');
    const ms = await probe!.waitFor(id, B, 1_000);
    assert.ok(ms >= 0, `reached B within 1 s of the restarted proxy's first sync (still "${probe!.latest(id)}"); log:\n${second.logs.join('\n')}`);
  } finally {
    probe!.stop(id);
    await first.stop();
    await second?.stop();
  }
});
