// The watch cache against the in-memory store: snapshot + follow, ordered replay from history,
// filtered transitions (a change that stops matching is a DELETED), consistent-read waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../../store/index.js';
import { WatchCache } from './watch-cache.js';
import { injectResourceVersion, encodeForStorage, type CachedObject } from './cached-object.js';
import type { WatchFilter } from './resource-cache.js';

const PREFIX = '/registry/configmaps/';
const cm = (name: string, labels: Record<string, string> = {}) =>
  encodeForStorage({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', labels }, data: { k: name } });

const byLabel = (key: string, value: string): WatchFilter => ({
  prefix: PREFIX,
  matches: (o: CachedObject) => o.obj.metadata?.labels?.[key] === value,
});

test('resourceVersion is injected without re-serialising', () => {
  assert.equal(injectResourceVersion('{"apiVersion":"v1","kind":"X","metadata":{"name":"a"}}', 7), '{"apiVersion":"v1","kind":"X","metadata":{"resourceVersion":"7","name":"a"}}');
  assert.equal(injectResourceVersion('{"apiVersion":"v1","kind":"X","metadata":{}}', 7), '{"apiVersion":"v1","kind":"X","metadata":{"resourceVersion":"7"}}');
  assert.equal(injectResourceVersion('{"data":{"metadata":{}}}', 7), undefined, 'a nested metadata key is not trusted');
});

test('loads a snapshot, follows the store, and serves consistent reads', async () => {
  const store = createMemoryStore();
  await store.create(`${PREFIX}ns/a`, cm('a'));
  const cache = new WatchCache(store, [PREFIX]);
  await cache.start();
  try {
    const rc = cache.resource(PREFIX);
    assert.deepEqual(rc.list(PREFIX).map((o) => o.obj.metadata?.name), ['a']);
    const { kv } = await store.create(`${PREFIX}ns/b`, cm('b'));
    await cache.waitFresh();
    assert.ok(cache.revision >= kv.modRevision);
    assert.deepEqual(rc.list(`${PREFIX}ns/`).map((o) => o.obj.metadata?.name), ['a', 'b']);
    assert.equal(rc.get(`${PREFIX}ns/b`)!.obj.metadata?.resourceVersion, String(kv.modRevision));
    assert.equal(JSON.parse(rc.get(`${PREFIX}ns/b`)!.json).metadata.resourceVersion, String(kv.modRevision));
  } finally {
    cache.stop();
    await store.close();
  }
});

test('a watcher replays history after its revision, then gets live events, with filter transitions', async () => {
  const store = createMemoryStore();
  const cache = new WatchCache(store, [PREFIX]);
  await cache.start();
  try {
    const a = await store.create(`${PREFIX}ns/a`, cm('a', { app: 'x' }));
    const start = a.kv.modRevision;
    await store.update(`${PREFIX}ns/a`, cm('a', { app: 'y' }), start); // stops matching app=x
    await store.create(`${PREFIX}ns/b`, cm('b', { app: 'x' }));
    await cache.waitFresh();
    const seen: string[] = [];
    const cancel = cache.resource(PREFIX).watchFrom(start - 1, byLabel('app', 'x'), {
      send: (type, o) => seen.push(`${type}:${o.obj.metadata?.name}@${o.revision}`),
    });
    assert.ok(cancel);
    const d = await store.delete(`${PREFIX}ns/b`);
    await cache.waitFresh();
    cancel!();
    assert.deepEqual(seen, [
      `ADDED:a@${start}`,
      `DELETED:a@${start + 1}`,
      `ADDED:b@${start + 2}`,
      `DELETED:b@${d.revision}`,
    ]);
  } finally {
    cache.stop();
    await store.close();
  }
});

test('waitFresh times out for a revision the store has not reached', async () => {
  const store = createMemoryStore();
  const cache = new WatchCache(store, [PREFIX]);
  await cache.start();
  try {
    await assert.rejects(cache.waitFresh(1_000_000, 50), /Too large resource version/);
  } finally {
    cache.stop();
    await store.close();
  }
});
