// The iptables proxy backend against the real kernel, as root, inside a network namespace this
// test makes (`capt-ipt-<pid>`): a veth pair (both ends inside) holds the node address 10.99.0.1 and three
// endpoint addresses; TCP servers inside the namespace answer with their own address; a client
// process inside the namespace connects to the Service VIPs. Nothing outside the namespace is
// touched; the namespace and the processes are removed in `after`, even after a failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createIptablesBackend } from '../../src/network/proxy/iptables/index.js';
import type { EndpointInfo, ProxyState, ServicePortInfo } from '../../src/network/proxy/model.js';

const hasIptables = ['/usr/sbin/iptables-restore', '/sbin/iptables-restore', '/usr/bin/iptables-restore'].some((p) => existsSync(p));
const canRun = process.getuid?.() === 0 && hasIptables;
const skip = canRun ? false : 'needs root and iptables-restore';

const ns = `capt-ipt-${process.pid}`;
const NODE_IP = '10.99.0.1';
const EPS = ['10.99.0.11', '10.99.0.12', '10.99.0.13'];
const EP_PORT = 8080;

function sh(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const inNs = (args: string[]) => sh('ip', ['netns', 'exec', ns, ...args]);

// Servers: answer every connection with "<ip>:<port>\n", then echo what they receive.
const SERVER = `
const net = require('node:net');
const addrs = process.argv.slice(1);
let up = 0;
for (const a of addrs) {
  const [host, port] = a.split(':');
  net.createServer((s) => { s.write(a + '\\n'); s.pipe(s); s.on('error', () => {}); })
    .listen(Number(port), host, () => { if (++up === addrs.length) console.log('ready'); });
}`;

// Client: one JSON command per stdin line, one JSON answer per stdout line.
// {op:'get', host, port} → {ok, reply|code, ms}; {op:'open', id, host, port}; {op:'send', id, text} → reply
const CLIENT = `
const net = require('node:net');
const rl = require('node:readline').createInterface({ input: process.stdin });
const held = new Map();
const say = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
rl.on('line', (line) => {
  const c = JSON.parse(line);
  const t = Date.now();
  if (c.op === 'get' || c.op === 'open') {
    const s = net.connect({ host: c.host, port: c.port, localAddress: c.from, timeout: 3000 });
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      if (!buf.includes('\\n')) return;
      if (c.op === 'get') { s.destroy(); say({ ok: true, reply: buf.trim(), ms: Date.now() - t }); }
      else if (!held.has(c.id)) { held.set(c.id, s); buf = ''; say({ ok: true, ms: Date.now() - t }); }
      else { const r = buf.trim(); buf = ''; say({ ok: true, reply: r }); }
    });
    s.on('timeout', () => { s.destroy(); say({ ok: false, code: 'TIMEOUT', ms: Date.now() - t }); });
    s.on('error', (e) => say({ ok: false, code: e.code, ms: Date.now() - t }));
  } else if (c.op === 'send') {
    held.get(c.id).write(c.text + '\\n');
  }
});`;

let server: ChildProcessWithoutNullStreams | undefined;
let client: ChildProcessWithoutNullStreams | undefined;
let answers: AsyncIterator<string> | undefined;

interface Answer { ok: boolean; reply?: string; code?: string; ms: number }

async function ask(command: object): Promise<Answer> {
  client!.stdin.write(`${JSON.stringify(command)}\n`);
  const next = await answers!.next();
  if (next.done) throw new Error('client exited');
  return JSON.parse(next.value) as Answer;
}
const get = (host: string, port: number, from?: string) => ask({ op: 'get', host, port, from });

async function replies(host: string, port: number, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = await get(host, port);
    assert.ok(a.ok, `connect ${host}:${port}: ${a.code}`);
    out.push(a.reply!);
  }
  return out;
}

