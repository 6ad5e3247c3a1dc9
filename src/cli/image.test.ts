import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatImageTable, humanSize } from './image.js';

test('sizes read as crictl prints them', () => {
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1_234_567), '1.23MB');
  assert.equal(humanSize(2_000_000_000), '2GB');
});

test('the image table has one row per tag, <none> for untagged images', () => {
  const id = 'sha256:' + 'ab'.repeat(32);
  const out = formatImageTable([
    { id, repoTags: ['docker.io/library/busybox:1.36', '127.0.0.1:5000/bb:x'], repoDigests: [], size: 1_000_000, layerDirs: [] },
    { id, repoTags: [], repoDigests: ['example.com/app@sha256:' + '0'.repeat(64)], size: 10, layerDirs: [] },
  ]);
  assert.deepEqual(out.split('\n').map((l) => l.split(/\s{3,}/)), [
    ['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'],
    ['docker.io/library/busybox', '1.36', 'abababababab' + 'a', '1MB'],
    ['127.0.0.1:5000/bb', 'x', 'abababababab' + 'a', '1MB'],
    ['example.com/app', '<none>', 'abababababab' + 'a', '10B'],
    [''],
  ]);
});
