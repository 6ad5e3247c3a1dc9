// `capstan image` as a child process: import, ls, pull with credentials, rm.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/server.js';
import { buildBusyboxImage, saveArchive, startRegistry, type BuiltImage, type TestRegistry } from '../support/registry.js';

const exec = promisify(execFile);
const entry = `import(${JSON.stringify(join(REPO_ROOT, 'src/cli/main.ts'))}).then((m) => m.main(process.argv.slice(1)))`;

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', '-e', entry, ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

let image: BuiltImage;
let registry: TestRegistry;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capstan-image-cli-'));
  image = await buildBusyboxImage();
  await saveArchive('docker-archive', image.ref, join(dir, 'busybox.tar'), 'example.com/cli/busybox:saved');
  registry = await startRegistry({ auth: { username: 'cli', password: 'pw' } });
  await registry.push(image.ref, 'cli/busybox:pushed');
});

after(async () => {
  await registry?.stop();
  await image?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

test('capstan image import, ls, pull --creds and rm work on <data-dir>/agent/image-store', async () => {
  const dataDir = join(dir, 'data');
  const imported = await capstan('image', 'import', join(dir, 'busybox.tar'), '--data-dir', dataDir);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /^imported example\.com\/cli\/busybox:saved sha256:[0-9a-f]{64}\n$/);

  const denied = await capstan('image', 'pull', `${registry.host}/cli/busybox:pushed`, '--data-dir', dataDir, '--creds', 'cli:wrong');
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /pull access denied/);
  const pulled = await capstan('image', 'pull', `${registry.host}/cli/busybox:pushed`, '--data-dir', dataDir, '--creds', 'cli:pw');
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, /^Image is up to date for sha256:[0-9a-f]{64}\n$/);

  const ls = await capstan('image', 'ls', '--data-dir', dataDir);
  assert.equal(ls.code, 0, ls.stderr);
  const lines = ls.stdout.trim().split('\n');
  assert.match(lines[0]!, /^IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
  assert.equal(lines.length, 3, ls.stdout);
  assert.match(ls.stdout, /example\.com\/cli\/busybox\s+saved\s+[0-9a-f]{13}\s+[\d.]+[kM]B/);
  assert.match(ls.stdout, new RegExp(`${registry.host.replace(/\./g, '\\.')}/cli/busybox\\s+pushed`));

  const removed = await capstan('image', 'rm', 'example.com/cli/busybox:saved', '--data-dir', dataDir);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(removed.stdout, 'Deleted: example.com/cli/busybox:saved\n');
  const missing = await capstan('image', 'rm', 'example.com/cli/busybox:saved', '--data-dir', dataDir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such image/);
  const after = await capstan('image', 'ls', '--data-dir', dataDir);
  assert.equal(after.stdout.trim().split('\n').length, 1, 'removing the tag removed the image, which had both names');
});
