import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaleSchema, validateScale, type Scale } from './scale.js';
import { formatFieldError } from '../field-errors.js';

test('Scale is the autoscaling/v1 kind with spec.replicas and status.selector', () => {
  const s = ScaleSchema as unknown as { properties: Record<string, { properties?: Record<string, unknown> }>; 'x-kubernetes-group-version-kind': unknown };
  assert.deepEqual(s['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
  assert.ok(s.properties.spec.properties!.replicas);
  assert.ok(s.properties.status.properties!.selector);
});

test('validateScale rejects negative replicas', () => {
  const ok: Scale = { metadata: { name: 'web' }, spec: { replicas: 3 } };
  assert.deepEqual(validateScale(ok), []);
  const bad: Scale = { metadata: { name: 'web' }, spec: { replicas: -1 } };
  assert.deepEqual(validateScale(bad).map(formatFieldError), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
});
