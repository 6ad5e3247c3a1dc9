// Pulls from Debian's docker-registry on loopback, anonymous and behind token auth (root: the
// unpacked layers keep owners and device nodes).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImagePullError } from '../../src/runtime/index.js';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { buildBusyboxImage, startRegistry, type BuiltImage, type TestRegistry } from '../support/registry.js';

let image: BuiltImage;
let open: TestRegistry;
let secured: TestRegistry;
let root: string;
const CREDS = { username: 'puller', password: 's3cret' };

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-images-'));
  image = await buildBusyboxImage({ entrypoint: ['/bin/sh'], cmd: ['-c', 'echo hi'], env: ['PATH=/bin:/usr/bin', 'GREETING=hello'], workingDir: '/tmp', files: { 'etc/motd': 'welcome\n' } });
  open = await startRegistry();
  secured = await startRegistry({ auth: CREDS });
  await open.push(image.ref, 'capstan/busybox:1');
  await secured.push(image.ref, 'private/busybox:1');
});

after(async () => {
  await open?.stop();
  await secured?.stop();
  await image?.cleanup();
  await rm(root, { recursive: true, force: true });
});

test('an anonymous pull unpacks busybox and records its config, names and layers', async (t) => {
  const store = new ImageStore({ root: join(root, 'anon') });
  const ref = `${open.host}/capstan/busybox:1`;
  const started = Date.now();
  const id = await store.pullImage(ref);
  const ms = Date.now() - started;
  t.diagnostic(`busybox pull from the loopback registry: ${ms} ms`);
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  const info = (await store.imageStatus(ref))!;
  assert.equal(info.id, id);
  assert.deepEqual(info.repoTags, [ref]);
  assert.equal(info.user, undefined);
  assert.equal(info.repoDigests.length, 1);
  assert.match(info.repoDigests[0]!, new RegExp(`^${open.host.replace(/\./g, '\\.')}/capstan/busybox@sha256:[0-9a-f]{64}$`));
  assert.deepEqual(info.entrypoint, ['/bin/sh']);
  assert.deepEqual(info.cmd, ['-c', 'echo hi']);
  assert.deepEqual(info.env, ['PATH=/bin:/usr/bin', 'GREETING=hello']);
  assert.equal(info.workingDir, '/tmp');
  assert.ok(info.size > 500_000, `size ${info.size}`);
  assert.equal(info.layerDirs.length, 1);
  const layer = info.layerDirs[0]!;
  assert.ok((await lstat(join(layer, 'bin/busybox'))).mode & 0o111);
  assert.equal(await readlink(join(layer, 'bin/sh')), '/bin/busybox');
  assert.equal(await readFile(join(layer, 'etc/motd'), 'utf8'), 'welcome\n');
  // By id, by digest and by the short names Docker accepts; a second pull is the same image.
  assert.equal((await store.imageStatus(id))?.id, id);
  assert.equal((await store.imageStatus(info.repoDigests[0]!))?.id, id);
  assert.equal(await store.pullImage(info.repoDigests[0]!), id);
  assert.equal(await store.pullImage(ref), id);
  const digest = info.repoDigests[0]!.split('@')[1]!;
  assert.equal(await store.pullImage(`${open.host}/capstan/busybox:alias@${digest}`), id, 'present by digest: no registry needed');
  assert.equal((await store.imageStatus(`${open.host}/capstan/busybox:alias`))?.id, id, 'and the tag is added');
  assert.equal((await store.listImages()).length, 1);
  const fs = await store.imageFsInfo();
  assert.ok(fs.usedBytes > 500_000 && fs.capacityBytes > fs.availableBytes, JSON.stringify(fs));
  // A new store over the same root sees the same image (the index is on disk).
  assert.equal((await new ImageStore({ root: join(root, 'anon') }).imageStatus(ref))?.id, id);
  await store.removeImage(ref);
  await store.removeImage(ref);
  assert.equal(await store.imageStatus(id), undefined);
  assert.deepEqual(await readdir(join(root, 'anon', 'layers')), [], 'the only image gone, its layer goes too');
});

