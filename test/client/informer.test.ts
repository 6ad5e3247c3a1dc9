// Informers against a real server (add/update/delete in order, indexes, restarts, 410 after
// compaction) and against a scripted transport (resume points, dedup, relist diffs).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, type KubeObject } from '../../src/api/index.js';
import { Client, Informer, loopbackTransport, transportFromKubeconfig, type Transport } from '../../src/client/index.js';
import { startTestServer, tempDir, type TestServer } from '../support/server.js';
import { cm, SwitchableTransport, until } from './helpers.js';

const configmaps = { group: '', version: 'v1', plural: 'configmaps', namespaced: true, kind: 'ConfigMap' };
const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' };

/** Records handler calls as `add:name@rv`, `update:name@oldRv->newRv`, `delete:name`. */
function recorder(informer: Informer, filter: (o: KubeObject) => boolean = () => true) {
  const log: string[] = [];
  const id = (o: KubeObject) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  informer.addEventHandler({
    onAdd: (o) => { if (filter(o)) log.push(`add:${o.metadata?.name}`); },
    onUpdate: (a, b) => { if (filter(b)) log.push(`update:${b.metadata?.name}:${a.metadata?.resourceVersion === b.metadata?.resourceVersion ? 'same' : 'changed'}`); },
    onDelete: (o) => { if (filter(o)) log.push(`delete:${o.metadata?.name}`); },
  });
  return { log, id };
}

