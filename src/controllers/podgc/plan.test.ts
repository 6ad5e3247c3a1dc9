// Which pods one PodGC pass removes (upstream podgc gcTerminated, gcOrphaned, gcUnscheduledTerminating, gcTerminating).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from '../../api/index.js';
import { missingNodes, terminatedPodsToDelete, terminatingPodsOnOutOfServiceNodes, unscheduledTerminatingPods, TAINT_OUT_OF_SERVICE } from './plan.js';

const pod = (name: string, phase: string, minute: number, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, namespace: 'default', creationTimestamp: `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`, ...extra.metadata },
  spec: { containers: [], ...extra.spec } as Pod['spec'],
  status: { phase, ...extra.status },
});

test('terminated pods beyond the threshold go, evicted first, then oldest', () => {
  const pods = [
    pod('old', 'Succeeded', 1), pod('new', 'Failed', 9), pod('mid', 'Succeeded', 5),
    pod('evicted', 'Failed', 8, { status: { phase: 'Failed', reason: 'Evicted' } }), pod('running', 'Running', 0),
  ];
  assert.deepEqual(terminatedPodsToDelete(pods, 2).map((p) => p.metadata?.name), ['evicted', 'old']);
  assert.deepEqual(terminatedPodsToDelete(pods, 4), []);
  assert.deepEqual(terminatedPodsToDelete(pods, 0), [], 'threshold 0 disables');
});

test('nodes that pods name but the cache lacks', () => {
  const pods = [pod('a', 'Running', 1, { spec: { nodeName: 'gone' } as Pod['spec'] }), pod('b', 'Running', 1, { spec: { nodeName: 'here' } as Pod['spec'] }), pod('c', 'Pending', 1)];
  assert.deepEqual([...missingNodes(pods, (n) => n === 'here')], ['gone']);
});

test('unscheduled terminating pods, and terminating pods on out-of-service nodes', () => {
  const del = { deletionTimestamp: '2026-01-01T01:00:00Z' } as Pod['metadata'];
  const pods = [
    pod('unsched', 'Pending', 1, { metadata: del }),
    pod('oos', 'Running', 1, { metadata: del, spec: { nodeName: 'down' } as Pod['spec'] }),
    pod('ok', 'Running', 1, { metadata: del, spec: { nodeName: 'up' } as Pod['spec'] }),
  ];
  assert.deepEqual(unscheduledTerminatingPods(pods).map((p) => p.metadata?.name), ['unsched']);
  const nodes: Record<string, Node> = {
    down: { spec: { taints: [{ key: TAINT_OUT_OF_SERVICE, effect: 'NoExecute' }] }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
    up: { spec: { taints: [{ key: TAINT_OUT_OF_SERVICE, effect: 'NoExecute' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
  };
  assert.deepEqual(terminatingPodsOnOutOfServiceNodes(pods, (n) => nodes[n]).map((p) => p.metadata?.name), ['oos']);
});