function ep(ip: string): EndpointInfo {
  return { ip, port: EP_PORT, ready: true, serving: true, terminating: false, isLocal: true, nodeName: 'n1' };
}
function svc(name: string, clusterIP: string, endpoints: string[], extra: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    key: `default/${name}:http/TCP`, namespace: 'default', name, portName: 'http', protocol: 'TCP', clusterIPs: [clusterIP], port: 80,
    externalIPs: [], loadBalancerIPs: [], internalTrafficLocal: false, externalTrafficLocal: false, endpoints: endpoints.map(ep), ...extra,
  };
}
function stateOf(ports: ServicePortInfo[]): ProxyState {
  return { nodeName: 'n1', nodeIPs: [NODE_IP], clusterCIDRs: ['10.42.0.0/16'], servicePorts: new Map(ports.map((p) => [p.key, p])) };
}
const saved = (table?: 'nat' | 'filter') => inNs(table ? ['iptables-save', '-t', table] : ['iptables-save']);

before(async () => {
  if (!canRun) return;
  sh('ip', ['netns', 'add', ns]);
  inNs(['ip', 'link', 'set', 'lo', 'up']);
  // A veth pair with both ends in the namespace stands in for the node's uplink.
  inNs(['ip', 'link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd1']);
  for (const ip of [NODE_IP, ...EPS]) inNs(['ip', 'addr', 'add', `${ip}/24`, 'dev', 'd0']);
  inNs(['ip', 'link', 'set', 'd0', 'up']);
  inNs(['ip', 'link', 'set', 'd1', 'up']);
  // The service CIDR must be routable for OUTPUT's DNAT to see the packets.
  inNs(['ip', 'route', 'add', '10.43.0.0/16', 'dev', 'd0']);
  server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', SERVER, ...EPS.map((ip) => `${ip}:${EP_PORT}`)]);
  const ready = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  assert.equal((await ready.next()).value, 'ready');
  client = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', CLIENT]);
  answers = createInterface({ input: client.stdout })[Symbol.asyncIterator]();
});

after(() => {
  for (const child of [client, server]) if (child?.pid) child.kill('SIGKILL');
  if (canRun) try { sh('ip', ['netns', 'delete', ns]); } catch { /* not created */ }
});

const web = svc('web', '10.43.0.5', EPS, { nodePort: 30080 });
const empty = svc('empty', '10.43.0.6', [], { nodePort: 30081 });
const sticky = svc('sticky', '10.43.0.7', EPS, { sessionAffinityTimeoutSeconds: 600 });
const headless = svc('headless', '', EPS, { clusterIPs: [] });
const hairpin = svc('hairpin', '10.43.0.8', [EPS[0]!]);

