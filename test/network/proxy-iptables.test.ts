// The iptables proxy backend against the real kernel, as root, inside a network namespace this
// test makes (`capt-ipt-<pid>`): a veth pair (both ends inside) holds the node address 10.99.0.1
// and three endpoint addresses; TCP servers inside the namespace answer with their own address; a
// client process inside the namespace connects to the Service VIPs, another one in a second
// namespace (`capt-ipto-<pid>`, linked by a veth) plays a machine outside the cluster. Nothing
// outside these namespaces is touched; they and the processes are removed in `after`, even after
// a failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createIptablesBackend, createRunner, type IptablesRunner } from '../../src/network/proxy/iptables/index.js';
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
    const s = net.connect({ host: c.host, port: c.port, localAddress: c.from, timeout: 1500 });
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
interface Answer { ok: boolean; reply?: string; code?: string; ms: number }

/** A client process inside `netns`, driven one JSON line at a time. */
class Client {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  constructor(netns: string) {
    this.child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', CLIENT]);
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  async ask(command: object): Promise<Answer> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error('client exited');
    return JSON.parse(next.value) as Answer;
  }
  kill(): void {
    if (this.child.pid) this.child.kill('SIGKILL');
  }
}

let client: Client | undefined;
/** The same, in a second namespace standing for a machine outside the cluster. */
let outsider: Client | undefined;
const outside = `capt-ipto-${process.pid}`;
const OUTSIDE_IP = '10.98.0.2';

const ask = (command: object) => client!.ask(command);
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
  client = new Client(ns);
  // The outside machine: a veth from its namespace into the node's, routed to the node address.
  sh('ip', ['netns', 'add', outside]);
  sh('ip', ['-n', outside, 'link', 'set', 'lo', 'up']);
  sh('ip', ['-n', ns, 'link', 'add', 'n0', 'type', 'veth', 'peer', 'name', 'o0', 'netns', outside]);
  sh('ip', ['-n', ns, 'addr', 'add', '10.98.0.1/24', 'dev', 'n0']);
  sh('ip', ['-n', ns, 'link', 'set', 'n0', 'up']);
  sh('ip', ['-n', outside, 'addr', 'add', `${OUTSIDE_IP}/24`, 'dev', 'o0']);
  sh('ip', ['-n', outside, 'link', 'set', 'o0', 'up']);
  sh('ip', ['-n', outside, 'route', 'add', '10.99.0.0/24', 'via', '10.98.0.1']);
  outsider = new Client(outside);
});

after(() => {
  client?.kill();
  outsider?.kill();
  if (server?.pid) server.kill('SIGKILL');
  if (canRun) {
    for (const n of [ns, outside]) try { sh('ip', ['netns', 'delete', n]); } catch { /* not created */ }
  }
});

const web = svc('web', '10.43.0.5', EPS, { nodePort: 30080 });
const empty = svc('empty', '10.43.0.6', [], { nodePort: 30081 });
const sticky = svc('sticky', '10.43.0.7', EPS, { sessionAffinityTimeoutSeconds: 600 });
const headless = svc('headless', '', EPS, { clusterIPs: [] });
const hairpin = svc('hairpin', '10.43.0.8', [EPS[0]!]);
/** externalTrafficPolicy Local: EPS[0] counts as on this node, EPS[1] as on another. */
function etpLocal(endpoints: Array<[string, boolean]>): ServicePortInfo {
  return { ...svc('etp', '10.43.0.9', [], { nodePort: 30090, externalTrafficLocal: true }), endpoints: endpoints.map(([ip, isLocal]) => ({ ...ep(ip), isLocal })) };
}

