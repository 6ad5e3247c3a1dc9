// ReplicaSet status from its pods (upstream calculateStatus): availability honours minReadySeconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, ReplicaSet } from '../../api/index.js';
import { calculateReplicaSetStatus } from './status.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

const pod = (labels: Record<string, string>, readySince?: number): Pod => ({
  metadata: { labels },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: readySince === undefined ? 'False' : 'True', lastTransitionTime: iso(readySince ?? NOW) }] },
}) as unknown as Pod;

const rs = (minReadySeconds: number): ReplicaSet => ({
  metadata: { name: 'web', generation: 3 },
  spec: { replicas: 4, minReadySeconds, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'front' } } } },
}) as unknown as ReplicaSet;

test('counts replicas, fully labeled, ready and available (after minReadySeconds)', () => {
  const pods = [
    pod({ app: 'web', tier: 'front' }, NOW - 60_000),
    pod({ app: 'web', tier: 'front' }, NOW - 5_000),
    pod({ app: 'web' }, NOW - 60_000),
    pod({ app: 'web', tier: 'front' }),
  ];
  assert.deepEqual(calculateReplicaSetStatus(rs(10), pods, NOW), {
    replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2, observedGeneration: 3,
  });
  assert.equal(calculateReplicaSetStatus(rs(0), pods, NOW).availableReplicas, 3);
});

test('a failed create sets ReplicaFailure/FailedCreate; success clears it', () => {
  const failed = calculateReplicaSetStatus(rs(0), [], NOW, { diff: -4, message: 'pods "web-" is forbidden: exceeded quota' });
  assert.deepEqual(failed.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['ReplicaFailure', 'True', 'FailedCreate', 'pods "web-" is forbidden: exceeded quota']]);
  const withFailure = { ...rs(0), status: failed } as ReplicaSet;
  assert.equal(calculateReplicaSetStatus(withFailure, [], NOW).conditions, undefined);
});
