import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteStore } from './sqlite-store.js';
import { describeStoreConformance } from '../conformance.js';
import type { WatchEvent } from '../store.js';

const root = mkdtempSync(join(tmpdir(), 'capstan-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `store-${n++}.db`);
const value = (s: string | number) => JSON.stringify({ kind: 'Pod', metadata: { name: `p${s}` }, pad: 'z'.repeat(1500) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeStoreConformance('sqlite', () => openSqliteStore({ path: freshPath(), leaseCheckIntervalMs: 100 }));
describeStoreConformance('sqlite, commits on the main thread', () =>
  openSqliteStore({ path: freshPath(), leaseCheckIntervalMs: 100, commitIn: 'main' }));

for (const commitIn of ['worker', 'main'] as const) {
  it(`a failed commit (${commitIn}) rejects its whole batch and changes nothing`, async () => {
    const path = freshPath();
    const s = openSqliteStore({ path, commitIn });
    try {
      await s.create('/f/a', value(1));
      // Another connection takes revision 2 behind the store's back: the next commit's insert of
      // revision 2 violates the primary key and its transaction rolls back.
      const other = new Database(path);
      other.prepare(`INSERT INTO kv (revision, key, value, create_revision, prev_revision, version, lease, deleted)
        VALUES (2, '/f/rogue', 'x', 2, 0, 1, 0, 0)`).run();
      const events: WatchEvent[] = [];
      const w = s.watch('/f/', (m) => { if (m.kind === 'events') events.push(...m.events); });
      const results = await Promise.allSettled([s.create('/f/b', value(2)), s.update('/f/a', value(3), 1), s.grantLease(10)]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
      for (const r of results) assert.match(String((r as PromiseRejectedResult).reason.code), /^SQLITE_CONSTRAINT/);
      assert.equal(await s.currentRevision(), 1);
      assert.equal((await s.get('/f/b')).kv, undefined);
      assert.equal((await s.get('/f/a')).kv?.value, value(1));

      other.prepare('DELETE FROM kv WHERE revision = 2').run();
      other.close();
      const b = await s.create('/f/b', value(2));
      assert.equal(b.kv.modRevision, 2, 'the failed batch used no revision');
      assert.ok(await s.grantLease(10) > 0);
      for (let i = 0; i < 100 && events.length < 1; i++) await sleep(10);
      w.cancel();
      assert.deepEqual(events.map((e) => (e.type === 'put' ? [e.kv.key, e.kv.modRevision] : [])), [['/f/b', 2]],
        'watchers saw only the committed write');
    } finally {
      await s.close();
    }
  });
}

it('keeps the event loop turning while the worker commits a batch', async () => {
  const s = openSqliteStore({ path: freshPath() });
  try {
    await s.create('/l/warm', value(0));
    let turns = 0;
    let done = false;
    const spin = () => { if (!done) { turns++; setImmediate(spin); } };
    setImmediate(spin);
    await Promise.all(Array.from({ length: 2000 }, (_, i) => s.create(`/l/${i}`, value(i))));
    done = true;
    // Inline, the whole transaction and its fsync would run within one turn.
    assert.ok(turns > 10, `${turns} event-loop turns during the commit`);
  } finally {
    await s.close();
  }
});

it('a dead commit worker fails the write in flight, pending and later writes; close still completes', async () => {
  const s = openSqliteStore({ path: freshPath() });
  await s.create('/d/a', value(1));
  const worker = (s as unknown as { committer: { worker: { terminate(): Promise<number> } } }).committer.worker;
  const dying = worker.terminate();
  const writes = [s.create('/d/b', value(2)), s.create('/d/c', value(3))];
  await dying;
  const later = s.create('/d/d', value(4));
  for (const r of await Promise.allSettled([...writes, later])) {
    assert.equal(r.status, 'rejected');
    assert.match(String((r as PromiseRejectedResult).reason.message), /sqlite commit worker exited/);
  }
  assert.equal(await s.currentRevision(), 1);
  await s.close();
});

describe('sqlite store', () => {
  it('reopens with the same data, revision, history and compact revision', async () => {
    const path = freshPath();
    let s = openSqliteStore({ path });
    const a = await s.create('/r/a', value(1));
    await s.create('/r/b', value(2));
    await s.update('/r/a', value(3), a.kv.modRevision);
    await s.delete('/r/b');
    await s.create('/r/c', value(4));
    await s.compact(2);
    const before = await s.range('/r/');
    await s.close();

    s = openSqliteStore({ path });
    try {
      assert.equal(await s.currentRevision(), 5);
      assert.equal(await s.compactRevision(), 2);
      assert.deepEqual(await s.range('/r/'), before);
      assert.equal((await s.get('/r/b', { revision: 3 })).kv?.value, value(2));
      const events: WatchEvent[] = [];
      const w = s.watch('/r/', (m) => { if (m.kind === 'events') events.push(...m.events); }, { fromRevision: 3 });
      const c = await s.create('/r/d', value(5));
      assert.equal(c.kv.modRevision, 6, 'revisions continue after reopen');
      for (let i = 0; i < 100 && events.length < 4; i++) await sleep(10);
      w.cancel();
      assert.deepEqual(events.map((e) => [e.type, e.type === 'put' ? e.kv.modRevision : e.revision]),
        [['put', 3], ['delete', 4], ['put', 5], ['put', 6]]);
    } finally {
      await s.close();
    }
  });

  it('never reuses a revision after compaction removed the newest rows and the store reopened', async () => {
    const path = freshPath();
    let s = openSqliteStore({ path });
    await s.create('/r/a', value(1));
    await s.delete('/r/a');
    await s.create('/r/b', value(1));
    await s.delete('/r/b');
    await s.compact(4);
    await s.close();
    s = openSqliteStore({ path });
    try {
      assert.equal(await s.currentRevision(), 4);
      assert.equal((await s.create('/r/c', value(1))).kv.modRevision, 5);
    } finally {
      await s.close();
    }
  });

  it('commits the writes of one turn together, each checked on its own', async () => {
    const s = openSqliteStore({ path: freshPath() });
    try {
      const results = await Promise.allSettled([
        s.create('/r/a', value(1)),
        s.create('/r/a', value(2)),
        s.update('/r/a', value(3), 1),
        s.delete('/r/none'),
        s.create('/r/b', value(4)),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? ('kv' in r.value ? r.value.kv.modRevision : -1) : 0)), [1, 0, 2, 0, 3]);
      assert.equal(await s.currentRevision(), 3);
      assert.equal((await s.get('/r/a')).kv?.value, value(3));
    } finally {
      await s.close();
    }
  });

  it('keeps lease expiry across a restart', async () => {
    const path = freshPath();
    let s = openSqliteStore({ path, leaseCheckIntervalMs: 50 });
    const lease = await s.grantLease(1);
    await s.create('/r/leased', value(1), { lease });
    await s.close();
    s = openSqliteStore({ path, leaseCheckIntervalMs: 50 });
    try {
      assert.equal((await s.get('/r/leased')).kv?.lease, lease);
      for (let i = 0; i < 60 && (await s.get('/r/leased')).kv; i++) await sleep(50);
      assert.equal((await s.get('/r/leased')).kv, undefined);
      const next = await s.grantLease(10);
      assert.ok(next > lease, 'lease ids are not reused');
    } finally {
      await s.close();
    }
  });

  it('keeps every acknowledged write across kill -9', async (t) => {
    const path = freshPath();
    const here = fileURLToPath(import.meta.url);
    const ts = here.endsWith('.ts');
    const script = join(here, '..', ts ? 'crash-writer.ts' : 'crash-writer.js');
    assert.ok(existsSync(script), script);
    const acked: Array<{ key: string; rev: number; run: number }> = [];
    for (let run = 0; run < 4; run++) {
      const child = spawn(process.execPath, [...(ts ? ['--import', 'tsx'] : []), script, path, String(run)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const killAfter = 50 + Math.floor(Math.random() * 250);
      let buffered = '';
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            if (line === 'ready') {
              timer ??= setTimeout(() => child.kill('SIGKILL'), killAfter);
              continue;
            }
            const [key, rev] = line.split(' ');
            acked.push({ key: key!, rev: Number(rev), run });
          }
        });
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (signal === 'SIGKILL') resolve();
          else reject(new Error(`crash writer exited with ${code}/${signal}`));
        });
      });
      assert.ok(acked.some((a) => a.run === run), `run ${run} acknowledged some writes before the kill`);
    }
    t.diagnostic(`${acked.length} acknowledged writes over 4 killed runs`);
    const s = openSqliteStore({ path });
    try {
      const all = await s.range('/crash/');
      const stored = new Map(all.kvs.map((kv) => [kv.key, kv.modRevision]));
      for (const a of acked) assert.equal(stored.get(a.key), a.rev, `acknowledged ${a.key}@${a.rev} survived`);
      const revs = all.kvs.map((kv) => kv.modRevision).sort((x, y) => x - y);
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, 'revisions are unique');
      for (let run = 1; run < 4; run++) {
        const prevMax = Math.max(...acked.filter((a) => a.run === run - 1).map((a) => a.rev));
        const min = Math.min(...acked.filter((a) => a.run === run).map((a) => a.rev));
        assert.ok(min > prevMax, `run ${run} continues after revision ${prevMax}`);
      }
      assert.ok((await s.currentRevision()) >= revs[revs.length - 1]!);
    } finally {
      await s.close();
    }
  });

  it('keeps the file and WAL bounded under churn, compaction never stalls writers over 100 ms', async (t) => {
    const s = openSqliteStore({ path: freshPath() });
    try {
      const keys = Array.from({ length: 200 }, (_, i) => `/registry/configmaps/ns/cm-${i}`);
      for (const k of keys) await s.create(k, value(k));
      let stop = false;
      let writes = 0;
      let last = performance.now();
      let maxGap = 0;
      const writers = Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          const key = keys[(w * 13 + i * 7) % keys.length]!;
          const { kv } = await s.get(key);
          await s.update(key, value(`${w}-${i}`), kv!.modRevision).catch(() => {});
          const now = performance.now();
          maxGap = Math.max(maxGap, now - last);
          last = now;
          writes++;
        }
      });
      const compactions = (async () => {
        let compacted = 0;
        while (!stop) {
          await sleep(200);
          const target = (await s.currentRevision()) - 500;
          if (target > compacted) {
            await s.compact(target);
            compacted = target;
          }
        }
      })();
      // Churn until 30 MB are written (2.5 s on an idle machine), not for a fixed time: a loaded
      // machine writes slower, and the bounds below are about the volume of churn.
      const deadline = performance.now() + 30_000;
      while (writes * value(0).length <= 30e6 && performance.now() < deadline) await sleep(50);
      stop = true;
      await Promise.all([...writers, compactions]);
      const sizes = s.fileSizes();
      const written = writes * value(0).length;
      t.diagnostic(`${writes} writes, ${written} bytes; db ${sizes.db} B, WAL ${sizes.wal} B; max gap ${maxGap.toFixed(1)} ms`);
      assert.ok(written > 30e6, `churn wrote ${written} bytes`);
      assert.ok(sizes.db < 12e6, `database ${sizes.db} bytes after ${written} bytes of churn`);
      assert.ok(sizes.wal <= 17 * 1024 * 1024, `WAL ${sizes.wal} bytes`);
      assert.ok(maxGap < 100, `longest pause between write completions ${maxGap.toFixed(1)} ms`);
      assert.equal((await s.range('/registry/configmaps/')).count, 200);
    } finally {
      await s.close();
    }
  });
});
