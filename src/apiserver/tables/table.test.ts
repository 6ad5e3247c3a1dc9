// toTable: the Table envelope, includeObject modes and list metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceType } from '../../api/index.js';
import { toTable } from './table.js';

const rt = (group: string, plural: string, kind: string): ResourceType =>
  ({ group, version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced: true, schema: {} as ResourceType['schema'] });
const now = new Date('2024-05-01T12:00:00Z');
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', creationTimestamp: '2024-05-01T11:59:55Z', uid: 'u1' }, data: { k: 'v' } };

test('toTable defaults to PartialObjectMetadata rows and copies list metadata', () => {
  const table = toTable(rt('', 'configmaps', 'ConfigMap'), [cm], { now, listMeta: { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 } });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
  assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(table.rows, [{ cells: ['a', 1, '5s'], object: { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: cm.metadata } }]);
  assert.notEqual((table.rows[0]!.object as { metadata: unknown }).metadata, cm.metadata, 'metadata is copied, not shared');
});

test('toTable includeObject=Object embeds a copy; None leaves it out', () => {
  const full = toTable(rt('', 'configmaps', 'ConfigMap'), [cm], { now, includeObject: 'Object' });
  assert.deepEqual(full.rows[0]!.object, cm);
  assert.notEqual(full.rows[0]!.object, cm);
  const none = toTable(rt('', 'configmaps', 'ConfigMap'), [cm], { now, includeObject: 'None' });
  assert.equal('object' in none.rows[0]!, false);
  assert.deepEqual(none.metadata, {});
});

test('toTable uses the generic printer for unknown resources and adds pod row conditions', () => {
  const generic = toTable(rt('example.com', 'widgets', 'Widget'), [{ metadata: { name: 'w' } }], { now, includeObject: 'None' });
  assert.deepEqual(generic.rows, [{ cells: ['w', '<unknown>'] }]);
  const pods = toTable(rt('', 'pods', 'Pod'), [{ metadata: { name: 'p' }, status: { phase: 'Failed' } }], { now, includeObject: 'None' });
  assert.deepEqual(pods.rows[0]!.conditions, [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  assert.equal(pods.rows[0]!.cells[2], 'Failed');
  assert.equal(toTable(rt('', 'pods', 'Pod'), [], {}).rows.length, 0);
});
