// The Store conformance suite: every backend must pass it unchanged. Called from each backend's
// test file with a factory that returns a fresh, empty store (the suite closes it). Backends are
// expected to check leases at least every 200 ms so the 1 s lease tests stay short.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventRevision, isStoreError, type Store, type StoreErrorCode, type WatchEvent, type WatchMessage, type WatchOptions,
} from './store.js';

export type StoreFactory = () => Store | Promise<Store>;

const value = (n: number | string) => JSON.stringify({ kind: 'Pod', metadata: { name: `p${n}` }, pad: 'x'.repeat(200) });

async function rejectsWith(p: Promise<unknown>, code: StoreErrorCode): Promise<any> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStoreError(err, code), `expected StoreError ${code}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected StoreError ${code}, but the call succeeded`);
}

interface Collector {
  messages: WatchMessage[];
  events(): WatchEvent[];
  /** Resolves once `done(messages)` holds; rejects after `timeoutMs`. */
  until(done: (msgs: WatchMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  cancel(): void;
}

function collect(store: Store, prefix: string, opts?: WatchOptions): Collector {
  const messages: WatchMessage[] = [];
  let wake = () => {};
  const watcher = store.watch(prefix, (m) => { messages.push(m); wake(); }, opts);
  return {
    messages,
    events: () => messages.flatMap((m) => (m.kind === 'events' ? m.events : [])),
    until(done, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`watch timeout; got ${JSON.stringify(messages).slice(0, 500)}`)), timeoutMs);
        wake = () => { if (done(messages)) { clearTimeout(timer); resolve(); } };
        wake();
      });
    },
    cancel: () => watcher.cancel(),
  };
}

const lastEventRev = (msgs: WatchMessage[]) =>
  Math.max(0, ...msgs.flatMap((m) => (m.kind === 'events' ? m.events.map(eventRevision) : [])));

