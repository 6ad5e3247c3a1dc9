// The pod network over the real CNI plugins (bridge, host-local, portmap, loopback), as root.
// Everything lives in namespaces this test makes (`ip netns add capstan-t-<random>-…`), on a
// private bridge and a 10.250.X.0/24 CIDR no route on the host already uses; traffic goes only
// between those namespaces and the bridge. `after` removes every namespace, bridge, nat rule and
// file the test made, and restores net.ipv4.ip_forward (the bridge plugin turns it on).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CniNetwork, CniError, type PodNetworkRequest } from '../../src/network/index.js';
import type { PodNetwork as RuntimePodNetwork } from '../../src/runtime/index.js';
import { poll } from '../support/poll.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/lib/cni/bridge') && existsSync('/usr/lib/cni/portmap');
const skip = canRun ? false : 'needs root and the CNI plugins in /usr/lib/cni';

const suffix = randomBytes(3).toString('hex');
const bridgeName = `cpt-${suffix}`;
const userBridge = `cpu-${suffix}`;
const networkName = `capstan-t-${suffix}`;
const nsNames = ['a', 'b', 'c', 'd', 'e'].map((n) => `capstan-t-${suffix}-${n}`);
const [nsA, nsB, nsC, nsD, nsE] = nsNames as [string, string, string, string, string];
const netnsPath = (ns: string) => `/var/run/netns/${ns}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'capstan-cni-it-'));
const children: ChildProcess[] = [];
let ipForwardBefore: string | undefined;

function sh(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function trySh(file: string, args: string[]): boolean {
  try {
    sh(file, args);
    return true;
  } catch {
    return false;
  }
}

/** Two third octets of 10.250.X.0/24 that no host route mentions. */
function freeSubnets(): [number, number] {
  const routes = canRun ? sh('ip', ['-4', 'route', 'show', 'table', 'all']) : '';
  const free: number[] = [];
  for (let tries = 0; free.length < 2 && tries < 500; tries++) {
    const x = 1 + Math.floor(Math.random() * 253);
    if (!routes.includes(`10.250.${x}.`) && !free.includes(x)) free.push(x);
  }
  return [free[0]!, free[1]!];
}
const [x, y] = freeSubnets();
const podCIDR = `10.250.${x}.0/24`;
const gateway = `10.250.${x}.1`;
const hostPort = 20000 + Math.floor(Math.random() * 10000);

const request = (ns: string, extra: Partial<PodNetworkRequest> = {}): PodNetworkRequest => ({
  sandboxId: `sb-${ns}`, name: `pod-${ns.slice(-1)}`, namespace: 'default', uid: `uid-${ns}`, netnsPath: netnsPath(ns), ...extra,
});
const newNetwork = () => new CniNetwork({ dataDir, podCIDR, bridgeName, networkName });
let network: CniNetwork;
const ips = new Map<string, string>();

before(() => {
  network = newNetwork();
  if (!canRun) return;
  ipForwardBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  for (const ns of nsNames) sh('ip', ['netns', 'add', ns]);
});

after(async () => {
  if (!canRun) return;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await network.cleanup().catch(() => undefined);
  const user = new CniNetwork({ dataDir, podCIDR: `10.250.${y}.0/24`, bridgeName: userBridge, networkName: `${networkName}-user` });
  await user.cleanup().catch(() => undefined);
  for (const ns of nsNames) trySh('ip', ['netns', 'delete', ns]);
  trySh('ip', ['link', 'delete', bridgeName]);
  trySh('ip', ['link', 'delete', userBridge]);
  rmSync(dataDir, { recursive: true, force: true });
  if (ipForwardBefore === '0') writeFileSync('/proc/sys/net/ipv4/ip_forward', '0');
});

function natRules(): string {
  return sh('iptables', ['-w', '-t', 'nat', '-S']);
}
/** A reply within a few tries (the first echo may wait on ARP on a loaded machine). */
function ping(fromNs: string, to: string): boolean {
  for (let i = 0; i < 5; i++) if (trySh('ip', ['netns', 'exec', fromNs, 'busybox', 'ping', '-c1', '-W2', to])) return true;
  return false;
}
function ipamFiles(network: string): string[] {
  const dir = path.join(dataDir, 'agent', 'cni', 'networks', network);
  return existsSync(dir) ? readdirSync(dir).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)).sort() : [];
}
function cachedResults(): string[] {
  const dir = path.join(dataDir, 'agent', 'cni', 'results');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

test('the network is ready with the plugins of /usr/lib/cni', { skip }, async () => {
  assert.deepEqual(await network.status(), { ready: true });
});

test('ADD of two namespaces at once: each gets an address of the pod CIDR on eth0; they reach each other and the gateway', { skip }, async () => {
  // Through the runtime's own port type: CniNetwork must satisfy it structurally.
  const port: RuntimePodNetwork = network;
  const [a, b] = await Promise.all([port.setUp(request(nsA)), port.setUp(request(nsB))]);
  for (const [ns, result] of [[nsA, a], [nsB, b]] as const) {
    assert.equal(result.ips.length, 1);
    assert.match(result.ips[0]!, new RegExp(`^10\\.250\\.${x}\\.\\d+$`));
    assert.notEqual(result.ips[0], gateway);
    assert.match(sh('ip', ['-n', ns, '-4', 'addr', 'show', 'dev', 'eth0']), new RegExp(`inet ${result.ips[0]!.replace(/\./g, '\\.')}/24`));
    assert.match(sh('ip', ['-n', ns, 'addr', 'show', 'dev', 'lo']), /state UNKNOWN|LOWER_UP/);
    assert.match(sh('ip', ['-n', ns, '-4', 'route', 'show', 'default']), new RegExp(`default via ${gateway.replace(/\./g, '\\.')} dev eth0`));
    ips.set(ns, result.ips[0]!);
  }
  assert.notEqual(a.ips[0], b.ips[0]);
  assert.ok(ping(nsA, b.ips[0]!), 'a pings b');
  assert.ok(ping(nsB, a.ips[0]!), 'b pings a');
  assert.ok(ping(nsA, gateway), 'a pings the gateway');
  assert.deepEqual(cachedResults(), [`cni-loopback-sb-${nsA}-lo`, `cni-loopback-sb-${nsB}-lo`, `${networkName}-sb-${nsA}-eth0`, `${networkName}-sb-${nsB}-eth0`].sort());
  assert.deepEqual(ipamFiles(networkName), [...ips.values()].sort());
  // A repeated setUp of a set-up sandbox returns its address and leaves the attachment intact.
  assert.deepEqual(await network.setUp(request(nsA)), a);
  assert.ok(ping(nsB, a.ips[0]!), 'b still pings a');
});

test('a hostPort reaches a listener inside the namespace through the bridge gateway address (portmap DNAT)', { skip }, async () => {
  const { ips: [ip] } = await network.setUp(request(nsC, { portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort }] }));
  ips.set(nsC, ip!);
  // No CHECK here: a Linux bridge takes the lowest MAC of its ports, so the bridge MAC an ADD
  // recorded changes when a port with a lower MAC joins, and the bridge plugin's CHECK (1.1.1)
  // then fails with "Mac doesn't match" (seen once under load). The executor's CHECK is covered
  // with recording plugins in src/network/cni/plugin-list.test.ts.
  assert.match(natRules(), new RegExp(`dnat name: \\\\"${networkName}\\\\" id: \\\\"sb-${nsC}\\\\"`));
  const listener = spawn('ip', ['netns', 'exec', nsC, process.execPath, '-e',
    "require('net').createServer((s) => s.end('hello from ' + s.localAddress)).listen(8080, '0.0.0.0', () => console.log('ready'))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(listener);
  let out = '';
  listener.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  await poll('the listener in the namespace', async () => out, (o) => o.includes('ready'));
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(hostPort, gateway);
    let data = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
    socket.on('data', (b) => { data += b.toString(); });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  assert.equal(reply, `hello from ${ip}`);
  listener.kill('SIGKILL');
  await network.tearDown(request(nsC, { portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort }] }));
  assert.doesNotMatch(natRules(), new RegExp(`id: \\\\"sb-${nsC}\\\\"`));
  assert.ok(!ipamFiles(networkName).includes(ip!));
});

test('DEL by a new CniNetwork object (agent restart) uses the cached result; a second DEL succeeds', { skip }, async () => {
  const restarted = newNetwork();
  const ipA = ips.get(nsA)!;
  assert.ok(cachedResults().includes(`${networkName}-sb-${nsA}-eth0`));
  await restarted.tearDown(request(nsA));
  assert.ok(!cachedResults().some((f) => f.includes(`sb-${nsA}-`)), 'cache entries removed');
  assert.ok(!ipamFiles(networkName).includes(ipA), 'address released');
  assert.doesNotMatch(sh('ip', ['-n', nsA, 'link']), /eth0/);
  await restarted.tearDown(request(nsA));
  await network.tearDown(request(nsA));
  // An unknown sandbox is no error either.
  await network.tearDown(request(nsA, { sandboxId: 'never-set-up' }));
});

test('DEL after the namespace was deleted succeeds and releases the address', { skip }, async () => {
  const ipB = ips.get(nsB)!;
  sh('ip', ['netns', 'delete', nsB]);
  await network.tearDown(request(nsB));
  assert.ok(!ipamFiles(networkName).includes(ipB));
  assert.ok(!cachedResults().some((f) => f.includes(`sb-${nsB}-`)));
  await network.tearDown(request(nsB));
});

test('a user CNI conf dir replaces the built-in list: its first valid file by name is used', { skip }, async () => {
  const confDir = path.join(dataDir, 'conf');
  mkdirSync(confDir);
  writeFileSync(path.join(confDir, '00-broken.conflist'), '{ not json');
  writeFileSync(path.join(confDir, '10-user.conflist'), JSON.stringify({
    cniVersion: '1.0.0', name: `${networkName}-user`,
    plugins: [{ type: 'bridge', bridge: userBridge, isGateway: true, ipam: { type: 'host-local', ranges: [[{ subnet: `10.250.${y}.0/24` }]], dataDir: path.join(dataDir, 'user-ipam') } }],
  }));
  writeFileSync(path.join(confDir, '20-later.conf'), JSON.stringify({ cniVersion: '1.0.0', name: 'later', type: 'ptp' }));
  const user = new CniNetwork({ dataDir, confDir, podCIDR, bridgeName, networkName });
  const { ips: [ip] } = await user.setUp(request(nsD));
  assert.match(ip!, new RegExp(`^10\\.250\\.${y}\\.\\d+$`));
  assert.match(sh('ip', ['link', 'show', userBridge]), new RegExp(userBridge));
  assert.ok(cachedResults().includes(`${networkName}-user-sb-${nsD}-eth0`));
  assert.ok(ping(nsD, `10.250.${y}.1`), 'd pings its gateway on the user bridge');
  await user.tearDown(request(nsD));
  assert.ok(!cachedResults().some((f) => f.includes(`sb-${nsD}-`)));
});

test('a plugin\'s error surfaces with its code and msg, and the partial ADD is undone', { skip }, async () => {
  const confDir = path.join(dataDir, 'conf-bad');
  mkdirSync(confDir);
  writeFileSync(path.join(confDir, '10-bad.conflist'), JSON.stringify({
    cniVersion: '9.9.9', name: `${networkName}-bad`, plugins: [{ type: 'bridge', bridge: bridgeName, ipam: { type: 'host-local', subnet: podCIDR } }],
  }));
  const bad = new CniNetwork({ dataDir, confDir, podCIDR, bridgeName, networkName });
  await assert.rejects(bad.setUp(request(nsE)), (e: unknown) => {
    assert.ok(e instanceof CniError, String(e));
    assert.equal(e.code, 1);
    assert.match(e.msg, /incompatible CNI versions/);
    assert.match(e.message, /plugin type="bridge" name="capstan-t-\w+-bad" failed \(add\)/);
    return true;
  });
  assert.ok(!cachedResults().some((f) => f.includes(`sb-${nsE}-`)), 'loopback ADD undone');
});

test('garbage collection DELs cached attachments of sandboxes the runtime no longer has, and keeps the others', { skip }, async () => {
  const [kept, gone] = await Promise.all([network.setUp(request(nsA)), network.setUp(request(nsD))]);
  assert.deepEqual(await newNetwork().garbageCollect([`sb-${nsA}`]), []);
  assert.ok(cachedResults().includes(`${networkName}-sb-${nsA}-eth0`));
  assert.ok(!cachedResults().some((f) => f.includes(`sb-${nsD}-`)));
  assert.deepEqual(ipamFiles(networkName), [kept.ips[0]!]);
  assert.ok(!ipamFiles(networkName).includes(gone.ips[0]!));
  assert.doesNotMatch(sh('ip', ['-n', nsD, 'link']), /eth0/);
});

test('cleanup removes the bridge, host-local state, cached results and this network\'s portmap chains', { skip }, async () => {
  // Leave one attachment with a hostPort behind, as a crashed agent would.
  await network.setUp(request(nsE, { portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort: hostPort + 1 }] }));
  assert.match(natRules(), new RegExp(`id: \\\\"sb-${nsE}\\\\"`));
  assert.deepEqual(await network.cleanup(), []);
  assert.equal(trySh('ip', ['link', 'show', bridgeName]), false, 'bridge removed');
  assert.doesNotMatch(natRules(), new RegExp(`dnat name: \\\\"${networkName}\\\\"`));
  assert.deepEqual(cachedResults(), []);
  assert.deepEqual(ipamFiles(networkName), []);
  assert.doesNotMatch(sh('ip', ['-n', nsE, 'link']), /eth0/);
});
