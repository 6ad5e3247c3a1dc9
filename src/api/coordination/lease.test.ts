import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leases } from './lease.js';

const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('lease validation', () => {
  const ok = { spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z', leaseTransitions: 0 } };
  assert.deepEqual(leases.validate!(ok, { namespace: 'kube-node-lease' }), []);
  assert.deepEqual(show(leases.validate!({ spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } }, { namespace: 'x' })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
});
