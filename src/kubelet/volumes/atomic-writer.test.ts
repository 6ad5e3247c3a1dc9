import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readlink, readdir, rm, stat, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeAtomic, validatePayloadPath, type Payload } from './atomic-writer.js';

const roots: string[] = [];
after(async () => { for (const r of roots) await rm(r, { recursive: true, force: true }); });

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'atomic-writer-'));
  roots.push(d);
  return d;
}

const payload = (entries: Record<string, string>, mode = 0o644): Payload => new Map(Object.entries(entries).map(([k, v]) => [k, { data: Buffer.from(v), mode }]));

test('layout: ..data → ..<timestamp>, user-visible symlinks to ..data/<top-level name>', async () => {
  const dir = path.join(await tempDir(), 'vol');
  assert.equal(await writeAtomic(dir, payload({ a: '1', 'sub/b': '2' }, 0o600), { now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }), true);
  const ts = await readlink(path.join(dir, '..data'));
  assert.match(ts, /^\.\.2026_01_02_03_04_05\.[0-9A-Za-z]+$/);
  assert.equal(await readlink(path.join(dir, 'a')), '..data/a');
  assert.equal(await readlink(path.join(dir, 'sub')), '..data/sub');
  assert.equal(await readFile(path.join(dir, 'sub/b'), 'utf8'), '2');
  assert.equal((await stat(path.join(dir, 'a'))).mode & 0o777, 0o600);
  assert.equal((await stat(path.join(dir, ts))).mode & 0o777, 0o755);
  assert.deepEqual((await readdir(dir)).sort(), ['..data', ts, 'a', 'sub'].sort());
});

test('unchanged payload is not rewritten; a change swaps ..data, removes the old dir and stale names', async () => {
  const dir = path.join(await tempDir(), 'vol');
  await writeAtomic(dir, payload({ a: '1', b: '2' }));
  const first = await readlink(path.join(dir, '..data'));
  assert.equal(await writeAtomic(dir, payload({ a: '1', b: '2' })), false);
  assert.equal(await readlink(path.join(dir, '..data')), first);
  assert.equal(await writeAtomic(dir, payload({ a: '1', b: '2' }, 0o600)), true, 'a mode change rewrites');
  assert.equal(await writeAtomic(dir, payload({ a: 'new', c: '3' })), true);
  const second = await readlink(path.join(dir, '..data'));
  assert.notEqual(second, first);
  assert.deepEqual((await readdir(dir)).sort(), ['..data', second, 'a', 'c'].sort());
  assert.equal(await readFile(path.join(dir, 'a'), 'utf8'), 'new');
  await assert.rejects(lstat(path.join(dir, 'b')));
});

test('payload paths are validated as upstream', async () => {
  assert.equal(validatePayloadPath('a/b'), undefined);
  assert.equal(validatePayloadPath('/abs'), 'invalid path: /abs must be relative path');
  assert.equal(validatePayloadPath('a/../b'), "invalid path: a/../b must not contain '..'");
  assert.equal(validatePayloadPath('..a'), "invalid path: ..a must not start with '..'");
  await assert.rejects(writeAtomic(path.join(await tempDir(), 'v'), payload({ '../escape': 'x' })), /must not contain '\.\.'/);
});

test('readers see the old or the new payload, never a mix', async () => {
  const dir = path.join(await tempDir(), 'vol');
  const big = (v: number) => String(v).repeat(64 * 1024);
  await writeAtomic(dir, payload({ a: big(0), b: big(0) }));
  let done = false;
  let reads = 0;
  const reader = (async () => {
    while (!done) {
      let data: string;
      try {
        data = await realRead(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      reads++;
      const [a, b] = data.split('|');
      assert.equal(a, b, 'a and b from one resolution of ..data belong to one version');
      assert.ok(a!.length === 64 * 1024 && a!.split('').every((ch) => ch === a![0]), 'a file is whole');
    }
  })();
  for (let v = 1; v <= 9; v++) await writeAtomic(dir, payload({ a: big(v), b: big(v) }));
  while (reads < 20) await new Promise((r) => setImmediate(r));
  done = true;
  await reader;
  assert.equal((await readFile(path.join(dir, 'a'), 'utf8'))[0], '9');
});

/** Resolves `..data` once, then reads both files from that version (what a consistent reader does). */
async function realRead(dir: string): Promise<string> {
  const ts = await readlink(path.join(dir, '..data'));
  const [a, b] = await Promise.all([readFile(path.join(dir, ts, 'a'), 'utf8'), readFile(path.join(dir, ts, 'b'), 'utf8')]);
  return `${a}|${b}`;
}
