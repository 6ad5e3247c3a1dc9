// Layer stacking through a real overlayfs mount (root): an upper layer that deletes a file and
// makes a directory opaque hides exactly what it should once layerDirs are lowerdirs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { appendLayer, buildBusyboxImage, startRegistry, type BuiltImage, type TestRegistry } from '../support/registry.js';

let image: BuiltImage;
let registry: TestRegistry;
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-layers-'));
  image = await buildBusyboxImage({
    files: { 'etc/motd': 'old\n', 'data/a': 'a', 'data/sub/b': 'b', 'keep/k': 'k' },
    layers: [
      [{ name: 'etc/.wh.motd' }, { name: 'data/', type: 'directory' }, { name: 'data/.wh..wh..opq' }, { name: 'data/new', body: 'new' }],
      [{ name: 'keep/added', body: 'added', mode: 0o600, uid: 1000, gid: 1000 }],
    ],
  });
  registry = await startRegistry();
  await registry.push(image.ref, 'capstan/layered:1');
});

after(async () => {
  await registry?.stop();
  await image?.cleanup();
  await rm(root, { recursive: true, force: true });
});

test('layerDirs stack as overlayfs lowerdirs with deletions and opaque directories applied', async () => {
  const store = new ImageStore({ root: join(root, 'store') });
  await store.pullImage(`${registry.host}/capstan/layered:1`);
  const info = (await store.imageStatus(`${registry.host}/capstan/layered:1`))!;
  assert.equal(info.layerDirs.length, 3);
  const target = join(root, 'merged');
  await mkdir(target);
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${[...info.layerDirs].reverse().join(':')}`, target]);
  try {
    await assert.rejects(stat(join(target, 'etc/motd')), /ENOENT/, 'the whiteout deletes the lower file');
    assert.ok((await stat(join(target, 'etc/passwd'))).isFile(), 'its siblings stay');
    assert.deepEqual((await readdir(join(target, 'data'))).sort(), ['new'], 'the opaque directory hides the lower contents');
    assert.equal(await readFile(join(target, 'keep/k'), 'utf8'), 'k');
    assert.equal(await readFile(join(target, 'keep/added'), 'utf8'), 'added');
    const added = await stat(join(target, 'keep/added'));
    assert.deepEqual([added.uid, added.gid, added.mode & 0o777], [1000, 1000, 0o600]);
    assert.equal(execFileSync(join(target, 'bin/busybox'), ['echo', 'runs'], { encoding: 'utf8' }), 'runs\n');
  } finally {
    execFileSync('umount', [target]);
  }
});

test('images sharing lower layers unpack them once; removing one keeps the shared layers', async () => {
  const store = new ImageStore({ root: join(root, 'shared') });
  const base = await buildBusyboxImage();
  try {
    await registry.push(base.ref, 'capstan/base:1');
    await appendLayer(base.layout, base.tag, [{ name: 'etc/.wh.group' }, { name: 'two', body: '2' }]);
    await registry.push(base.ref, 'capstan/base-plus:1');
  } finally {
    await base.cleanup();
  }
  const layered = (await store.imageStatus(await store.pullImage(`${registry.host}/capstan/base-plus:1`)))!;
  const plain = (await store.imageStatus(await store.pullImage(`${registry.host}/capstan/base:1`)))!;
  assert.equal(plain.layerDirs[0], layered.layerDirs[0], 'the same base layer (same chain ID) is shared');
  assert.equal((await readdir(join(root, 'shared', 'layers'))).length, 2);
  await store.removeImage(layered.id);
  assert.deepEqual(await readdir(join(root, 'shared', 'layers')), [plain.layerDirs[0]!.split('/').pop()]);
  assert.ok((await stat(join(plain.layerDirs[0]!, 'bin/busybox'))).isFile());
});
