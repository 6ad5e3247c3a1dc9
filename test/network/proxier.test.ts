// The proxier against an in-process API server with a recording backend: the first full sync
// after the informers synced, a change reaching the backend as its changed key, batching (many
// events → few syncs), the periodic full resync, recovery from a backend failure by a full
// resync, Service removal, and the Node's addresses as nodeIPs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loopbackTransport } from '../../src/client/index.js';
import type { KubeObject } from '../../src/api/index.js';
import { Proxier, type ProxyBackend, type ProxyState } from '../../src/network/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { NODES } from '../support/resources.js';

const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };

let srv: TestServer;
let client: Client;

before(async () => {
  srv = await startTestServer({ memory: true });
  client = new Client(loopbackTransport(srv.api.loopback.bind(srv.api)));
});
after(async () => {
  client?.close();
  await srv?.stop();
});

interface Call { changed: string[] | 'all'; state: ProxyState }

class RecordingBackend implements ProxyBackend {
  readonly mode = 'nftables' as const;
  calls: Call[] = [];
  failNext = 0;
  cleanups = 0;
  async sync(state: ProxyState, changed: ReadonlySet<string> | 'all'): Promise<void> {
    this.calls.push({ changed: changed === 'all' ? 'all' : [...changed].sort(), state });
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('nft: injected failure');
    }
  }
  async cleanup(): Promise<void> { this.cleanups++; }
  get last(): Call | undefined { return this.calls.at(-1); }
}

function service(ns: string, name: string, port = 80): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { ports: [{ name: 'http', port, protocol: 'TCP' }] } } as KubeObject;
}

function slice(ns: string, svc: string, ips: string[], name = `${svc}-manual`): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'node-p' })),
  } as KubeObject;
}

