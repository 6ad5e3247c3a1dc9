// Child process for the kill -9 durability test (sqlite-store.test.ts): opens the store at
// argv[2] and creates keys under /crash/<argv[3]>/ from 32 concurrent writers forever, printing
// "<key> <modRevision>" for each write only AFTER its promise resolved (i.e. it is acknowledged).
// The parent kills it with SIGKILL at a random moment and checks every printed key survived.
import { openSqliteStore } from './sqlite-store.js';

const [path, run] = process.argv.slice(2);
if (!path || !run) throw new Error('usage: crash-writer <db path> <run id>');
const store = openSqliteStore({ path });
const value = JSON.stringify({ kind: 'ConfigMap', data: { pad: 'y'.repeat(1024) } });
let next = 0;

async function writeOne(): Promise<void> {
  const key = `/crash/${run}/${String(next++).padStart(8, '0')}`;
  const { kv } = await store.create(key, value);
  process.stdout.write(`${key} ${kv.modRevision}\n`);
}

async function writer(): Promise<void> {
  while (true) await writeOne();
}

// "ready" once a first write committed (the commit worker has started), so the kill lands in the storm.
await writeOne();
process.stdout.write('ready\n');
await Promise.all(Array.from({ length: 32 }, writer));
