import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemKey, OwnershipGraph, splitItemKey } from './graph.js';

test('item keys carry the resource and the cache key', () => {
  const k = itemKey('apps/replicasets', 'default/web-1');
  assert.deepEqual(splitItemKey(k), { resourceId: 'apps/replicasets', objectKey: 'default/web-1' });
  assert.deepEqual(splitItemKey(itemKey('/pods', 'ns/p')), { resourceId: '/pods', objectKey: 'ns/p' });
});

test('the graph indexes dependents by owner uid and follows changes', () => {
  const g = new OwnershipGraph();
  g.upsert('apps/deployments|ns/web', 'd1', []);
  g.upsert('apps/replicasets|ns/web-a', 'rs1', ['d1']);
  g.upsert('apps/replicasets|ns/web-b', 'rs2', ['d1', 'd1']);
  assert.deepEqual(g.dependentsOf('d1').sort(), ['apps/replicasets|ns/web-a', 'apps/replicasets|ns/web-b']);
  assert.equal(g.keyOf('rs1'), 'apps/replicasets|ns/web-a');
  assert.ok(g.hasDependents('d1'));

  // Released: the reference is gone, the owner no longer lists it.
  g.upsert('apps/replicasets|ns/web-b', 'rs2', []);
  assert.deepEqual(g.dependentsOf('d1'), ['apps/replicasets|ns/web-a']);

  // Removal returns the owners it had and drops every edge.
  assert.deepEqual(g.remove('apps/replicasets|ns/web-a'), ['d1']);
  assert.equal(g.hasDependents('d1'), false);
  assert.equal(g.keyOf('rs1'), undefined);
  assert.deepEqual(g.remove('unknown|x'), []);
});

test('a recreated object (same key, new uid) replaces the old identity', () => {
  const g = new OwnershipGraph();
  g.upsert('/pods|ns/p', 'old', ['o1']);
  g.upsert('/pods|ns/p', 'new', ['o2']);
  assert.equal(g.keyOf('old'), undefined);
  assert.equal(g.keyOf('new'), '/pods|ns/p');
  assert.equal(g.uidOf('/pods|ns/p'), 'new');
  assert.deepEqual(g.dependentsOf('o1'), []);
  assert.deepEqual(g.dependentsOf('o2'), ['/pods|ns/p']);
  assert.equal(g.size, 1);
});
