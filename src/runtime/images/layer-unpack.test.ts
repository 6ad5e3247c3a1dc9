// Needs root (chown, mknod, trusted.* xattrs), as the node does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readFile, readlink, rm, stat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { unpackLayer } from './layer-unpack.js';

type Header = Parameters<tarStream.Pack['entry']>[0];

async function tarOf(entries: (Header & { body?: string })[]): Promise<Readable> {
  const pack = tarStream.pack();
  for (const { body, ...h } of entries) pack.entry(h, body ?? '');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return Readable.from([Buffer.concat(chunks)]);
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-unpack-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const T = new Date('2020-01-02T03:04:05Z');

test('files, modes, owners, times, links, devices and whiteouts unpack in overlayfs form', () => withDir(async (dir) => {
  await unpackLayer(await tarOf([
    { name: 'bin/', type: 'directory', mode: 0o755, mtime: T },
    { name: 'bin/su', mode: 0o4755, uid: 0, gid: 0, body: 'su', mtime: T },
    { name: 'home/u/file', mode: 0o640, uid: 1000, gid: 1001, body: 'hi', mtime: T },
    { name: 'bin/sh', type: 'symlink', linkname: 'su', mtime: T },
    { name: 'bin/su2', type: 'link', linkname: 'bin/su' },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
    { name: 'run/fifo', type: 'fifo', mode: 0o600 },
    { name: 'etc/.wh.passwd', mode: 0o600 },
    { name: 'var/cache/', type: 'directory', mode: 0o700, mtime: T },
    { name: 'var/cache/.wh..wh..opq', mode: 0o600 },
    { name: 'var/cache/kept', mode: 0o644, body: 'k' },
    { name: 'real/', type: 'directory', mode: 0o755 },
    { name: 'lnk', type: 'symlink', linkname: '/real' },
    { name: 'lnk/through', mode: 0o644, body: 't' },
    { name: 'esc', type: 'symlink', linkname: '../../../../' },
    { name: 'esc/escaped', mode: 0o644, body: 'e' },
  ]), dir);
  const su = await stat(join(dir, 'bin/su'));
  assert.equal(su.mode & 0o7777, 0o4755);
  assert.equal(su.mtime.getTime(), T.getTime());
  const f = await stat(join(dir, 'home/u/file'));
  assert.deepEqual([f.uid, f.gid, f.mode & 0o777], [1000, 1001, 0o640]);
  assert.equal(await readFile(join(dir, 'home/u/file'), 'utf8'), 'hi');
  assert.equal(await readlink(join(dir, 'bin/sh')), 'su');
  assert.equal((await stat(join(dir, 'bin/su2'))).ino, su.ino);
  const nul = await lstat(join(dir, 'dev/null'));
  assert.ok(nul.isCharacterDevice());
  assert.equal(nul.rdev, (1 << 8) | 3);
  assert.ok((await lstat(join(dir, 'run/fifo'))).isFIFO());
  const wh = await lstat(join(dir, 'etc/passwd'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'a whiteout is a 0/0 character device');
  assert.equal(execFileSync('getfattr', ['--only-values', '-n', 'trusted.overlay.opaque', join(dir, 'var/cache')], { encoding: 'utf8' }), 'y');
  assert.equal((await stat(join(dir, 'var/cache'))).mtime.getTime(), T.getTime(), 'directory mtimes survive their children');
  assert.equal(await readFile(join(dir, 'real/through'), 'utf8'), 't', 'a symlinked parent resolves inside the layer');
  assert.equal(await readFile(join(dir, 'escaped'), 'utf8'), 'e', 'a symlink pointing above the root stops at the root');
}));

test('entries escaping the root are Invalid and nothing is written outside', () => withDir(async (dir) => {
  const inner = join(dir, 'layer');
  await mkdir(inner);
  await assert.rejects(unpackLayer(await tarOf([{ name: '../outside', body: 'x' }]), inner), (e: any) => e.reason === 'Invalid' && /escapes/.test(e.message));
  await assert.rejects(unpackLayer(await tarOf([{ name: 'h', type: 'link', linkname: '../../etc/passwd' }]), inner), (e: any) => e.reason === 'Invalid');
  await assert.rejects(lstat(join(dir, 'outside')), /ENOENT/);
}));

test('a truncated tar is Invalid', () => withDir(async (dir) => {
  const whole = await tarOf([{ name: 'big', body: 'x'.repeat(5000) }]);
  const chunks: Buffer[] = [];
  for await (const c of whole) chunks.push(c);
  await assert.rejects(unpackLayer(Readable.from([Buffer.concat(chunks).subarray(0, 1000)]), dir), (e: any) => e.reason === 'Invalid');
}));
