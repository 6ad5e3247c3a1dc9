import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Pod, StatefulSet } from '../../api/index.js';
import { claimOwnerRefs } from './claim-retention.js';

const set = (whenDeleted: string, whenScaled: string) => ({ metadata: { name: 'web', uid: 's1' }, spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } } }) as StatefulSet;
const pod = { metadata: { name: 'web-2', uid: 'p2' } } as Pod;
const claim = (...uids: string[]) => ({ metadata: { name: 'www-web-2', ownerReferences: uids.map((uid) => ({ apiVersion: 'x', kind: 'X', name: 'x', uid })) } }) as KubeObject;
const uids = (refs: { uid: string }[] | undefined) => refs?.map((r) => r.uid);

test('Retain/Retain: the claim has no owner from the set or its pod', () => {
  assert.equal(claimOwnerRefs(set('Retain', 'Retain'), claim(), pod, true), undefined);
  assert.deepEqual(uids(claimOwnerRefs(set('Retain', 'Retain'), claim('s1', 'other', 'p2'), pod, false)), ['other']);
});

test('whenDeleted=Delete: the set owns the claim', () => {
  const refs = claimOwnerRefs(set('Delete', 'Retain'), claim(), pod, true);
  assert.deepEqual(refs, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 's1' }]);
  assert.equal(claimOwnerRefs(set('Delete', 'Retain'), claim('s1'), pod, false), undefined);
});

test('whenScaled=Delete: a condemned pod owns its claims; an in-range one does not', () => {
  assert.deepEqual(claimOwnerRefs(set('Retain', 'Delete'), claim(), pod, true), [{ apiVersion: 'v1', kind: 'Pod', name: 'web-2', uid: 'p2' }]);
  assert.equal(claimOwnerRefs(set('Retain', 'Delete'), claim(), pod, false), undefined);
  assert.deepEqual(uids(claimOwnerRefs(set('Retain', 'Delete'), claim('p2'), pod, false)), []);
  assert.deepEqual(uids(claimOwnerRefs(set('Delete', 'Delete'), claim('s1'), pod, true)), ['p2']);
  assert.deepEqual(uids(claimOwnerRefs(set('Delete', 'Delete'), claim('p2'), pod, false)), ['s1']);
});