describe('informer on a live server', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startTestServer({ memory: true });
    client = new Client(loopbackTransport(server.api.loopback.bind(server.api)));
    await client.resource({ group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' }).create('', { metadata: { name: 'inf' } });
  });
  after(async () => { await server.stop(); });

  test('delivers add, update, delete in order; cache and index are current inside handlers', async () => {
    const rc = client.resource(configmaps);
    await rc.create('inf', cm('pre', {}, { app: 'x' }));
    const informer = new Informer(rc, {
      namespace: 'inf', indexers: { app: (o) => (o.metadata?.labels?.app ? [o.metadata.labels.app] : []) }, backoff: { initialMs: 50, maxMs: 500 },
    });
    const seenInHandler: string[] = [];
    informer.addEventHandler({ onUpdate: (_a, b) => seenInHandler.push(String(informer.store.get(`inf/${b.metadata?.name}`)?.data && JSON.stringify(informer.store.get(`inf/${b.metadata?.name}`)?.data))) });
    const { log } = recorder(informer);
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    assert.equal(await informer.waitForSync(AbortSignal.timeout(15_000)), true);
    assert.ok(informer.hasSynced());
    assert.deepEqual(log, ['add:pre']);
    assert.deepEqual(informer.store.byIndex('app', 'x').map((o) => o.metadata?.name), ['pre']);

    await rc.create('inf', cm('a', {}, { app: 'y' }));
    for (let i = 1; i <= 5; i++) await rc.patch('inf', 'a', 'merge', { data: { n: String(i) } });
    await rc.patch('inf', 'a', 'merge', { metadata: { labels: { app: 'x' } } });
    await rc.delete('inf', 'pre');
    await until('delete of pre', () => log.includes('delete:pre'));
    assert.deepEqual(log, ['add:pre', 'add:a', ...Array(6).fill('update:a:changed'), 'delete:pre']);
    assert.equal(seenInHandler[4], JSON.stringify({ n: '5' }), 'the cache holds the delivered state when handlers run');
    assert.deepEqual(informer.store.byIndex('app', 'x').map((o) => o.metadata?.name), ['a']);
    assert.deepEqual(informer.store.byIndex('app', 'y'), []);
    assert.equal(informer.store.getByName('inf', 'a')?.data?.['n' as never], '5');

    const late: string[] = [];
    informer.addEventHandler({ onAdd: (o) => late.push(o.metadata!.name!) });
    assert.deepEqual(late, ['a'], 'a late handler is told about cached objects');

    stop.abort();
    await running;
    assert.equal(await informer.waitForSync(), true);
  });

  test('indexes pods by spec.nodeName and resyncs periodically', async () => {
    const podsRc = client.resource(pods);
    const informer = new Informer(podsRc, {
      indexers: { nodeName: (p) => [String((p.spec as { nodeName?: string })?.nodeName ?? '')] }, resyncPeriodMs: 200,
    });
    const { log } = recorder(informer, (o) => o.metadata?.namespace === 'inf');
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    await informer.waitForSync(AbortSignal.timeout(15_000));
    await podsRc.create('inf', { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    await podsRc.create('inf', 'p1', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'n1' } });
    await until('p1 indexed under n1', () => informer.store.byIndex('nodeName', 'n1').length === 1);
    assert.deepEqual(informer.store.byIndex('nodeName', ''), []);
    await until('a resync update', () => log.includes('update:p1:same'));
    stop.abort();
    await running;
  });
  test('a transform shapes what is cached and delivered, for listed and watched objects', async () => {
    const rc = client.resource(configmaps);
    await rc.create('inf', cm('t-listed', { big: 'x'.repeat(1000), keep: '1' }));
    const informer = new Informer(rc, {
      namespace: 'inf',
      transform: (o) => ({ ...o, data: { keep: (o as { data?: Record<string, string> }).data?.keep ?? '' } }) as KubeObject,
    });
    const delivered: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => delivered.push(`add:${o.metadata?.name}:${JSON.stringify(o.data)}`),
      onUpdate: (_a, b) => delivered.push(`update:${b.metadata?.name}:${JSON.stringify(b.data)}`),
      onDelete: (o) => delivered.push(`delete:${o.metadata?.name}:${JSON.stringify(o.data)}`),
    });
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    await informer.waitForSync(AbortSignal.timeout(15_000));
    await rc.create('inf', cm('t-watched', { big: 'y', keep: '2' }));
    await rc.patch('inf', 't-watched', 'merge', { data: { keep: '3' } });
    await rc.delete('inf', 't-watched');
    await until('delete of t-watched', () => delivered.some((d) => d.startsWith('delete:t-watched')));
    assert.ok(delivered.includes('add:t-listed:{"keep":"1"}'), delivered.join(' '));
    assert.deepEqual(delivered.filter((d) => d.includes('t-watched')), ['add:t-watched:{"keep":"2"}', 'update:t-watched:{"keep":"3"}', 'delete:t-watched:{"keep":"3"}']);
    assert.deepEqual(informer.store.getByName('inf', 't-listed')?.data, { keep: '1' });
    assert.ok(informer.store.getByName('inf', 't-listed')?.metadata?.resourceVersion, 'metadata kept');
    stop.abort();
    await running;
  });
});

