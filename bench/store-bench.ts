// Store benchmark (not a test): write throughput at 1/16/64 concurrent writers and range reads of
// 10,000 keys at the current and at an old revision, for the SQLite and memory backends.
// Run: node --import tsx bench/store-bench.ts [seconds per write run, default 2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, openSqliteStore, type Store } from '../src/store/index.js';

const seconds = Number(process.argv[2] ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'capstan-store-bench-'));
let dbs = 0;
const backends: Record<string, () => Store> = {
  sqlite: () => openSqliteStore({ path: join(dir, `bench-${dbs++}.db`) }),
  memory: () => createMemoryStore(),
};
const podJson = (name: string) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'registry.example/app:1.0', args: ['x'.repeat(1200)] }] },
});

async function writeRate(make: () => Store, concurrency: number): Promise<{ rate: number; p99: number }> {
  const store = make();
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      await store.create(`/registry/pods/default/pod-${w}-${i}`, podJson(`pod-${w}-${i}`));
      latencies.push(performance.now() - t0);
    }
  }));
  await store.close();
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function rangeTimes(make: () => Store): Promise<Record<string, number>> {
  const store = make();
  const keys = Array.from({ length: 10_000 }, (_, i) => `/registry/pods/default/pod-${String(i).padStart(5, '0')}`);
  for (let i = 0; i < keys.length; i += 500) {
    await Promise.all(keys.slice(i, i + 500).map((k) => store.create(k, podJson(k))));
  }
  const oldRevision = await store.currentRevision();
  for (let i = 0; i < keys.length; i += 500) {
    await Promise.all(keys.slice(i, i + 500).map((k, j) => store.update(k, podJson(k + '-v2'), oldRevision - keys.length + i + j + 1)));
  }
  const pages = async (revision?: number) => {
    let startKey: string | undefined;
    for (;;) {
      const r = await store.range('/registry/pods/', { limit: 500, startKey, revision });
      if (!r.more) return;
      startKey = r.kvs[r.kvs.length - 1]!.key + '\x00';
    }
  };
  const result = {
    'range 10k current': await timed(() => store.range('/registry/pods/')),
    'range 10k old rev': await timed(() => store.range('/registry/pods/', { revision: oldRevision })),
    '20 pages of 500, current': await timed(() => pages()),
    '20 pages of 500, old rev': await timed(() => pages(oldRevision)),
    'count only, old rev': await timed(() => store.range('/registry/pods/', { revision: oldRevision, countOnly: true })),
  };
  await store.close();
  return result;
}

try {
  console.log(`writes: ${seconds}s per run, ~1.4 KiB values`);
  console.log('backend  writers    writes/s   p99 ms');
  for (const [name, make] of Object.entries(backends)) {
    for (const c of [1, 16, 64]) {
      const { rate, p99 } = await writeRate(make, c);
      console.log(`${name.padEnd(8)} ${String(c).padStart(7)} ${rate.toFixed(0).padStart(11)} ${p99.toFixed(2).padStart(8)}`);
    }
  }
  console.log('\nreads (ms)                  sqlite    memory');
  const sqlite = await rangeTimes(backends.sqlite!);
  const memory = await rangeTimes(backends.memory!);
  for (const k of Object.keys(sqlite)) {
    console.log(`${k.padEnd(26)} ${sqlite[k]!.toFixed(1).padStart(7)} ${memory[k]!.toFixed(1).padStart(9)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
