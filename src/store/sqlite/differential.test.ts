// Differential test: a seeded random history applied to the SQLite and the memory backend must
// give identical outcomes, reads at every retained revision and watch replays, including after
// several chunked compactions and a reopen of the SQLite file.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite-store.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { Store, WatchEvent } from '../store.js';

const root = mkdtempSync(join(tmpdir(), 'capstan-sqlite-diff-'));
after(() => rmSync(root, { recursive: true, force: true }));

function rng(seed: number): (n: number) => number {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (err: any) {
    return { error: err.code };
  }
}

async function replay(s: Store, from: number, to: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('replay timeout')), 5000);
    const w = s.watch('/d/', (m) => {
      if (m.kind === 'events') events.push(...m.events);
      if (m.kind === 'error') reject(m.error);
      if (m.kind === 'events' && m.revision >= to) {
        w.cancel();
        clearTimeout(timer);
        resolve();
      }
    }, { fromRevision: from });
  });
  return events;
}

for (const commitIn of ['worker', 'main'] as const) it(`sqlite (commits in ${commitIn}) and memory backends agree on a random history with compactions`, async () => {
  const path = join(root, `diff-${commitIn}.db`);
  const tuning = { initialChunk: 16, targetChunkMs: 0.001 };
  let sql: Store = openSqliteStore({ path, compaction: tuning, commitIn });
  const mem = createMemoryStore();
  const rand = rng(42);
  const keys = Array.from({ length: 40 }, (_, i) => `/d/${['a', 'b', 'c'][i % 3]}/k${i}`);
  try {
    for (let step = 0; step < 1500; step++) {
      const key = keys[rand(keys.length)]!;
      const cur = (await mem.get(key)).kv;
      const expected = cur && rand(5) > 0 ? cur.modRevision : 1 + rand(Math.max(1, await mem.currentRevision()));
      const value = JSON.stringify({ step });
      const kind = rand(10);
      const deleteExpected = rand(2) ? expected : undefined;
      const run = (s: Store) => (kind < 4 ? s.create(key, value) : kind < 8 ? s.update(key, value, expected) : s.delete(key, deleteExpected));
      assert.deepEqual(await outcome(run(sql)), await outcome(run(mem)), `step ${step}`);
      if (step % 250 === 249) {
        const compacted = await mem.compactRevision();
        const current = await mem.currentRevision();
        const target = compacted + 1 + rand(current - compacted);
        await Promise.all([sql.compact(target), mem.compact(target)]);
      }
    }
    for (let round = 0; round < 2; round++) {
      const compacted = await mem.compactRevision();
      const current = await mem.currentRevision();
      assert.equal(await sql.currentRevision(), current);
      assert.equal(await sql.compactRevision(), compacted);
      for (let rev = compacted; rev <= current; rev += 7) {
        assert.deepEqual(await sql.range('/d/', { revision: rev }), await mem.range('/d/', { revision: rev }), `range at ${rev}`);
        assert.deepEqual(await sql.range('/d/b/', { revision: rev, limit: 3, startKey: '/d/b/k2' }),
          await mem.range('/d/b/', { revision: rev, limit: 3, startKey: '/d/b/k2' }));
        const key = keys[rev % keys.length]!;
        assert.deepEqual(await sql.get(key, { revision: rev }), await mem.get(key, { revision: rev }));
      }
      assert.deepEqual(await replay(sql, compacted, current), await replay(mem, compacted, current));
      await sql.close();
      sql = openSqliteStore({ path, compaction: tuning, commitIn });
    }
  } finally {
    await sql.close();
    await mem.close();
  }
});
