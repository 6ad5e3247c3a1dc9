// Importing docker-archive and oci-archive tarballs, one by one and as an air-gap directory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { buildBusyboxImage, saveArchive, type BuiltImage } from '../support/registry.js';

let image: BuiltImage;
let root: string;
let dockerTar: string;
let ociTar: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-archive-'));
  image = await buildBusyboxImage({ cmd: ['sh', '-c', 'echo archived'], layers: [[{ name: 'etc/extra', body: 'x' }]] });
  dockerTar = join(root, 'docker.tar');
  ociTar = join(root, 'oci.tar');
  await saveArchive('docker-archive', image.ref, dockerTar, 'example.com/capstan/archived:docker');
  await saveArchive('oci-archive', image.ref, ociTar, 'example.com/capstan/archived:oci');
});

after(async () => {
  await image?.cleanup();
  await rm(root, { recursive: true, force: true });
});

test('a docker-archive imports with its tags, config and layers', async () => {
  const store = new ImageStore({ root: join(root, 's1') });
  const [info, ...rest] = await store.importArchive(dockerTar);
  assert.equal(rest.length, 0);
  assert.deepEqual(info!.repoTags, ['example.com/capstan/archived:docker']);
  assert.deepEqual(info!.cmd, ['sh', '-c', 'echo archived']);
  assert.equal(info!.layerDirs.length, 2);
  assert.ok((await stat(join(info!.layerDirs[1]!, 'etc/extra'))).isFile());
  assert.equal((await store.imageStatus('example.com/capstan/archived:docker'))?.id, info!.id);
  assert.deepEqual(await readdir(join(root, 's1', 'tmp')).then((d) => d.length), 1, 'only this process\'s (empty) temp directory is left');
});

test('an oci-archive imports under its reference name with a repo digest; both formats give one image id', async () => {
  const store = new ImageStore({ root: join(root, 's2') });
  const [fromOci] = await store.importArchive(ociTar);
  assert.deepEqual(fromOci!.repoTags, ['example.com/capstan/archived:oci']);
  assert.match(fromOci!.repoDigests[0]!, /^example\.com\/capstan\/archived@sha256:[0-9a-f]{64}$/);
  const [fromDocker] = await store.importArchive(dockerTar);
  assert.equal(fromDocker!.id, fromOci!.id, 'the same config, so the same image');
  assert.deepEqual((await store.imageStatus(fromOci!.id))!.repoTags.sort(), ['example.com/capstan/archived:docker', 'example.com/capstan/archived:oci']);
  assert.equal((await readdir(join(root, 's2', 'layers'))).length, 2);
});

test('an images directory imports each tarball once, reports bad files and leaves the rest', async () => {
  const store = new ImageStore({ root: join(root, 's3') });
  const dir = join(root, 'airgap');
  await mkdir(dir);
  const { copyFile } = await import('node:fs/promises');
  await copyFile(dockerTar, join(dir, 'a.tar'));
  await copyFile(ociTar, join(dir, 'b.tar'));
  await writeFile(join(dir, 'broken.tar'), 'not a tarball at all');
  await writeFile(join(dir, 'notes.txt'), 'ignored');
  const first = await store.importDirectory(dir);
  assert.equal(first.images.length, 2);
  assert.deepEqual(first.errors.map((e) => e.file), [join(dir, 'broken.tar')]);
  assert.match(first.errors[0]!.message, /neither a docker-archive|cannot be read/);
  const second = await store.importDirectory(dir);
  assert.deepEqual([second.images.length, second.skipped.length], [0, 2]);
  await utimes(join(dir, 'a.tar'), new Date(), new Date(Date.now() + 5000));
  const third = await store.importDirectory(dir);
  assert.deepEqual([third.images.length, third.skipped.length], [0, 2], 'a touched file with the same content is skipped by digest');
  assert.deepEqual(await store.importDirectory(join(root, 'absent')), { images: [], skipped: [], errors: [] });
});
