import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RecordStore } from './record-store.js';

interface Rec { id: string; n: number; note?: string }

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'record-store-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('put writes the record file before serving it; a new store over the same dir reads it back', () => withDir(async (dir) => {
  const store = new RecordStore<Rec>(dir, 'rec.json');
  await store.put({ id: 'a', n: 1 });
  assert.deepEqual(JSON.parse(await readFile(path.join(dir, 'a', 'rec.json'), 'utf8')), { id: 'a', n: 1 });
  await store.put({ id: 'a', n: 2 });
  const again = new RecordStore<Rec>(dir, 'rec.json');
  assert.deepEqual(await again.get('a'), { id: 'a', n: 2 });
  assert.deepEqual(await again.list(), [{ id: 'a', n: 2 }]);
}));

test('records on disk before the first read are adopted; unreadable ones and bare directories are skipped', () => withDir(async (dir) => {
  await mkdir(path.join(dir, 'old'), { recursive: true });
  await writeFile(path.join(dir, 'old', 'rec.json'), JSON.stringify({ id: 'old', n: 7 }));
  await mkdir(path.join(dir, 'torn'), { recursive: true });
  await writeFile(path.join(dir, 'torn', 'rec.json'), '{"id":"torn",');
  await mkdir(path.join(dir, 'empty'), { recursive: true });
  const store = new RecordStore<Rec>(dir, 'rec.json');
  assert.deepEqual(await store.list(), [{ id: 'old', n: 7 }]);
  assert.equal(await store.get('torn'), undefined);
  assert.equal(await store.get('missing'), undefined);
}));

test('every read is a fresh copy: changing it changes neither memory nor disk', () => withDir(async (dir) => {
  const store = new RecordStore<Rec>(dir, 'rec.json');
  await store.put({ id: 'a', n: 1 });
  const got = (await store.get('a'))!;
  got.n = 99;
  got.note = 'changed';
  (await store.list())[0]!.n = 98;
  assert.deepEqual(await store.get('a'), { id: 'a', n: 1 });
}));

test('forget stops serving a record whose directory was removed', () => withDir(async (dir) => {
  const store = new RecordStore<Rec>(dir, 'rec.json');
  await store.put({ id: 'a', n: 1 });
  await store.put({ id: 'b', n: 2 });
  await rm(path.join(dir, 'a'), { recursive: true });
  store.forget('a');
  assert.equal(await store.get('a'), undefined);
  assert.deepEqual((await store.list()).map((r) => r.id), ['b']);
}));

test('list with a filter copies only the records it accepts', () => withDir(async (dir) => {
  const store = new RecordStore<Rec>(dir, 'rec.json');
  for (const [id, n] of [['a', 1], ['b', 2], ['c', 3]] as const) await store.put({ id, n });
  const odd = await store.list((r) => r.n % 2 === 1);
  assert.deepEqual(odd.map((r) => r.id).sort(), ['a', 'c']);
  odd[0]!.n = 42;
  assert.deepEqual((await store.list((r) => r.n === 42)), []);
}));
