import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFileLock } from './file-lock.js';

test('the lock serialises holders, is released after failures, and a dead holder is taken over', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-lock-'));
  try {
    const path = join(dir, 'lock');
    const order: string[] = [];
    let release!: () => void;
    const first = withFileLock(path, async () => {
      order.push('a-in');
      assert.equal(await readFile(path, 'utf8'), String(process.pid));
      await new Promise<void>((r) => (release = r));
      order.push('a-out');
    });
    while (!release) await new Promise((r) => setTimeout(r, 5));
    const second = withFileLock(path, async () => order.push('b'));
    await new Promise((r) => setTimeout(r, 60));
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['a-in', 'a-out', 'b']);
    await assert.rejects(withFileLock(path, async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await withFileLock(path, async () => 'free again'), 'free again');
    await writeFile(path, '4194000');
    assert.equal(await withFileLock(path, async () => 'taken over'), 'taken over');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
