// Scenarios pinning upstream updateStatefulSet: ordered creation, reverse-order scale down,
// Parallel bursts, partitioned rolling updates and OnDelete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, StatefulSet } from '../../api/index.js';
import { planStatefulSet, type StatefulSetAction } from './plan.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const set = (replicas: number, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'web', namespace: 'default', generation: 3 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: {}, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, ...extra },
}) as StatefulSet;
const pod = (ord: number, rev = 'r1', state: 'ready' | 'pending' | 'terminating' | 'failed' = 'ready') => ({
  metadata: { name: `web-${ord}`, labels: { 'controller-revision-hash': rev }, ...(state === 'terminating' ? { deletionTimestamp: new Date(NOW).toISOString() } : {}) },
  status: {
    phase: state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running',
    conditions: [{ type: 'Ready', status: state === 'ready' || state === 'terminating' ? 'True' : 'False', lastTransitionTime: new Date(NOW - 10_000).toISOString() }],
  },
}) as Pod;
const show = (as: StatefulSetAction[]) => as.map((a) => (a.kind === 'create' ? `create ${a.ordinal} ${a.revision}` : `delete ${a.pod.metadata?.name}`));
const plan = (s: StatefulSet, pods: Pod[], current = 'r1', update = 'r1') => planStatefulSet({ set: s, pods, currentRevision: current, updateRevision: update, now: NOW });

test('OrderedReady creates one pod at a time, each after its predecessor is Running and Ready', () => {
  assert.deepEqual(show(plan(set(3), []).actions), ['create 0 update']);
  assert.deepEqual(show(plan(set(3), [pod(0, 'r1', 'pending')]).actions), []);
  assert.deepEqual(show(plan(set(3), [pod(0)]).actions), ['create 1 update']);
  const { actions, status } = plan(set(3), [pod(0), pod(1)]);
  assert.deepEqual(show(actions), ['create 2 update']);
  assert.deepEqual(status, { observedGeneration: 3, replicas: 3, readyReplicas: 2, availableReplicas: 2, currentReplicas: 3, updatedReplicas: 3, currentRevision: 'r1', updateRevision: 'r1' });
});

test('scale down deletes the highest ordinal first, one at a time, after the rest are healthy', () => {
  const pods = [pod(0), pod(1), pod(2), pod(3)];
  assert.deepEqual(show(plan(set(2), pods).actions), ['delete web-3']);
  assert.deepEqual(show(plan(set(2), [pod(0), pod(1), pod(2), pod(3, 'r1', 'terminating')]).actions), [], 'waits for the terminating pod');
  assert.deepEqual(show(plan(set(2), [pod(0), pod(1, 'r1', 'pending'), pod(2)]).actions), [], 'waits for unhealthy predecessors');
});

test('Parallel creates and deletes everything at once', () => {
  const parallel = (n: number) => set(n, { podManagementPolicy: 'Parallel' });
  assert.deepEqual(show(plan(parallel(3), []).actions), ['create 0 update', 'create 1 update', 'create 2 update']);
  assert.deepEqual(show(plan(parallel(1), [pod(0), pod(1), pod(2)]).actions), ['delete web-2', 'delete web-1']);
});

test('a failed pod is deleted to be recreated', () => {
  assert.deepEqual(show(plan(set(2), [pod(0, 'r1', 'failed'), pod(1)]).actions), ['delete web-0']);
});

test('RollingUpdate replaces the highest ordinal not at the update revision, down to the partition', () => {
  const old = [pod(0), pod(1), pod(2)];
  assert.deepEqual(show(plan(set(3), old, 'r1', 'r2').actions), ['delete web-2']);
  assert.deepEqual(show(plan(set(3), [pod(0), pod(1), pod(2, 'r2', 'pending')], 'r1', 'r2').actions), [], 'waits for the updated pod');
  const r = plan(set(3), [pod(0), pod(1), pod(2, 'r2')], 'r1', 'r2');
  assert.deepEqual(show(r.actions), ['delete web-1']);
  assert.deepEqual([r.status.currentReplicas, r.status.updatedReplicas, r.status.currentRevision], [1, 1, 'r1']);
  // Done: every pod updated and ready, so the update revision becomes current.
  const done = plan(set(3), [pod(0, 'r2'), pod(1, 'r2'), pod(2, 'r2')], 'r1', 'r2');
  assert.deepEqual([done.actions.length, done.status.currentRevision, done.status.currentReplicas], [0, 'r2', 3]);
  // partition 2: only web-2 is updated; a recreated web-0 keeps the current revision.
  const partitioned = set(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  assert.deepEqual(show(plan(partitioned, [pod(0), pod(1), pod(2, 'r2')], 'r1', 'r2').actions), []);
  assert.deepEqual(show(plan(partitioned, [pod(1), pod(2, 'r2')], 'r1', 'r2').actions), ['create 0 current']);
});

test('OnDelete leaves old pods alone; a deleted one comes back at the update revision', () => {
  const onDelete = set(2, { updateStrategy: { type: 'OnDelete' } });
  assert.deepEqual(show(plan(onDelete, [pod(0), pod(1)], 'r1', 'r2').actions), []);
  assert.deepEqual(show(plan(onDelete, [pod(0)], 'r1', 'r2').actions), ['create 1 update']);
});
