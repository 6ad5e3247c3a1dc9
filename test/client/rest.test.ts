// The REST client against a real in-process API server, over HTTPS (from the kubeconfig) and over
// the loopback transport: CRUD, upstream error reasons, pagination, patches, subresources, watch.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configMaps, isStatusError, StatusError } from '../../src/api/index.js';
import {
  Client, loopbackTransport, transportFromKubeconfig, kubeconfigFromFile, parseKubeconfig, responseError,
  type Transport, type WatchEvent,
} from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { cm, until } from './helpers.js';

let server: TestServer;
before(async () => { server = await startTestServer({ memory: true }); });
after(async () => { await server.stop(); });

const configmaps = { group: '', version: 'v1', plural: 'configmaps', namespaced: true, kind: 'ConfigMap' };
const transports: [string, () => Transport][] = [
  ['https', () => transportFromKubeconfig(server.kubeconfig)],
  ['loopback', () => loopbackTransport(server.api.loopback.bind(server.api))],
];

for (const [name, make] of transports) {
  describe(`REST client over ${name}`, () => {
    let client: Client;
    const ns = `rest-${name}`;
    before(async () => {
      client = new Client(make());
      await client.resource({ group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' }).create('', { metadata: { name: ns } });
    });
    after(() => client.close());

    test('create, get, update, updateStatus-less resources, delete', async () => {
      const rc = client.resource(configmaps);
      const created = await rc.create(ns, { metadata: { name: 'a' }, data: { k: 'v' } });
      assert.equal(created.kind, 'ConfigMap', 'kind filled in from the resource');
      assert.ok(created.metadata?.uid);
      const got = await rc.get(ns, 'a');
      assert.deepEqual(got.data, { k: 'v' });
      got.data = { k: 'w' };
      const updated = await rc.update(ns, got);
      assert.deepEqual(updated.data, { k: 'w' });
      assert.notEqual(updated.metadata?.resourceVersion, got.metadata?.resourceVersion);
      const dry = await rc.create(ns, cm('dry'), { dryRun: true });
      assert.equal(dry.metadata?.name, 'dry');
      await assert.rejects(rc.get(ns, 'dry'), (e) => isStatusError(e, 'NotFound'));
      await rc.delete(ns, 'a');
      await assert.rejects(rc.get(ns, 'a'), (e) => isStatusError(e, 'NotFound'));
    });

    test('accepts a ResourceType from the api catalogue', async () => {
      const rc = client.resource(configMaps);
      assert.equal(rc.path(ns, 'x', 'status'), `/api/v1/namespaces/${ns}/configmaps/x/status`);
      assert.equal(client.resource({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }).path(''), '/apis/apps/v1/deployments');
      const created = await rc.create(ns, { metadata: { name: 'from-catalogue' } });
      assert.equal(created.apiVersion, 'v1');
    });

    test('errors come back as StatusError with upstream reason and code', async () => {
      const rc = client.resource(configmaps);
      await assert.rejects(rc.get(ns, 'missing'), (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, 404);
        assert.equal(e.reason, 'NotFound');
        assert.equal(e.message, 'configmaps "missing" not found');
        return true;
      });
      const first = await rc.create(ns, cm('dup'));
      await assert.rejects(rc.create(ns, cm('dup')), (e) => isStatusError(e, 'AlreadyExists') && e.code === 409);
      await rc.update(ns, { ...first, data: { x: '1' } });
      await assert.rejects(rc.update(ns, { ...first, data: { x: '2' } }), (e) => isStatusError(e, 'Conflict') && e.code === 409,
        'a stale resourceVersion is a precondition failure');
      await assert.rejects(rc.create(ns, cm('Bad_Name')), (e: unknown) => {
        assert.ok(isStatusError(e, 'Invalid'));
        assert.equal(e.code, 422);
        assert.equal(e.status.details?.causes?.[0]?.field, 'metadata.name');
        return true;
      });
    });

    test('patch: merge, json, strategic; deleteCollection with a selector', async () => {
      const rc = client.resource(configmaps);
      await rc.create(ns, cm('p', { a: '1' }, { tier: 'x' }));
      assert.deepEqual((await rc.patch(ns, 'p', 'merge', { data: { b: '2' } })).data, { a: '1', b: '2' });
      assert.deepEqual((await rc.patch(ns, 'p', 'json', [{ op: 'remove', path: '/data/a' }])).data, { b: '2' });
      assert.deepEqual((await rc.patch(ns, 'p', 'strategic', { data: { c: '3' } })).data, { b: '2', c: '3' });
      await rc.create(ns, cm('q', {}, { tier: 'x' }));
      await rc.create(ns, cm('keep', {}, { tier: 'y' }));
      await rc.deleteCollection(ns, { labelSelector: 'tier=x' });
      const left = await rc.list(ns, { labelSelector: 'tier in (x,y)' });
      assert.deepEqual(left.items.map((i) => i.metadata?.name), ['keep']);
    });

    test('listAll follows continue tokens over pages', async () => {
      const rc = client.resource(configmaps);
      const pns = `${ns}-pages`;
      await client.resource({ group: '', version: 'v1', plural: 'namespaces', namespaced: false }).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: pns } });
      for (let i = 0; i < 7; i++) await rc.create(pns, cm(`c${i}`));
      const page = await rc.list(pns, { limit: 3 });
      assert.equal(page.items.length, 3);
      assert.ok(page.metadata.continue);
      const all = await rc.listAll(pns, { limit: 3 });
      assert.deepEqual(all.items.map((i) => i.metadata?.name), ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
      assert.ok(all.metadata.resourceVersion);
      const everywhere = await rc.listAll('', { limit: 2, labelSelector: '' });
      assert.ok(everywhere.items.length >= 7, 'namespace "" lists all namespaces');
    });

    test('subresources: pod status and binding', async () => {
      const pods = client.resource({ group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' });
      const pod = await pods.create(ns, { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
      assert.equal((pod.status as { phase?: string }).phase, 'Pending');
      await pods.create(ns, 'web', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } });
      const bound = await pods.get(ns, 'web');
      assert.equal((bound.spec as { nodeName?: string }).nodeName, 'node-1');
      const withStatus = await pods.updateStatus(ns, { ...bound, status: { ...(bound.status as object), phase: 'Running' } });
      assert.equal((withStatus.status as { phase?: string }).phase, 'Running');
      const viaSub = await pods.patch(ns, 'web', 'merge', { status: { message: 'hi' } }, 'status');
      assert.equal((viaSub.status as { message?: string }).message, 'hi');
      await pods.delete(ns, 'web', { gracePeriodSeconds: 0 });
    });

    test('watch streams events in order from a resourceVersion, with bookmarks allowed', async () => {
      const rc = client.resource(configmaps);
      const start = (await rc.list(ns)).metadata.resourceVersion;
      await rc.create(ns, cm('w1'));
      await rc.patch(ns, 'w1', 'merge', { data: { z: '1' } });
      await rc.delete(ns, 'w1');
      const events: WatchEvent[] = [];
      const stop = new AbortController();
      const done = rc.watch(ns, { resourceVersion: start, allowWatchBookmarks: true, fieldSelector: 'metadata.name=w1' }, (e) => events.push(e), stop.signal);
      await until('three events', () => events.length >= 3);
      stop.abort();
      await done;
      assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
      const rvs = events.map((e) => Number(e.object.metadata?.resourceVersion));
      assert.deepEqual([...rvs].sort((a, b) => a - b), rvs);
    });

    test('watch ends when the server times it out', async () => {
      const rc = client.resource(configmaps);
      const t0 = Date.now();
      await rc.watch(ns, { timeoutSeconds: 1 }, () => undefined, new AbortController().signal);
      assert.ok(Date.now() - t0 < 10_000);
    });
  });
}

describe('errors and kubeconfig', () => {
  test('a non-Status error body is synthesised into a StatusError', () => {
    const e = responseError(503, 'upstream connect error', 'GET', '/api/v1/pods');
    assert.equal(e.code, 503);
    assert.equal(e.reason, 'ServiceUnavailable');
    assert.match(e.message, /upstream connect error/);
    const s = responseError(404, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: 'x' }), 'GET', '/');
    assert.equal(s.message, 'x');
  });

  test('non-2xx from the transport throws; transport failures reject', async () => {
    const fake: Transport = {
      request: async () => ({ status: 500, headers: {}, body: '<html>oops</html>' }),
      watch: async () => ({ status: 410, body: '' }),
    };
    const rc = new Client(fake).resource(configmaps);
    await assert.rejects(rc.get('d', 'x'), (e) => isStatusError(e, 'InternalError'));
    await assert.rejects(rc.watch('d', {}, () => undefined, new AbortController().signal), (e) => isStatusError(e, 'Gone'));
  });

  test('kubeconfig: current context, data fields, token and file references', () => {
    const cfg = kubeconfigFromFile(server.kubeconfig);
    assert.equal(cfg.server, server.url);
    assert.match(String(cfg.ca), /BEGIN CERTIFICATE/);
    assert.match(String(cfg.key), /PRIVATE KEY/);
    const dir = server.dataDir;
    writeFileSync(join(dir, 'ca.pem'), 'CA-PEM');
    const text = [
      'apiVersion: v1', 'kind: Config', 'current-context: two',
      'clusters:', '- name: c1', '  cluster: {server: "https://one:6443"}', '- name: c2', '  cluster: {server: "https://two:6443", certificate-authority: ca.pem}',
      'contexts:', '- name: one', '  context: {cluster: c1, user: u1}', '- name: two', '  context: {cluster: c2, user: u2}',
      'users:', '- name: u1', '  user: {}', '- name: u2', '  user: {token: abc}',
    ].join('\n');
    const two = parseKubeconfig(text, dir);
    assert.equal(two.server, 'https://two:6443');
    assert.equal(two.token, 'abc');
    assert.equal(String(two.ca), 'CA-PEM');
    assert.equal(parseKubeconfig(text, dir, 'one').server, 'https://one:6443');
    assert.throws(() => parseKubeconfig(text, dir, 'three'), /context "three" not found/);
  });

  test('a bearer token that the server does not know is refused with 401', async () => {
    const cfg = kubeconfigFromFile(server.kubeconfig);
    const { httpsTransport } = await import('../../src/client/index.js');
    const client = new Client(httpsTransport({ server: cfg.server, ca: cfg.ca, token: 'not-a-token' }));
    try {
      await assert.rejects(client.resource(configmaps).list('default'), (e) => isStatusError(e, 'Unauthorized') && e.code === 401);
    } finally {
      client.close();
    }
  });
});
