import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEntry, normaliseEntryPath } from './whiteout.js';

test('OCI whiteouts become overlayfs actions', () => {
  assert.deepEqual(classifyEntry('etc/.wh.passwd'), { kind: 'whiteout', path: 'etc/passwd' });
  assert.deepEqual(classifyEntry('./.wh.tmp'), { kind: 'whiteout', path: 'tmp' });
  assert.deepEqual(classifyEntry('var/cache/.wh..wh..opq'), { kind: 'opaque', dir: 'var/cache' });
  assert.deepEqual(classifyEntry('.wh..wh..opq'), { kind: 'opaque', dir: '' });
  assert.deepEqual(classifyEntry('.wh..wh.plnk/123'), { kind: 'entry', path: '.wh..wh.plnk/123' });
  assert.deepEqual(classifyEntry('x/.wh..wh.aufs'), { kind: 'skip' });
  assert.deepEqual(classifyEntry('usr/bin/'), { kind: 'entry', path: 'usr/bin' });
  assert.throws(() => classifyEntry('a/.wh.'), /whiteout of nothing/);
});

test('paths are made relative to the layer root and may not escape it', () => {
  assert.equal(normaliseEntryPath('/etc/hosts'), 'etc/hosts');
  assert.equal(normaliseEntryPath('./a//b/./c'), 'a/b/c');
  assert.equal(normaliseEntryPath('a/../b'), 'b');
  assert.equal(normaliseEntryPath('./'), '');
  for (const bad of ['../etc/passwd', 'a/../../b', '..', '/../etc']) {
    assert.throws(() => normaliseEntryPath(bad), (e: any) => e.reason === 'Invalid' && /escapes/.test(e.message), bad);
  }
});