test('iptables proxy in a namespace of its own', { skip }, async (t) => {
  const logs: string[] = [];
  const backend = createIptablesBackend({ netns: ns, log: (m) => logs.push(m) });
  await backend.sync(stateOf([web, empty, sticky, headless, hairpin]), 'all');

  await t.test('ClusterIP reaches every endpoint, spread at random', async () => {
    const seen = new Set(await replies('10.43.0.5', 80, 30));
    assert.deepEqual([...seen].sort(), EPS.map((ip) => `${ip}:${EP_PORT}`), 'all three endpoints served (a miss has p ≈ 1.5e-5)');
  });

  await t.test('a Service without endpoints is refused at once, not left hanging', async () => {
    const a = await get('10.43.0.6', 80);
    assert.equal(a.ok, false);
    assert.equal(a.code, 'ECONNREFUSED');
    assert.ok(a.ms < 1000, `refused in ${a.ms} ms`);
    const np = await get(NODE_IP, 30081);
    assert.equal(np.code, 'ECONNREFUSED', 'its NodePort too');
  });

  await t.test('NodePort answers on the node address', async () => {
    const seen = new Set(await replies(NODE_IP, 30080, 20));
    assert.ok(seen.size >= 2, `spread over ${[...seen].join(', ')}`);
  });

  await t.test('sessionAffinity ClientIP keeps one client on one endpoint', async () => {
    const seen = new Set(await replies('10.43.0.7', 80, 15));
    assert.equal(seen.size, 1, `one endpoint, saw ${[...seen].join(', ')}`);
  });

  await t.test('hairpin: an endpoint reaching itself through the VIP is marked for masquerade and answered', async () => {
    const a = await get('10.43.0.8', 80, EPS[0]);
    assert.equal(a.reply, `${EPS[0]}:${EP_PORT}`);
    const counted = inNs(['iptables-save', '-c', '-t', 'nat']).split('\n').find((l) => l.includes(`-s ${EPS[0]}/32`) && l.includes('default/hairpin') && l.includes('CAPSTAN-MARK-MASQ'));
    assert.match(counted ?? '', /^\[[1-9]\d*:\d+\]/, `the hairpin rule matched: ${counted}`);
  });

  await t.test('headless Services get no rules', () => {
    assert.ok(!saved().includes('default/headless'));
  });

  await t.test('an incremental sync moves the traffic, and removes chains no longer used', async () => {
    const before = saved();
    const moved = svc('web', '10.43.0.5', [EPS[2]!], { nodePort: 30080 });
    await backend.sync(stateOf([moved, empty, sticky, headless]), new Set([moved.key]));
    assert.deepEqual(new Set(await replies('10.43.0.5', 80, 10)), new Set([`${EPS[2]}:${EP_PORT}`]));
    const sepsBefore = (before.match(/^:CAPSTAN-SEP-\S+/gm) ?? []).length;
    const sepsAfter = (saved().match(/^:CAPSTAN-SEP-\S+/gm) ?? []).length;
    assert.equal(sepsAfter, sepsBefore - 2, 'two endpoint chains of web are gone');
    // Endpoints appear: the empty Service starts serving.
    const filled = svc('empty', '10.43.0.6', [EPS[0]!], { nodePort: 30081 });
    await backend.sync(stateOf([moved, filled, sticky, headless]), new Set([filled.key]));
    assert.equal((await get('10.43.0.6', 80)).reply, `${EPS[0]}:${EP_PORT}`);
    assert.equal((await get(NODE_IP, 30081)).reply, `${EPS[0]}:${EP_PORT}`);
    assert.deepEqual(logs.filter((l) => l.includes('partial sync failed')), [], 'partial syncs applied as such');
  });

  await t.test('a full resync repairs drift; a restarted proxy keeps established connections and sweeps stale chains', async () => {
    const opened = await ask({ op: 'open', id: 'c1', host: '10.43.0.7', port: 80 });
    assert.ok(opened.ok);
    // Drift: someone deletes our jump from nat OUTPUT and adds a rule to our dispatch chain.
    inNs(['iptables', '-w', '-t', 'nat', '-D', 'OUTPUT', '-m', 'comment', '--comment', 'capstan service portals', '-j', 'CAPSTAN-SERVICES']);
    inNs(['iptables', '-w', '-t', 'nat', '-I', 'CAPSTAN-SERVICES', '1', '-d', '10.43.0.5', '-j', 'RETURN']);
    const restarted = createIptablesBackend({ netns: ns });
    const kept = stateOf([svc('web', '10.43.0.5', [EPS[2]!], { nodePort: 30080 }), sticky]);
    await restarted.sync(kept, 'all');
    const text = saved();
    assert.equal((saved('nat').match(/-A OUTPUT .*-j CAPSTAN-SERVICES/g) ?? []).length, 1, 'the jump is back, once');
    assert.ok(!text.includes('-d 10.43.0.5/32 -j RETURN'), 'the foreign rule in our chain is gone');
    assert.ok(!text.includes('default/empty'), 'the chains of a Service the new run does not know are swept');
    assert.equal((await get('10.43.0.5', 80)).reply, `${EPS[2]}:${EP_PORT}`);
    assert.equal((await ask({ op: 'send', id: 'c1', text: 'still here' })).reply, 'still here', 'the established connection survived');
  });

  await t.test('cleanup leaves no CAPSTAN chain or jump in nat or filter, and is harmless when repeated', async () => {
    await backend.cleanup();
    assert.ok(!saved().includes('CAPSTAN'), saved());
    await backend.cleanup();
    const a = await get('10.43.0.5', 80);
    assert.equal(a.ok, false, 'the VIP no longer answers');
  });
});