async function namespace(name: string): Promise<void> {
  await client.resource({ group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' }).create('', { metadata: { name } } as KubeObject);
}

function run(backend: RecordingBackend, extra: Partial<ConstructorParameters<typeof Proxier>[0]> = {}) {
  const logs: string[] = [];
  const stop = new AbortController();
  const proxier = new Proxier({
    client, nodeName: 'node-p', mode: 'nftables', clusterCIDRs: ['10.42.0.0/16'], nodeIPs: ['192.0.2.50'],
    minSyncPeriodMs: 10, syncPeriodMs: 60_000, retryInitialMs: 100, log: (m) => logs.push(m), ...extra,
  }, backend);
  const done = proxier.start(stop.signal);
  return { logs, proxier, stop: async () => { stop.abort(); await done; } };
}

/** Waits until `cond()` holds (checked every 10 ms), failing after `ms`. */
async function poll(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms: ${cond.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const endpointsOf = (c: Call | undefined, key: string) => c?.state.servicePorts.get(key)?.endpoints.map((e) => e.ip) ?? [];

test('first a full sync of what exists, then a slice change reaches the backend as its key', async () => {
  await namespace('p1');
  const created = await client.resource(SERVICES).create('p1', service('p1', 'web'));
  await client.resource(SLICES).create('p1', slice('p1', 'web', ['10.42.0.10']));
  const backend = new RecordingBackend();
  const p = run(backend);
  try {
    await poll(() => backend.calls.length > 0, 10_000);
    const first = backend.calls[0]!;
    assert.equal(first.changed, 'all');
    assert.deepEqual(endpointsOf(first, 'p1/web:http/TCP'), ['10.42.0.10']);
    assert.deepEqual(first.state.servicePorts.get('p1/web:http/TCP')!.clusterIPs, [(created as any).spec.clusterIP]);
    assert.deepEqual(first.state.nodeIPs, ['192.0.2.50']);
    assert.deepEqual(first.state.clusterCIDRs, ['10.42.0.0/16']);
    assert.equal(first.state.servicePorts.get('p1/web:http/TCP')!.endpoints[0]!.isLocal, true);

    const sl = await client.resource(SLICES).get('p1', 'web-manual') as any;
    sl.endpoints = [{ addresses: ['10.42.0.11'], conditions: { ready: true } }];
    await client.resource(SLICES).update('p1', sl);
    await poll(() => endpointsOf(backend.last, 'p1/web:http/TCP')[0] === '10.42.0.11', 10_000);
    assert.deepEqual(backend.last!.changed, ['p1/web:http/TCP']);

    // A change the proxy does not program (a label) changes nothing: no backend call.
    const before = backend.calls.length;
    await client.resource(SERVICES).patch('p1', 'web', 'merge', { metadata: { labels: { tier: 'front' } } });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(backend.calls.length, before);

    await client.resource(SERVICES).delete('p1', 'web');
    await poll(() => backend.last !== undefined && !backend.last.state.servicePorts.has('p1/web:http/TCP'), 10_000);
    assert.deepEqual(backend.last!.changed, ['p1/web:http/TCP'], 'the removed key is passed as changed');
  } finally {
    await p.stop();
  }
  assert.equal(backend.cleanups, 0, 'stopping leaves the rules in place');
});

test('a burst of events is batched into few syncs', async () => {
  await namespace('p2');
  const backend = new RecordingBackend();
  const p = run(backend, { minSyncPeriodMs: 100 });
  try {
    await poll(() => backend.calls.length > 0, 10_000);
    const n = 40;
    await Promise.all(Array.from({ length: n }, async (_, i) => {
      await client.resource(SERVICES).create('p2', service('p2', `s${i}`));
      await client.resource(SLICES).create('p2', slice('p2', `s${i}`, [`10.42.2.${i + 1}`]));
    }));
    await poll(() => [...Array(n).keys()].every((i) => endpointsOf(backend.last, `p2/s${i}:http/TCP`).length === 1), 10_000);
    const syncs = backend.calls.length - 1;
    assert.ok(syncs <= n / 4, `${2 * n} events took ${syncs} syncs`);
    const keys = new Set(backend.calls.slice(1).flatMap((c) => (c.changed === 'all' ? [] : c.changed)));
    assert.equal(keys.size, n, 'every new service port was passed as changed');
  } finally {
    await p.stop();
  }
});

test('the periodic full resync', async () => {
  const backend = new RecordingBackend();
  const p = run(backend, { syncPeriodMs: 300 });
  try {
    await poll(() => backend.calls.filter((c) => c.changed === 'all').length >= 3, 5_000);
    assert.ok(p.logs.some((l) => /^full sync: \d+ service ports in/.test(l)));
  } finally {
    await p.stop();
  }
});

test('a backend failure is logged and repaired by a full resync that carries the change', async () => {
  await namespace('p3');
  await client.resource(SERVICES).create('p3', service('p3', 'api'));
  const backend = new RecordingBackend();
  const p = run(backend);
  try {
    await poll(() => backend.calls.length > 0, 10_000);
    backend.failNext = 1;
    await client.resource(SLICES).create('p3', slice('p3', 'api', ['10.42.3.1']));
    await poll(() => backend.calls.length >= 3, 10_000);
    const [failed, retried] = backend.calls.slice(-2);
    assert.deepEqual(failed!.changed, ['p3/api:http/TCP']);
    assert.equal(retried!.changed, 'all');
    assert.deepEqual(endpointsOf(retried, 'p3/api:http/TCP'), ['10.42.3.1']);
    assert.ok(p.logs.some((l) => /sync failed: nft: injected failure; full resync in 100 ms/.test(l)), p.logs.join('\n'));
  } finally {
    await p.stop();
  }
});

test("without --node-ip the Node's InternalIP and ExternalIP are the nodeIPs, and a change resyncs", async () => {
  await client.resource(NODES).create('', { metadata: { name: 'node-q' } } as KubeObject);
  const setAddresses = async (addresses: { type: string; address: string }[]) => {
    const node = await client.resource(NODES).get('', 'node-q') as any;
    node.status = { ...node.status, addresses };
    await client.resource(NODES).updateStatus('', node);
  };
  await setAddresses([{ type: 'Hostname', address: 'node-q' }, { type: 'ExternalIP', address: '198.51.100.7' }, { type: 'InternalIP', address: '192.0.2.7' }]);
  const backend = new RecordingBackend();
  const p = run(backend, { nodeName: 'node-q', nodeIPs: undefined });
  try {
    await poll(() => backend.calls.length > 0, 10_000);
    assert.deepEqual(backend.calls[0]!.state.nodeIPs, ['192.0.2.7', '198.51.100.7']);
    await setAddresses([{ type: 'InternalIP', address: '192.0.2.8' }]);
    await poll(() => backend.last?.state.nodeIPs.join() === '192.0.2.8', 10_000);
    assert.equal(backend.last!.changed, 'all');
  } finally {
    await p.stop();
  }
});
