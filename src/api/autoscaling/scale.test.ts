import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScaleSchema, validateScale, scaleOf, applyScale, type Scale } from './scale.js';
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

test('scaleOf renders the owner as upstream\'s scale subresource does', () => {
  const deploy = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2024-01-01T00:00:00Z', labels: { a: 'b' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } },
    status: { replicas: 2 },
  };
  assert.deepEqual(scaleOf(deploy), {
    apiVersion: 'autoscaling/v1', kind: 'Scale',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { replicas: 3 },
    status: { replicas: 2, selector: 'app=web,tier in (a,b)' },
  });
  const scaled = applyScale(deploy, { spec: { replicas: 5 } });
  assert.equal(scaled.spec.replicas, 5);
  assert.equal(deploy.spec.replicas, 3);
  assert.deepEqual(scaled.spec.selector, deploy.spec.selector);
});