export function describeStoreConformance(name: string, factory: StoreFactory): void {
  const withStore = (fn: (s: Store) => Promise<void>) => async () => {
    const store = await factory();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`Store conformance: ${name}`, () => {
    it('shares one revision across keys and tracks create/mod revision and version', withStore(async (s) => {
      assert.equal(await s.currentRevision(), 0);
      const a = await s.create('/r/a', value(1));
      const b = await s.create('/r/b', value(2));
      assert.deepEqual(a.kv, { key: '/r/a', value: value(1), createRevision: 1, modRevision: 1, version: 1, lease: 0 });
      assert.equal(b.kv.modRevision, 2);
      const a2 = await s.update('/r/a', value(3), 1);
      assert.deepEqual(a2.kv, { key: '/r/a', value: value(3), createRevision: 1, modRevision: 3, version: 2, lease: 0 });
      assert.equal(await s.currentRevision(), 3);
      const got = await s.get('/r/a');
      assert.deepEqual(got, { kv: a2.kv, revision: 3 });
      assert.deepEqual(await s.get('/r/missing'), { revision: 3 });
    }));

    it('rejects create of an existing key with KeyExists and the current value', withStore(async (s) => {
      const a = await s.create('/r/a', value(1));
      const err = await rejectsWith(s.create('/r/a', value(2)), 'KeyExists');
      assert.deepEqual(err.current, a.kv);
      assert.equal(await s.currentRevision(), 1, 'a failed write takes no revision');
    }));

    it('rejects stale update and delete with Conflict, missing keys with KeyNotFound', withStore(async (s) => {
      const a = await s.create('/r/a', value(1));
      const a2 = await s.update('/r/a', value(2), a.kv.modRevision);
      let err = await rejectsWith(s.update('/r/a', value(3), a.kv.modRevision), 'Conflict');
      assert.deepEqual(err.current, a2.kv);
      err = await rejectsWith(s.delete('/r/a', a.kv.modRevision), 'Conflict');
      assert.deepEqual(err.current, a2.kv);
      await rejectsWith(s.update('/r/none', value(1), 1), 'KeyNotFound');
      await rejectsWith(s.delete('/r/none'), 'KeyNotFound');
      assert.equal(await s.currentRevision(), 2);
      const del = await s.delete('/r/a', a2.kv.modRevision);
      assert.deepEqual(del, { revision: 3, prevKv: a2.kv });
      assert.equal((await s.get('/r/a')).kv, undefined);
      const again = await s.create('/r/a', value(4));
      assert.equal(again.kv.createRevision, 4);
      assert.equal(again.kv.version, 1);
    }));

    it('ranges by prefix with limit, startKey, count, more and countOnly', withStore(async (s) => {
      for (const k of ['c', 'a', 'e', 'b', 'd']) await s.create(`/registry/pods/ns/${k}`, value(k));
      await s.create('/registry/pods2/x', value('x'));
      await s.create('/registry/pod', value('y'));
      const all = await s.range('/registry/pods/');
      assert.deepEqual(all.kvs.map((kv) => kv.key.slice(-1)), ['a', 'b', 'c', 'd', 'e']);
      assert.equal(all.count, 5);
      assert.equal(all.more, false);
      assert.equal(all.revision, 7);
      const page1 = await s.range('/registry/pods/', { limit: 2 });
      assert.deepEqual(page1.kvs.map((kv) => kv.key.slice(-1)), ['a', 'b']);
      assert.equal(page1.more, true);
      assert.equal(page1.count, 5);
      const page2 = await s.range('/registry/pods/', { limit: 2, startKey: page1.kvs[1]!.key + '\x00' });
      assert.deepEqual(page2.kvs.map((kv) => kv.key.slice(-1)), ['c', 'd']);
      assert.equal(page2.count, 3);
      assert.equal(page2.more, true);
      const page3 = await s.range('/registry/pods/', { limit: 2, startKey: '/registry/pods/ns/e' });
      assert.deepEqual(page3.kvs.map((kv) => kv.key.slice(-1)), ['e']);
      assert.equal(page3.more, false);
      const counted = await s.range('/registry/pods/', { countOnly: true });
      assert.deepEqual(counted, { kvs: [], revision: 7, more: false, count: 5 });
      assert.equal((await s.range('/registry/')).count, 7);
      assert.equal((await s.range('')).count, 7);
      assert.equal((await s.range('/nothing/')).count, 0);
    }));

    it('reads at an old revision see the state at that revision', withStore(async (s) => {
      const a = await s.create('/r/a', value(1));
      await s.create('/r/b', value(2));
      const rev2 = await s.currentRevision();
      await s.update('/r/a', value(3), a.kv.modRevision);
      await s.delete('/r/b');
      await s.create('/r/c', value(4));
      assert.equal((await s.get('/r/a', { revision: 1 })).kv?.value, value(1));
      assert.equal((await s.get('/r/b', { revision: 3 })).kv?.value, value(2));
      assert.equal((await s.get('/r/b', { revision: 4 })).kv, undefined);
      const old = await s.range('/r/', { revision: rev2 });
      assert.deepEqual(old.kvs.map((kv) => [kv.key, kv.value, kv.modRevision]), [['/r/a', value(1), 1], ['/r/b', value(2), 2]]);
      assert.equal(old.revision, rev2);
      assert.equal(old.count, 2);
      const paged = await s.range('/r/', { revision: rev2, limit: 1 });
      assert.equal(paged.more, true);
      assert.equal(paged.count, 2);
      const next = await s.range('/r/', { revision: rev2, limit: 1, startKey: '/r/a\x00' });
      assert.deepEqual(next.kvs.map((kv) => kv.key), ['/r/b']);
      assert.equal(next.more, false);
      assert.equal((await s.range('/r/', { revision: 4, countOnly: true })).count, 1);
      await rejectsWith(s.get('/r/a', { revision: 99 }), 'FutureRevision');
      await rejectsWith(s.range('/r/', { revision: 99 }), 'FutureRevision');
    }));

    it('watch from now delivers puts (with prevKv on update) and deletes', withStore(async (s) => {
      const a = await s.create('/r/a', value(1));
      const w = collect(s, '/r/');
      const a2 = await s.update('/r/a', value(2), a.kv.modRevision);
      await s.delete('/r/a');
      await w.until((m) => lastEventRev(m) >= 3);
      w.cancel();
      const events = w.events();
      assert.deepEqual(events, [
        { type: 'put', kv: a2.kv, prevKv: a.kv },
        { type: 'delete', key: '/r/a', revision: 3, prevKv: a2.kv },
      ]);
    }));

    it('watch of a prefix ignores other prefixes', withStore(async (s) => {
      const w = collect(s, '/registry/pods/');
      await s.create('/registry/pods2/x', value(1));
      await s.create('/registry/podsx', value(1));
      await s.create('/registry/services/x', value(2));
      await s.create('/registry/pods/ns/a', value(3));
      await w.until((m) => lastEventRev(m) >= 4);
      w.cancel();
      assert.deepEqual(w.events().map((e) => (e.type === 'put' ? e.kv.key : e.key)), ['/registry/pods/ns/a']);
    }));

    it('watch from a past revision replays then continues live without gap or duplicate', withStore(async (s) => {
      for (let i = 0; i < 2500; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => s.create(`/r/k${i + j}`, value(i + j))));
      }
      const writers = Array.from({ length: 16 }, async (_, wi) => {
        for (let i = 0; i < 40; i++) {
          const key = `/r/k${wi * 10 + (i % 10)}`;
          const { kv } = await s.get(key);
          await s.update(key, value(`${wi}-${i}`), kv!.modRevision).catch((err) => {
            if (!isStoreError(err, 'Conflict')) throw err;
          });
          if (i % 7 === 0) await s.create(`/r/new-${wi}-${i}`, value(i));
          if (i % 5 === 0) await new Promise((r) => setImmediate(r));
        }
      });
      await new Promise((r) => setImmediate(r));
      const w = collect(s, '/r/', { fromRevision: 5 });
      await Promise.all(writers);
      const last = await s.currentRevision();
      await w.until((m) => lastEventRev(m) >= last, 10000);
      w.cancel();
      const revs = w.events().map(eventRevision);
      assert.equal(revs.length, last - 4);
      revs.forEach((r, i) => assert.equal(r, 5 + i, `event ${i} has revision ${r}`));
      const batches = w.messages.filter((m) => m.kind === 'events');
      for (const b of batches) {
        if (b.kind === 'events') assert.ok(b.events.every((e) => eventRevision(e) <= b.revision));
      }
    }));

    it('answers requestProgress after everything up to the current revision was delivered', withStore(async (s) => {
      await s.create('/r/a', value(1));
      const w = collect(s, '/r/', { fromRevision: 1 });
      const other = collect(s, '/other/');
      await s.create('/r/b', value(2));
      s.requestProgress();
      await w.until((m) => m.some((x) => x.kind === 'progress'));
      await other.until((m) => m.some((x) => x.kind === 'progress'));
      w.cancel();
      other.cancel();
      const i = w.messages.findIndex((x) => x.kind === 'progress');
      assert.deepEqual(w.messages[i], { kind: 'progress', revision: 2 });
      assert.equal(lastEventRev(w.messages.slice(0, i)), 2);
      assert.deepEqual(other.messages, [{ kind: 'progress', revision: 2 }]);
    }));

    it('emits progress notifications on an idle watcher with progressIntervalMs', withStore(async (s) => {
      await s.create('/other/a', value(1));
      const w = collect(s, '/r/', { progressIntervalMs: 50 });
      await w.until((m) => m.length >= 2, 2000);
      w.cancel();
      assert.deepEqual(w.messages.slice(0, 2), [{ kind: 'progress', revision: 1 }, { kind: 'progress', revision: 1 }]);
    }));

    it('deletes keys of an expired lease with delete events, and on revoke', withStore(async (s) => {
      const lease = await s.grantLease(1);
      const other = await s.grantLease(60);
      await s.create('/r/leased', value(1), { lease });
      await s.create('/r/kept', value(2), { lease: other });
      const x = await s.create('/r/x', value(3), { lease: other });
      await s.update('/r/x', value(4), x.kv.modRevision);
      assert.equal((await s.get('/r/x')).kv?.lease, other, 'update keeps the lease');
      await rejectsWith(s.create('/r/bad', value(1), { lease: 424242 }), 'LeaseNotFound');
      const w = collect(s, '/r/');
      const t0 = Date.now();
      await w.until(() => w.events().length >= 1, 4000);
      const [ev] = w.events();
      assert.equal(ev!.type, 'delete');
      assert.equal(ev!.type === 'delete' && ev.key, '/r/leased');
      assert.ok(Date.now() - t0 < 3000);
      assert.equal((await s.get('/r/leased')).kv, undefined);
      assert.ok((await s.get('/r/kept')).kv);
      await s.revokeLease(other);
      assert.equal((await s.range('/r/')).count, 0);
      await rejectsWith(s.revokeLease(other), 'LeaseNotFound');
      await w.until(() => w.events().length >= 3);
      w.cancel();
      assert.deepEqual(w.events().map((e) => e.type), ['delete', 'delete', 'delete']);
    }));

    it('compaction discards old history: Compacted for get, range and watch; current values kept', withStore(async (s) => {
      const a = await s.create('/r/a', value(1));
      await s.create('/r/b', value(2));
      await s.delete('/r/b');
      const a2 = await s.update('/r/a', value(3), a.kv.modRevision);
      await s.create('/r/c', value(4));
      await s.compact(4);
      assert.equal(await s.compactRevision(), 4);
      let err = await rejectsWith(s.get('/r/a', { revision: 3 }), 'Compacted');
      assert.equal(err.compactRevision, 4);
      err = await rejectsWith(s.range('/r/', { revision: 2 }), 'Compacted');
      assert.equal(err.compactRevision, 4);
      await rejectsWith(s.compact(3), 'Compacted');
      await rejectsWith(s.compact(99), 'FutureRevision');
      const at4 = await s.range('/r/', { revision: 4 });
      assert.deepEqual(at4.kvs, [a2.kv]);
      assert.deepEqual((await s.range('/r/')).kvs.map((kv) => kv.key), ['/r/a', '/r/c']);
      assert.deepEqual((await s.get('/r/a')).kv, a2.kv);
      const w = collect(s, '/r/', { fromRevision: 2 });
      await w.until((m) => m.length >= 1);
      const msg = w.messages[0]!;
      assert.equal(msg.kind, 'error');
      assert.ok(msg.kind === 'error' && isStoreError(msg.error, 'Compacted'));
      assert.equal(msg.kind === 'error' && msg.error.compactRevision, 4);
      const ok = collect(s, '/r/', { fromRevision: 4 });
      await ok.until((m) => lastEventRev(m) >= 5);
      ok.cancel();
      assert.deepEqual(ok.events(), [
        { type: 'put', kv: a2.kv, prevKv: a.kv },
        { type: 'put', kv: (await s.get('/r/c')).kv },
      ]);
      await s.compact(await s.currentRevision());
      assert.deepEqual((await s.range('/r/')).kvs.map((kv) => kv.key), ['/r/a', '/r/c']);
    }));

    it('close ends watchers with Closed and rejects later calls', async () => {
      const s = await factory();
      const w = collect(s, '/r/');
      await s.create('/r/a', value(1));
      await s.close();
      await w.until((m) => m.some((x) => x.kind === 'error'));
      const last = w.messages[w.messages.length - 1]!;
      assert.ok(last.kind === 'error' && isStoreError(last.error, 'Closed'));
      await rejectsWith(s.create('/r/b', value(1)), 'Closed');
      await rejectsWith(s.get('/r/a'), 'Closed');
      await s.close();
    });
  });
}