test('iptables proxy in a namespace of its own', { skip }, async (t) => {
  const logs: string[] = [];
  const restores: string[] = [];
  const real = createRunner({ netns: ns });
  const runner: IptablesRunner = { save: (f) => real.save(f), restore: (f, input) => (restores.push(input), real.restore(f, input)) };
  const backend = createIptablesBackend({ runner, log: (m) => logs.push(m) });
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

  await t.test('externalTrafficPolicy Local: outside clients reach only local endpoints, and are dropped when there is none', async () => {
    const etp = etpLocal([[EPS[0]!, true], [EPS[1]!, false]]);
    await backend.sync(stateOf([web, empty, sticky, headless, hairpin, etp]), new Set([etp.key]));
    const fromOutside = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const a = await outsider!.ask({ op: 'get', host: NODE_IP, port: 30090 });
      assert.ok(a.ok, `from outside: ${a.code}`);
      fromOutside.add(a.reply!);
    }
    assert.deepEqual([...fromOutside], [`${EPS[0]}:${EP_PORT}`]);
    const cluster = await outsider!.ask({ op: 'get', host: NODE_IP, port: 30080 });
    assert.ok(cluster.ok, 'an ETP Cluster NodePort serves outside clients too (masqueraded)');
    // The node itself is not subject to the policy: it reaches every endpoint.
    assert.equal(new Set(await replies(NODE_IP, 30090, 20)).size, 2);

    const remoteOnly = etpLocal([[EPS[1]!, false]]);
    await backend.sync(stateOf([web, empty, sticky, headless, hairpin, remoteOnly]), new Set([remoteOnly.key]));
    const dropped = await outsider!.ask({ op: 'get', host: NODE_IP, port: 30090 });
    assert.equal(dropped.code, 'TIMEOUT', 'no local endpoint: outside traffic is dropped, as upstream');
    assert.equal((await get(NODE_IP, 30090)).reply, `${EPS[1]}:${EP_PORT}`, 'the node still reaches the remote endpoint');
    await backend.sync(stateOf([web, empty, sticky, headless, hairpin]), new Set([remoteOnly.key]));
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
    // Scaled to zero: refused at once, through the partial path too.
    const drained = svc('web', '10.43.0.5', [], { nodePort: 30080 });
    await backend.sync(stateOf([drained, filled, sticky, headless, hairpin]), new Set([drained.key]));
    const refused = await get('10.43.0.5', 80);
    assert.equal(refused.code, 'ECONNREFUSED');
    assert.ok(refused.ms < 1000);
    assert.equal((await get(NODE_IP, 30080)).code, 'ECONNREFUSED');
    await backend.sync(stateOf([moved, filled, sticky, headless, hairpin]), new Set([drained.key]));
    assert.equal((await get('10.43.0.5', 80)).reply, `${EPS[2]}:${EP_PORT}`);
    assert.deepEqual(logs.filter((l) => l.includes('partial sync failed')), [], 'partial syncs applied as such');

    // Drift under a partial sync: the dispatch entry it would delete is already gone.
    const line = saved('nat').split('\n').find((l) => l.startsWith('-A CAPSTAN-SERVICES') && l.includes('default/sticky:http cluster IP'))!;
    inNs(['sh', '-c', `iptables -w -t nat ${line.replace(/^-A /, '-D ')}`]);
    const unsticky = svc('sticky', '10.43.0.7', []);
    await backend.sync(stateOf([moved, filled, unsticky, headless, hairpin]), new Set([unsticky.key]));
    assert.equal(logs.filter((l) => l.includes('partial sync failed')).length, 1, 'the failed partial sync fell back to a full one');
    assert.equal((await get('10.43.0.7', 80)).code, 'ECONNREFUSED');
    await backend.sync(stateOf([moved, filled, sticky, headless, hairpin]), new Set([unsticky.key]));
    assert.ok((await get('10.43.0.7', 80)).ok);
  });

  await t.test('a full resync rewrites only what is not known to be intact', async () => {
    const current = stateOf([svc('web', '10.43.0.5', [EPS[2]!], { nodePort: 30080 }), svc('empty', '10.43.0.6', [EPS[0]!], { nodePort: 30081 }), sticky, headless, hairpin]);
    await backend.sync(current, 'all');
    const n = restores.length;
    await backend.sync(current, 'all');
    assert.equal(restores.length, n, 'nothing drifted, nothing changed: no restore at all');
    inNs(['iptables', '-w', '-t', 'nat', '-A', 'CAPSTAN-NODEPORTS', '-p', 'tcp', '--dport', '30999', '-j', 'RETURN']);
    await backend.sync(current, 'all');
    const declared = restores.at(-1)!.split('\n').filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]);
    assert.deepEqual(declared, ['CAPSTAN-NODEPORTS'], 'only the drifted chain is rewritten');
    assert.ok(!saved('nat').includes('30999'));
    assert.equal((await get(NODE_IP, 30080)).reply, `${EPS[2]}:${EP_PORT}`);
  });

  await t.test('a full resync repairs drift; a restarted proxy keeps established connections and sweeps stale chains', async () => {
    const opened = await ask({ op: 'open', id: 'c1', host: '10.43.0.7', port: 80 });
    assert.ok(opened.ok);
    // Drift: someone deletes our jump from nat OUTPUT and adds a rule to our dispatch chain.
    inNs(['iptables', '-w', '-t', 'nat', '-D', 'OUTPUT', '-m', 'comment', '--comment', 'capstan service portals', '-j', 'CAPSTAN-SERVICES']);
    inNs(['iptables', '-w', '-t', 'nat', '-I', 'CAPSTAN-SERVICES', '1', '-d', '10.43.0.5', '-j', 'RETURN']);
    // The restarted proxy writes in small batches, as a large one would.
    const restarted = createIptablesBackend({ runner, maxChainsPerRestore: 2 });
    const before = restores.length;
    const kept = stateOf([svc('web', '10.43.0.5', [EPS[2]!], { nodePort: 30080 }), sticky]);
    assert.ok(saved().includes('default/empty'));
    await restarted.sync(kept, 'all');
    assert.ok(restores.length - before >= 3, `written in ${restores.length - before} transactions`);
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
