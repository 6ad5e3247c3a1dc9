import { test } from 'node:test';
import assert from 'node:assert/strict';
import { persistentVolumes, type PersistentVolume } from './persistent-volume.js';
import { persistentVolumeClaims } from './persistent-volume-claim.js';
import type { PersistentVolumeClaim } from './volume-claim.js';

const ctx = { namespace: '' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('persistentvolume create: Pending status, Retain and Filesystem defaults', () => {
  const pv: PersistentVolume = { metadata: { name: 'pv1', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } }, status: { phase: 'Bound' } };
  persistentVolumes.prepareForCreate!(pv);
  persistentVolumes.defaults!(pv);
  assert.deepEqual(pv.status, { phase: 'Pending', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' });
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(pv.spec?.volumeMode, 'Filesystem');
  assert.deepEqual(persistentVolumes.validate!(pv, ctx), []);
});

test('persistentvolume validation and update rules', () => {
  assert.deepEqual(show(persistentVolumes.validate!({ spec: {} }, ctx)), [
    'spec.accessModes: Required value',
    'spec.capacity: Required value',
    'spec: Required value: must specify a volume type',
  ]);
  const two = persistentVolumes.validate!({ spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/a' }, nfs: { server: 's', path: '/x' } } }, ctx);
  assert.deepEqual(show(two), ['spec.nfs: Forbidden: may not specify more than 1 volume type']);
  const old: PersistentVolume = { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/a' }, volumeMode: 'Filesystem' } };
  const upd: PersistentVolume = structuredClone(old);
  upd.spec!.hostPath!.path = '/b';
  assert.deepEqual(show(persistentVolumes.validateUpdate!(upd, old, ctx)), ['spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation']);
});

test('persistentvolumeclaim: defaults, required fields, update rules', () => {
  const pvc: PersistentVolumeClaim = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } };
  persistentVolumeClaims.prepareForCreate!(pvc);
  persistentVolumeClaims.defaults!(pvc);
  assert.deepEqual(pvc.status, { phase: 'Pending' });
  assert.equal(pvc.spec?.volumeMode, 'Filesystem');
  assert.deepEqual(persistentVolumeClaims.validate!(pvc, { namespace: 'default' }), []);

  assert.deepEqual(show(persistentVolumeClaims.validate!({ spec: {} }, { namespace: 'default' })), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);

  const bound: PersistentVolumeClaim = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' }, status: { phase: 'Bound' } };
  const binding = structuredClone(bound);
  binding.spec!.volumeName = 'pv1';
  assert.deepEqual(persistentVolumeClaims.validateUpdate!(binding, bound, { namespace: 'default' }), []);
  const grow = structuredClone(bound);
  grow.spec!.resources!.requests!.storage = '2Gi';
  assert.deepEqual(persistentVolumeClaims.validateUpdate!(grow, bound, { namespace: 'default' }), []);
  const shrink = structuredClone(bound);
  shrink.spec!.resources!.requests!.storage = '500Mi';
  assert.deepEqual(show(persistentVolumeClaims.validateUpdate!(shrink, bound, { namespace: 'default' })), ['spec.resources.requests.storage: Forbidden: field can not be less than previous value']);
  const modes = structuredClone(bound);
  modes.spec!.accessModes = ['ReadWriteMany'];
  assert.deepEqual(show(persistentVolumeClaims.validateUpdate!(modes, bound, { namespace: 'default' })), ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']);
});
