import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, KubeObject } from '../../api/index.js';
import { controllerRevisionName, equalRevision, newControllerRevision, nextRevision, revisionsToPrune, sortRevisions, templateOfRevision } from './revision.js';

const owner = { metadata: { name: 'web', namespace: 'default', uid: 'u1' } } as KubeObject;
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
const rev = (name: string, revision: number, image = 'nginx') => ({ metadata: { name }, revision, data: { spec: { template: { ...template, spec: { containers: [{ name: 'c', image }] }, $patch: 'replace' } } } }) as ControllerRevision;

test('a revision snapshots the template as a replace patch, named <owner>-<hash>, controlled by the owner', () => {
  const r = newControllerRevision({ obj: owner, apiVersion: 'apps/v1', kind: 'StatefulSet', template }, 1);
  const hash = r.metadata?.labels?.['controller.kubernetes.io/hash'];
  assert.match(hash ?? '', /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(r.metadata?.name, `web-${hash}`);
  assert.equal(r.metadata?.labels?.app, 'web');
  assert.equal((r.data as { spec: { template: { $patch: string } } }).spec.template.$patch, 'replace');
  assert.deepEqual(templateOfRevision(r), template);
  assert.deepEqual(r.metadata?.ownerReferences?.map((o) => [o.kind, o.uid, o.controller]), [['StatefulSet', 'u1', true]]);
  const again = newControllerRevision({ obj: owner, apiVersion: 'apps/v1', kind: 'StatefulSet', template }, 2);
  assert.equal(again.metadata?.name, r.metadata?.name, 'the same template hashes the same');
  const collided = newControllerRevision({ obj: owner, apiVersion: 'apps/v1', kind: 'StatefulSet', template, collisionCount: 1 }, 1);
  assert.notEqual(collided.metadata?.name, r.metadata?.name, 'collisionCount changes the hash');
});

test('revision order, next revision, equality and pruning (upstream history helpers)', () => {
  const revs = [rev('c', 3, 'c'), rev('a', 1, 'a'), rev('b', 2, 'b')];
  assert.deepEqual(sortRevisions(revs).map((r) => r.metadata?.name), ['a', 'b', 'c']);
  assert.equal(nextRevision(revs), 4);
  assert.equal(nextRevision([]), 1);
  assert.ok(equalRevision(rev('x', 1, 'a'), rev('y', 9, 'a')));
  assert.ok(!equalRevision(rev('x', 1, 'a'), rev('y', 1, 'b')));
  assert.deepEqual(revisionsToPrune(revs, new Set(['c']), 1).map((r) => r.metadata?.name), ['a']);
  assert.deepEqual(revisionsToPrune(revs, new Set(['a']), 0).map((r) => r.metadata?.name), ['b', 'c']);
  assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225);
});
