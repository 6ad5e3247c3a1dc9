// The collector's decisions, as upstream garbagecollector.attemptToDeleteItem,
// classifyReferences, processDeletingDependentsItem and attemptToOrphan make them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import {
  classifyOwners, deletingOwnerAction, dependentAction, ownerStateOf, removeFinalizerPatch, removeOwnerReferencesPatch, type OwnerState,
} from './plan.js';

const ref = (uid: string, block = true) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid, controller: true, blockOwnerDeletion: block });

function obj(uid: string, meta: Partial<NonNullable<KubeObject['metadata']>> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'ns', uid, resourceVersion: '7', ...meta } };
}

const states = (m: Record<string, OwnerState>) => new Map(Object.entries(m));

test('owner states: gone, recreated, foreground-deleting, background-deleting', () => {
  const r = ref('a');
  assert.equal(ownerStateOf(undefined, r), 'absent');
  assert.equal(ownerStateOf(obj('other'), r), 'absent', 'same name, another uid');
  assert.equal(ownerStateOf(obj('a'), r), 'solid');
  assert.equal(ownerStateOf(obj('a', { deletionTimestamp: 't', finalizers: ['foregroundDeletion'] }), r), 'waitingForDependentsDeletion');
  assert.equal(ownerStateOf(obj('a', { deletionTimestamp: 't', finalizers: ['example.com/x'] }), r), 'solid', 'background deletion keeps the owner solid');
});

test('background: an object whose every owner is gone is deleted with Background', () => {
  const p = obj('p', { ownerReferences: [ref('a'), ref('b')] });
  const c = classifyOwners([ref('a'), ref('b')], states({ a: 'absent', b: 'absent' }));
  assert.deepEqual(dependentAction(p, c, false), { kind: 'delete', policy: 'Background' });
});

test('an object with a live owner only loses its references to gone owners', () => {
  const p = obj('p');
  const c = classifyOwners([ref('a'), ref('b'), ref('c')], states({ a: 'absent', b: 'solid', c: 'waitingForDependentsDeletion' }));
  assert.deepEqual(dependentAction(p, c, false), { kind: 'removeOwnerReferences', uids: ['a', 'c'] });
  assert.deepEqual(dependentAction(p, classifyOwners([ref('b')], states({ b: 'solid' })), true), { kind: 'none' });
});

test('foreground: dependents of a foreground-deleting owner go in the foreground when they have dependents', () => {
  const c = classifyOwners([ref('a')], states({ a: 'waitingForDependentsDeletion' }));
  assert.deepEqual(dependentAction(obj('rs'), c, true), { kind: 'delete', policy: 'Foreground' });
  assert.deepEqual(dependentAction(obj('p'), c, false), { kind: 'delete', policy: 'Background' });
});

test('a propagation policy already requested on the dependent is kept', () => {
  const c = classifyOwners([ref('a')], states({ a: 'absent' }));
  assert.deepEqual(dependentAction(obj('p', { finalizers: ['orphan'] }), c, true), { kind: 'delete', policy: 'Orphan' });
  assert.deepEqual(dependentAction(obj('p', { finalizers: ['foregroundDeletion'] }), c, false), { kind: 'delete', policy: 'Foreground' });
});

test('an object already being deleted is left alone', () => {
  const c = classifyOwners([ref('a')], states({ a: 'absent' }));
  assert.deepEqual(dependentAction(obj('p', { deletionTimestamp: 't' }), c, false), { kind: 'none' });
});

test('an unknown owner state counts as solid (never collect on a guess)', () => {
  const c = classifyOwners([ref('a')], new Map());
  assert.deepEqual(c.solid.map((r) => r.uid), ['a']);
});

test('orphan: dependents holding a reference are released, then the finalizer goes', () => {
  const owner = obj('o', { deletionTimestamp: 't', finalizers: ['orphan'] });
  const d1 = obj('d1', { ownerReferences: [ref('o')] });
  const d2 = obj('d2', { ownerReferences: [ref('x')] });
  assert.deepEqual(deletingOwnerAction(owner, [d1, d2]), { kind: 'orphan', dependents: [d1] });
  assert.deepEqual(deletingOwnerAction(owner, [d2]), { kind: 'removeFinalizer', finalizer: 'orphan' });
});

test('foreground: the finalizer stays while a dependent with blockOwnerDeletion remains', () => {
  const owner = obj('o', { deletionTimestamp: 't', finalizers: ['foregroundDeletion'] });
  const blocking = obj('b', { ownerReferences: [ref('o', true)] });
  const loose = obj('l', { ownerReferences: [ref('o', false)] });
  assert.deepEqual(deletingOwnerAction(owner, [blocking, loose]), { kind: 'deleteDependents', dependents: [blocking, loose] });
  assert.deepEqual(deletingOwnerAction(owner, [loose]), { kind: 'removeFinalizer', finalizer: 'foregroundDeletion' });
  assert.deepEqual(deletingOwnerAction(owner, []), { kind: 'removeFinalizer', finalizer: 'foregroundDeletion' });
  assert.deepEqual(deletingOwnerAction(obj('o', { finalizers: ['foregroundDeletion'] }), [blocking]), { kind: 'none' }, 'not being deleted');
});

test('patches are guarded by uid and resourceVersion and null out empty lists', () => {
  const p = obj('p', { ownerReferences: [ref('a'), ref('b')], finalizers: ['orphan'] });
  assert.deepEqual(removeOwnerReferencesPatch(p, ['a']), { metadata: { uid: 'p', resourceVersion: '7', ownerReferences: [ref('b')] } });
  assert.deepEqual(removeOwnerReferencesPatch(p, ['a', 'b']), { metadata: { uid: 'p', resourceVersion: '7', ownerReferences: null } });
  assert.deepEqual(removeFinalizerPatch(p, 'orphan'), { metadata: { uid: 'p', resourceVersion: '7', finalizers: null } });
});
