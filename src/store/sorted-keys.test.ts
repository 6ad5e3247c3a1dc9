import { it } from 'node:test';
import assert from 'node:assert/strict';
import { SortedKeys } from './sorted-keys.js';

it('SortedKeys matches a sorted array under random inserts and deletes', () => {
  const keys = new SortedKeys();
  const model = new Set<string>();
  let x = 7;
  const rand = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n);
  for (let i = 0; i < 20000; i++) {
    const k = `/k/${rand(3000).toString(36)}`;
    if (rand(3) === 0) assert.equal(keys.delete(k), model.delete(k));
    else {
      assert.equal(keys.add(k), !model.has(k));
      model.add(k);
    }
  }
  const sorted = [...model].sort();
  assert.equal(keys.size, sorted.length);
  assert.deepEqual([...keys.from('')], sorted);
  for (const probe of ['/k/1', '/k/a', '/k/zz', '/', '/l']) {
    const rank = sorted.filter((k) => k < probe).length;
    assert.equal(keys.rank(probe), rank, probe);
    assert.deepEqual([...keys.from(probe, '/k/m')], sorted.filter((k) => k >= probe && k < '/k/m'));
    assert.equal(keys.countBetween(probe, '/k/m'), sorted.filter((k) => k >= probe && k < '/k/m').length);
    assert.equal(keys.has(probe), model.has(probe));
  }
});