const reason = (r: ImagePullError['reason'], re?: RegExp) => (e: unknown) =>
  e instanceof ImagePullError && e.reason === r && (!re || re.test(e.message));

test('token auth: right credentials pull, wrong ones and none are Unauthorized, a missing tag is NotFound', async () => {
  const store = new ImageStore({ root: join(root, 'auth') });
  const ref = `${secured.host}/private/busybox:1`;
  await assert.rejects(store.pullImage(ref), reason('Unauthorized', /pull access denied/));
  await assert.rejects(store.pullImage(ref, [{ username: 'puller', password: 'wrong' }]), reason('Unauthorized', /refused user "puller"/));
  const before = secured.tokensIssued();
  const id = await store.pullImage(ref, [{ username: 'nobody', password: 'x' }, { auth: Buffer.from('puller:s3cret').toString('base64') }]);
  assert.equal((await store.imageStatus(ref))?.id, id, 'the second credential worked after the first was refused');
  await assert.rejects(store.pullImage(`${secured.host}/private/busybox:nope`, [CREDS]), reason('NotFound', /private\/busybox:nope.*not found/));
  await store.pullImage(ref, [CREDS]);
  assert.equal(secured.tokensIssued() - before, 2, 'one token for the successful pull, reused by the later ones of the same scope');
});

test('an unreachable registry and a bad reference are told apart', async () => {
  const store = new ImageStore({ root: join(root, 'errors') });
  await assert.rejects(store.pullImage('127.0.0.1:1/nothing:here'), reason('Unreachable', /cannot reach registry 127\.0\.0\.1:1/));
  await assert.rejects(store.pullImage(`${open.host}/Capstan/busybox`), reason('Invalid', /lowercase/));
  await assert.rejects(store.pullImage(`${open.host}/capstan/absent:1`), reason('NotFound'));
});

test('concurrent pulls of one image share one download and all succeed', async () => {
  const store = new ImageStore({ root: join(root, 'concurrent') });
  const ref = `${open.host}/capstan/busybox:1`;
  const ids = await Promise.all([store.pullImage(ref), store.pullImage(ref), store.pullImage('capstan/busybox:1'.replace(/^/, `${open.host}/`))]);
  assert.equal(new Set(ids).size, 1);
  // A second store (another process, in effect) pulling at the same time ends with the same one layer.
  const other = new ImageStore({ root: join(root, 'concurrent') });
  const [a, b] = await Promise.all([store.pullImage(ref), other.pullImage(ref)]);
  assert.equal(a, b);
  assert.equal((await readdir(join(root, 'concurrent', 'layers'))).length, 1);
  assert.equal((await store.listImages()).length, 1);
});

test('a layer whose bytes do not match its digest fails the pull and leaves nothing registered or unpacked', async () => {
  const { readFile: rf, writeFile } = await import('node:fs/promises');
  const corrupt = await buildBusyboxImage({ files: { 'etc/corrupt-me': 'x' } });
  try {
    await open.push(corrupt.ref, 'capstan/corrupt:1');
    const index = JSON.parse(await rf(join(corrupt.layout, 'index.json'), 'utf8'));
    const manifest = JSON.parse(await rf(join(corrupt.layout, 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'));
    const hex = manifest.layers[0].digest.slice(7) as string;
    const data = join(open.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    const bytes = await rf(data);
    bytes[bytes.length - 20] ^= 0xff;
    await writeFile(data, bytes);
  } finally {
    await corrupt.cleanup();
  }
  const storeRoot = join(root, 'corrupt');
  const store = new ImageStore({ root: storeRoot });
  await assert.rejects(store.pullImage(`${open.host}/capstan/corrupt:1`), reason('Invalid', /digest mismatch|cannot unpack|unexpected end|invalid/i));
  assert.deepEqual(await store.listImages(), []);
  assert.deepEqual(await readdir(join(storeRoot, 'layers')).catch(() => []), []);
  const tmp = await readdir(join(storeRoot, 'tmp'));
  assert.equal(tmp.length, 1);
  assert.deepEqual(await readdir(join(storeRoot, 'tmp', tmp[0]!)), [], 'the half-unpacked layer is gone');
});
