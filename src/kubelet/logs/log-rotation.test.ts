import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ContainerLogManager, planRotation } from './log-rotation.js';

const now = new Date('2024-01-01T00:00:09Z');

test('nothing happens below the size limit', () => {
  assert.deepEqual(planRotation({ current: '/d/0.log', size: 9, names: ['0.log'], maxSize: 10, maxFiles: 5, now }), []);
});

test('plan: clean leftovers, drop excess, compress, then rotate', () => {
  const names = ['0.log', '0.log.20240101-000001.gz', '0.log.20240101-000002.gz', '0.log.20240101-000003.gz',
    '0.log.20240101-000004', '0.log.20240101-000005.gz.tmp', '0.log.20240101-000003'];
  assert.deepEqual(planRotation({ current: '/d/0.log', size: 10, names, maxSize: 10, maxFiles: 5, now }), [
    { kind: 'remove', path: '/d/0.log.20240101-000005.gz.tmp' },
    { kind: 'remove', path: '/d/0.log.20240101-000003' },
    { kind: 'remove', path: '/d/0.log.20240101-000001.gz' },
    { kind: 'compress', path: '/d/0.log.20240101-000004' },
    { kind: 'rotate', from: '/d/0.log', to: '/d/0.log.20240101-000009' },
  ]);
});

test('the manager rotates a running container\'s log and asks the runtime to reopen it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-rotate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, '0.log');
  writeFileSync(`${log}.20231231-000000`, 'older\n');
  writeFileSync(log, 'x'.repeat(20));
  const reopened: string[] = [];
  const runtime = {
    listContainers: async () => [{ id: 'fake://c1', state: 'running', logPath: log }, { id: 'fake://c2', state: 'exited', logPath: join(dir, 'other.log') }] as never,
    reopenContainerLog: async (id: string) => { reopened.push(id); writeFileSync(log, ''); },
  };
  const m = new ContainerLogManager({ runtime, maxSize: 10, maxFiles: 5, now: () => now });
  await m.rotateAll();
  assert.deepEqual(reopened, ['fake://c1']);
  assert.deepEqual(readdirSync(dir).sort(), ['0.log', '0.log.20231231-000000.gz', '0.log.20240101-000009']);
  assert.equal(gunzipSync(readFileSync(`${log}.20231231-000000.gz`)).toString(), 'older\n');
  assert.equal(readFileSync(`${log}.20240101-000009`, 'utf8'), 'x'.repeat(20));
  // A runtime that cannot reopen leaves the file where it was.
  writeFileSync(log, 'y'.repeat(20));
  const failing = new ContainerLogManager({ runtime: { ...runtime, reopenContainerLog: async () => { throw new Error('no'); } }, maxSize: 10, now: () => new Date('2024-01-01T00:00:10Z') });
  await assert.rejects(failing.rotateOne('fake://c1', log), /no/);
  assert.equal(readFileSync(log, 'utf8'), 'y'.repeat(20));
  assert.ok(!existsSync(`${log}.20240101-000010`));
});
