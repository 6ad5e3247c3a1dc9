// The node routes role against a real API server and a real kernel (root), inside a network
// namespace this test makes (`capt-rt-<pid>`, with a veth pair on 192.0.2.0/24, a documentation
// range, so the gateways are on-link): routes follow Node objects, drift is repaired by the
// periodic resync, the egress masquerade table is written, stopping leaves both in place, and
// cleanupNodeRoutes (capstan killall) removes exactly them. Nothing outside the namespace is touched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { nodes as nodesResource, type Node } from '../../src/api/index.js';
import { cleanupNodeRoutes, installedRoutes, startNodeRoutes } from '../../src/network/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { poll } from '../support/poll.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/nft');
const NS = `capt-rt-${process.pid}`;
const ipn = (...args: string[]) => execFileSync('ip', ['-n', NS, ...args], { encoding: 'utf8' });
const table = () => {
  try {
    return execFileSync('ip', ['netns', 'exec', NS, 'nft', 'list', 'table', 'ip', 'capstan-node'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};

describe('node routes in a network namespace', { skip: !canRun && 'needs root and nft' }, () => {
  let server: TestServer;
  let client: Client;
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  const logs: string[] = [];
  const nodeClient = () => client.resource(nodesResource);
  const makeNode = async (name: string, podCIDR: string, ip: string) => {
    await nodeClient().create('', { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR, podCIDRs: [podCIDR] } } as Node);
    const n = await nodeClient().get('', name) as Node;
    await nodeClient().updateStatus('', { ...n, status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] } } as Node);
  };
  const routes = () => installedRoutes(NS);

  before(async () => {
    execFileSync('ip', ['netns', 'add', NS]);
    ipn('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'peer0');
    ipn('addr', 'add', '192.0.2.10/24', 'dev', 'eth0');
    ipn('link', 'set', 'eth0', 'up');
    ipn('link', 'set', 'peer0', 'up');
    server = await startTestServer({ memory: true });
    client = new Client(transportFromKubeconfig(server.kubeconfig));
    await makeNode('me', '10.42.0.0/24', '192.0.2.10');
    await makeNode('b', '10.42.1.0/24', '192.0.2.11');
    running = startNodeRoutes({ client, nodeName: 'me', clusterCIDR: '10.42.0.0/16', log: (m) => logs.push(m), netns: NS, resyncPeriodMs: 1000 }, stop.signal);
  });

  after(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    client?.close();
    await server?.stop();
    try { execFileSync('ip', ['netns', 'del', NS]); } catch { /* never made */ }
  });

  test('a route to every other Node\'s pod CIDR via its InternalIP, tagged proto 67, and the masquerade table', async () => {
    await poll('route to b', routes, (r) => r.length === 1 && r[0]!.dst === '10.42.1.0/24' && r[0]!.via === '192.0.2.11');
    assert.match(ipn('route', 'show', '10.42.1.0/24'), /via 192\.0\.2\.11 dev eth0 proto 67/);
    assert.match(table(), /ip saddr 10\.42\.0\.0\/16 ip daddr != 10\.42\.0\.0\/16 ip daddr != 224\.0\.0\.0\/4 masquerade/);
    assert.equal(execFileSync('ip', ['netns', 'exec', NS, 'sysctl', '-n', 'net.ipv4.ip_forward'], { encoding: 'utf8' }).trim(), '1');
  });

  test('a new Node gets a route, a moved one is repointed, a deleted one loses it; other routes are left alone', async () => {
    ipn('route', 'add', '10.99.0.0/24', 'via', '192.0.2.50');
    await makeNode('c', '10.42.2.0/24', '192.0.2.12');
    await poll('route to c', routes, (r) => r.some((x) => x.dst === '10.42.2.0/24' && x.via === '192.0.2.12'));
    const c = await nodeClient().get('', 'c') as Node;
    await nodeClient().updateStatus('', { ...c, status: { ...c.status, addresses: [{ type: 'InternalIP', address: '192.0.2.22' }] } } as Node);
    await poll('route to c repointed', routes, (r) => r.some((x) => x.dst === '10.42.2.0/24' && x.via === '192.0.2.22'));
    await nodeClient().delete('', 'c');
    await poll('route to c removed', routes, (r) => r.length === 1 && r[0]!.dst === '10.42.1.0/24');
    assert.match(ipn('route', 'show', '10.99.0.0/24'), /via 192\.0\.2\.50/, 'a route of another protocol is not ours to remove');
  });

  test('the periodic resync repairs drift: a removed route and a deleted table come back', async () => {
    ipn('route', 'del', '10.42.1.0/24');
    execFileSync('ip', ['netns', 'exec', NS, 'nft', 'delete', 'table', 'ip', 'capstan-node']);
    await poll('route back', routes, (r) => r.some((x) => x.dst === '10.42.1.0/24'), 10_000);
    await poll('table back', async () => table(), (t) => /masquerade/.test(t), 10_000);
  });

  test('stopping leaves routes in place; cleanupNodeRoutes removes exactly ours', async () => {
    stop.abort();
    await running;
    assert.equal((await routes()).length, 1);
    assert.deepEqual(await cleanupNodeRoutes({ netns: NS }), []);
    assert.deepEqual(await routes(), []);
    assert.equal(table(), '');
    assert.match(ipn('route', 'show', '10.99.0.0/24'), /via 192\.0\.2\.50/);
    assert.deepEqual(await cleanupNodeRoutes({ netns: NS }), [], 'idempotent');
    assert.ok(logs.some((l) => /route 10\.42\.1\.0\/24 via 192\.0\.2\.11 \(node b\)/.test(l)), logs.join('\n'));
  });
});
