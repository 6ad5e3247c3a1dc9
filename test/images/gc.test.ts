// Image garbage collection over a real store, and recovery from a crash's leftovers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { appendLayer, buildBusyboxImage, saveArchive, type BuiltImage } from '../support/registry.js';

let image: BuiltImage;
let root: string;
const tars: string[] = [];

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-gc-'));
  image = await buildBusyboxImage();
  for (const name of ['one', 'two', 'three']) {
    await appendLayer(image.layout, image.tag, [{ name: `${name}.txt`, body: name }]);
    const tar = join(root, `${name}.tar`);
    await saveArchive('docker-archive', image.ref, tar, `example.com/gc/${name}:1`);
    tars.push(tar);
  }
});

after(async () => {
  await image?.cleanup();
  await rm(root, { recursive: true, force: true });
});

test('past the high threshold unused images go least recently used first; shared layers stay while used', async () => {
  let now = 1_000_000;
  const store = new ImageStore({ root: join(root, 'store'), now: () => now });
  const ids: string[] = [];
  for (const tar of tars) ids.push((await store.importArchive(tar))[0]!.id);
  // one.tar's image is the base of two's, two's of three's: layers 2, 3, 4.
  assert.equal((await readdir(join(root, 'store', 'layers'))).length, 4);
  now += 10 * 60_000;
  const calm = await store.garbageCollect({ inUse: new Set(), fsInfo: { capacityBytes: 1000, availableBytes: 500 } });
  assert.deepEqual(calm.deleted, []);
  // A container used "three" once; "one" was never used, so it is the least recently used.
  await store.garbageCollect({ inUse: new Set(['example.com/gc/three:1']), fsInfo: { capacityBytes: 1000, availableBytes: 500 } });
  now += 1000;
  const size = (await store.imageStatus(ids[0]!))!.size;
  // 90% used: free 100 bytes; "one" (never used) goes first, which is enough.
  const full = await store.garbageCollect({ inUse: new Set([ids[1]!]), fsInfo: { capacityBytes: 1000, availableBytes: 100 }, policy: { minAgeMs: 0 } });
  assert.deepEqual(full.deleted, [ids[0]]);
  assert.equal(full.freedBytes, size);
  assert.equal(full.amountToFree, 100);
  assert.equal(full.layersRemoved, 0, 'its layers are the lower layers of the others');
  assert.equal(await store.imageStatus('example.com/gc/one:1'), undefined);
  // Nearly full: everything unused goes, "two" (in use) stays, and three's own top layer is removed.
  const fuller = await store.garbageCollect({ inUse: new Set([ids[1]!]), fsInfo: { capacityBytes: 1_000_000_000_000, availableBytes: 0 }, policy: { minAgeMs: 0 } });
  assert.deepEqual(fuller.deleted, [ids[2]]);
  assert.equal(fuller.layersRemoved, 1);
  assert.deepEqual((await store.listImages()).map((i) => i.id), [ids[1]]);
});

test('a new store clears the temp work of dead processes, and GC removes layers no image references', async () => {
  const storeRoot = join(root, 'crashed');
  const deadTmp = join(storeRoot, 'tmp', '4194000.dead', 'layer-1');
  await mkdir(deadTmp, { recursive: true });
  await writeFile(join(deadTmp, 'half'), 'x');
  const orphan = join(storeRoot, 'layers', 'a'.repeat(64));
  await mkdir(orphan, { recursive: true });
  const store = new ImageStore({ root: storeRoot });
  const [info] = await store.importArchive(tars[0]!);
  const leftover = await readdir(join(storeRoot, 'tmp'));
  assert.equal(leftover.length, 1);
  assert.ok(leftover[0]!.startsWith(`${process.pid}.`), leftover[0]);
  const result = await store.garbageCollect({ inUse: new Set(), fsInfo: { capacityBytes: 100, availableBytes: 90 } });
  assert.deepEqual([result.deleted, result.layersRemoved], [[], 1]);
  assert.deepEqual((await readdir(join(storeRoot, 'layers'))).sort(), info!.layerDirs.map((d) => d.split('/').pop()).sort());
});
