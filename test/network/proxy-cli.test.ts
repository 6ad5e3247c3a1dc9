// `capstan proxy --netns` end to end (root): a real proxy process programs nftables inside a
// namespace of this test's own; a Service without selector plus a manual EndpointSlice pointing at
// a listener in that namespace. Connecting to the ClusterIP from inside the namespace reaches the
// listener; changing the slice moves traffic; no endpoints → the connection is refused at once;
// a proxy restart keeps an established connection; `capstan proxy --cleanup --netns` removes
// the table. Needs the built CLI (dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, loopbackTransport } from '../../src/client/index.js';
import type { KubeObject } from '../../src/api/index.js';
import { REPO_ROOT, startTestServer, type TestServer } from '../support/server.js';
import { canProgramNetns, createProxyNetns, NETNS_NODE_IP, startEchoProbe, type EchoProbe, type ProxyNetns } from '../support/proxy-netns.js';

const exec = promisify(execFile);
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };
const A = '10.99.1.1:8080';
const B = '10.99.1.2:8080';

const skip = (await canProgramNetns()) ?? (existsSync(join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')) ? undefined : 'needs the built CLI (dist/)');

let srv: TestServer;
let client: Client;
let ns: ProxyNetns | undefined;
let probe: EchoProbe | undefined;
const children: ChildProcess[] = [];

async function startProxyProcess(mode = 'nftables'): Promise<{ child: ChildProcess; logs: () => string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'proxy', '--kubeconfig', srv.kubeconfig, '--node-name', 'px-node',
    '--proxy-mode', mode, '--netns', ns!.name, '--node-ip', NETNS_NODE_IP, '--min-sync-period', '10ms'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`proxy not ready:\n${stderr}`)), 30_000);
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      if (/full sync:/.test(stderr)) { clearTimeout(t); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`proxy exited ${code}:\n${stderr}`)); });
  });
  return { child, logs: () => stderr };
}

async function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

async function tables(): Promise<string> {
  return ns!.run(['nft', 'list', 'tables']);
}

before(async () => {
  if (skip) return;
  srv = await startTestServer({ memory: true });
  client = new Client(loopbackTransport(srv.api.loopback.bind(srv.api)));
  ns = await createProxyNetns('px', [A.split(':')[0]!, B.split(':')[0]!]);
  probe = await startEchoProbe(ns.name, [A, B]);
});

after(async () => {
  for (const c of children) await stopProcess(c).catch(() => undefined);
  await probe?.stop().catch(() => undefined);
  await ns?.remove();
  client?.close();
  await srv?.stop();
});

function slice(endpoints: string[], svc = 'echo'): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: `${svc}-manual`, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: endpoints.map((e) => ({ addresses: [e.split(':')[0]!], conditions: { ready: true }, nodeName: 'px-node' })),
  } as KubeObject;
}

test('capstan proxy programs a ClusterIP in its netns, follows the slice, survives a restart, and --cleanup removes it', { skip, timeout: 120_000 }, async () => {
  const svc = await client.resource(SERVICES).create('default', {
    metadata: { name: 'echo' }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  } as KubeObject) as any;
  const vip: string = svc.spec.clusterIP;
  await client.resource(SLICES).create('default', slice([A]));
  const proxy = await startProxyProcess();
  assert.match(await tables(), /table ip capstan-proxy/);

  let r = await probe!.waitFor(vip, 80, [A], 5_000);
  assert.equal(r.value, A, `${vip}:80 → ${A}`);

  let current = await client.resource(SLICES).get('default', 'echo-manual') as any;
  await client.resource(SLICES).update('default', { ...slice([B]), metadata: current.metadata });
  r = await probe!.waitFor(vip, 80, [B], 5_000);
  assert.equal(r.value, B, 'traffic moved to the new endpoint');
  for (let i = 0; i < 5; i++) assert.equal((await probe!.get(vip, 80)).value, B);

  // No endpoints: the connection fails at once (reject), it does not hang.
  current = await client.resource(SLICES).get('default', 'echo-manual') as any;
  await client.resource(SLICES).update('default', { ...slice([]), metadata: current.metadata });
  r = await probe!.waitFor(vip, 80, ['ERR:ECONNREFUSED'], 5_000);
  assert.equal(r.value, 'ERR:ECONNREFUSED');
  const t0 = Date.now();
  assert.equal((await probe!.get(vip, 80)).value, 'ERR:ECONNREFUSED');
  assert.ok(Date.now() - t0 < 500, 'refused fast');

  // An established connection survives a proxy restart (rules stay while no proxy runs).
  current = await client.resource(SLICES).get('default', 'echo-manual') as any;
  await client.resource(SLICES).update('default', { ...slice([A]), metadata: current.metadata });
  assert.equal((await probe!.waitFor(vip, 80, [A], 5_000)).value, A);
  assert.equal((await probe!.hold('conn1', vip, 80)).value, A);
  assert.equal(await stopProcess(proxy.child), 0);
  assert.match(proxy.logs(), /rules left in place/);
  assert.match(await tables(), /table ip capstan-proxy/, 'stopping keeps the rules');
  assert.equal((await probe!.ping('conn1')).value, `echo ${A} ping`);
  const again = await startProxyProcess();
  assert.equal((await probe!.ping('conn1')).value, `echo ${A} ping`, 'the connection survived the restart');
  assert.equal((await probe!.get(vip, 80)).value, A);
  await stopProcess(again.child);

  const { stderr } = await exec(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'proxy', '--cleanup', '--netns', ns!.name]);
  assert.match(stderr, /removed nftables rules/);
  assert.doesNotMatch(await tables(), /capstan/, 'no Capstan table left');
});

test('--proxy-mode iptables serves the ClusterIP too, and --cleanup leaves no CAPSTAN chain', { skip, timeout: 120_000 }, async () => {
  const svc = await client.resource(SERVICES).create('default', {
    metadata: { name: 'echo-ipt' }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  } as KubeObject) as any;
  const vip: string = svc.spec.clusterIP;
  await client.resource(SLICES).create('default', slice([B], 'echo-ipt'));
  const proxy = await startProxyProcess('iptables');
  assert.equal((await probe!.waitFor(vip, 80, [B], 10_000)).value, B);
  const current = await client.resource(SLICES).get('default', 'echo-ipt-manual') as any;
  await client.resource(SLICES).update('default', { ...slice([A], 'echo-ipt'), metadata: current.metadata });
  assert.equal((await probe!.waitFor(vip, 80, [A], 10_000)).value, A, 'traffic moved');
  assert.match(await ns!.run(['iptables-save']), /CAPSTAN-SERVICES/);
  await stopProcess(proxy.child);
  await exec(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'proxy', '--cleanup', '--netns', ns!.name]);
  assert.doesNotMatch(await ns!.run(['iptables-save']), /CAPSTAN/, 'no CAPSTAN chain or jump left');
  assert.doesNotMatch(await ns!.run(['nft', 'list', 'ruleset']), /capstan|CAPSTAN/);
});