describe('informer across server restarts and compaction', () => {
  test('resumes after a restart without duplicates; relists after 410 Expired', async () => {
    const dir = tempDir('capstan-informer-');
    let server = await startTestServer({ dataDir: dir.path });
    const link = new SwitchableTransport(transportFromKubeconfig(server.kubeconfig));
    const errors: unknown[] = [];
    const informer = new Informer(new Client(link).resource(configmaps), {
      namespace: 'default', backoff: { initialMs: 50, maxMs: 400 }, onError: (e) => errors.push(e),
    });
    const { log } = recorder(informer);
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    let admin = new Client(transportFromKubeconfig(server.kubeconfig));
    try {
      await informer.waitForSync(AbortSignal.timeout(15_000));
      const rc = () => admin.resource(configmaps);
      await rc().create('default', cm('a'));
      await rc().create('default', cm('b'));
      await until('a and b', () => log.length === 2);

      // Restart: same data, new port. The informer resumes from its resourceVersion.
      link.disconnect();
      admin.close();
      await server.stop();
      server = await startTestServer({ dataDir: dir.path });
      admin = new Client(transportFromKubeconfig(server.kubeconfig));
      await rc().create('default', cm('c'));
      link.connect(transportFromKubeconfig(server.kubeconfig));
      await until('c after the restart', () => log.includes('add:c'));
      assert.deepEqual(log, ['add:a', 'add:b', 'add:c'], 'nothing delivered twice after resuming');
      assert.ok(!errors.some((e) => isStatusError(e) && e.code === 410), 'resumed, not relisted');

      // Changes while cut off, then compaction and a restart: resuming is impossible (410).
      link.disconnect();
      await rc().patch('default', 'a', 'merge', { data: { v: '2' } });
      await rc().delete('default', 'b');
      await rc().create('default', cm('d'));
      await server.store.compact(await server.store.currentRevision());
      admin.close();
      await server.stop();
      server = await startTestServer({ dataDir: dir.path });
      admin = new Client(transportFromKubeconfig(server.kubeconfig));
      link.connect(transportFromKubeconfig(server.kubeconfig));
      await until('relist delivered d', () => log.includes('add:d'));
      await until('relist delivered the delete of b', () => log.includes('delete:b'));
      assert.deepEqual(log.slice(3).sort(), ['add:d', 'delete:b', 'update:a:changed']);
      assert.ok(errors.some((e) => isStatusError(e) && e.code === 410), 'the watch failed with 410 Expired');
      assert.deepEqual(informer.store.listKeys().sort(), ['default/a', 'default/c', 'default/d']);

      // And the watch continues normally afterwards.
      await rc().create('default', cm('e'));
      await until('e', () => log.includes('add:e'));
      assert.equal(log.filter((l) => l === 'add:e').length, 1);
    } finally {
      stop.abort();
      await running;
      admin.close();
      link.target.close?.();
      await server.stop();
      dir.remove();
    }
  });
});

describe('informer against a scripted server', () => {
  test('resumes from the last event or bookmark, skips replays, relists to a diff on ERROR 410', async () => {
    const obj = (name: string, rv: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: String(rv) } });
    const lists = [
      { metadata: { resourceVersion: '10' }, items: [obj('a', 5), obj('gone', 6)] },
      { metadata: { resourceVersion: '20' }, items: [obj('a', 11), obj('gone', 6), obj('b', 13)] },
    ];
    const watches: string[][] = [
      // A replay of what the list already had, then a change and a bookmark; then the server ends it.
      [JSON.stringify({ type: 'ADDED', object: obj('a', 5) }), JSON.stringify({ type: 'MODIFIED', object: obj('a', 11) }),
        JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '12' } } })],
      [JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 12 (15)' } })],
    ];
    const requests: string[] = [];
    const transport: Transport = {
      async request(req) {
        requests.push(`list ${new URL(req.path, 'http://x').searchParams.get('resourceVersion') ?? ''}`);
        return { status: 200, headers: {}, body: JSON.stringify(lists.shift()) };
      },
      async watch(req, onLine, signal) {
        requests.push(`watch ${new URL(req.path, 'http://x').searchParams.get('resourceVersion')}`);
        const lines = watches.shift();
        if (!lines) {
          await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
          return { status: 200 };
        }
        for (const l of lines) onLine(l);
        return { status: 200 };
      },
    };
    const reported: unknown[] = [];
    const informer = new Informer(new Client(transport).resource(configmaps), { backoff: { initialMs: 1, maxMs: 5 }, onError: (e) => reported.push(e) });
    informer.addEventHandler({ onAdd: () => { throw new Error('handler bug'); } });
    const { log } = recorder(informer);
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    await until('second relist', () => log.includes('add:b'));
    await until('third watch', () => requests.length >= 5);
    stop.abort();
    await running;
    assert.deepEqual(log, ['add:a', 'add:gone', 'update:a:changed', 'add:b']);
    assert.deepEqual(requests, ['list ', 'watch 10', 'watch 12', 'list ', 'watch 20']);
    assert.equal(informer.lastSyncResourceVersion, '20');
    assert.equal(reported.filter((e) => (e as Error).message === 'handler bug').length, 3, 'a throwing handler is reported, the others still run');
  });
});
