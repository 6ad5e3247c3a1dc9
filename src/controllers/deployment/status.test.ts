// Deployment status and conditions (upstream calculateStatus / syncRolloutStatus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { rolloutStatus } from './status.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

const deployment = (status: object = {}): Deployment => ({
  metadata: { name: 'web', generation: 2 },
  spec: { replicas: 4, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
  status,
}) as unknown as Deployment;

const rs = (name: string, replicas: number, current: number, ready: number, available: number): ReplicaSet => ({
  metadata: { name }, spec: { replicas }, status: { replicas: current, readyReplicas: ready, availableReplicas: available },
}) as unknown as ReplicaSet;

const cond = (s: { conditions?: unknown[] }, type: string) => (s.conditions as { type: string; status: string; reason: string; message: string }[] | undefined)?.find((c) => c.type === type);

test('mid-rollout: counts from all ReplicaSets, Available while replicas - maxUnavailable are available, Progressing ReplicaSetUpdated', () => {
  const old = rs('web-old', 3, 3, 3, 3);
  const fresh = rs('web-new', 2, 2, 1, 1);
  const s = rolloutStatus(deployment({ replicas: 4, updatedReplicas: 1 }), [old, fresh], fresh, NOW);
  assert.deepEqual([s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas, s.observedGeneration], [5, 2, 4, 4, 1, 2]);
  assert.deepEqual(cond(s, 'Available'), { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: '2026-01-01T12:00:00Z', lastTransitionTime: '2026-01-01T12:00:00Z' });
  assert.equal(cond(s, 'Progressing')?.reason, 'ReplicaSetUpdated');
  assert.equal(cond(s, 'Progressing')?.message, 'ReplicaSet "web-new" is progressing.');
});

test('complete: Progressing NewReplicaSetAvailable', () => {
  const fresh = rs('web-new', 4, 4, 4, 4);
  const s = rolloutStatus(deployment(), [fresh], fresh, NOW);
  assert.deepEqual([cond(s, 'Progressing')?.status, cond(s, 'Progressing')?.reason, cond(s, 'Progressing')?.message], ['True', 'NewReplicaSetAvailable', 'ReplicaSet "web-new" has successfully progressed.']);
});

test('too few available: Available False MinimumReplicasUnavailable', () => {
  const fresh = rs('web-new', 4, 4, 1, 1);
  const s = rolloutStatus(deployment(), [fresh], fresh, NOW);
  assert.deepEqual([cond(s, 'Available')?.status, cond(s, 'Available')?.reason], ['False', 'MinimumReplicasUnavailable']);
});

test('no progress past the deadline: Progressing False ProgressDeadlineExceeded', () => {
  const stale = new Date(NOW - 700_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const fresh = rs('web-new', 4, 4, 0, 0);
  const d = deployment({ replicas: 4, updatedReplicas: 4, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'x', lastUpdateTime: stale, lastTransitionTime: stale }] });
  const s = rolloutStatus(d, [fresh], fresh, NOW);
  assert.deepEqual([cond(s, 'Progressing')?.status, cond(s, 'Progressing')?.reason, cond(s, 'Progressing')?.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-new" has timed out progressing.']);
});
