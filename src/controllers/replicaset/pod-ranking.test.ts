// Deletion order of a ReplicaSet's surplus pods (upstream ActivePodsWithRanks.Less).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import { podsToDelete } from './pod-ranking.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyAgo?: number; createdAgo?: number; restarts?: number; cost?: number } = {}): Pod {
  return {
    metadata: {
      name, uid: `uid-${name}`, creationTimestamp: iso(o.createdAgo ?? 3_600_000),
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
    },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: iso(o.readyAgo ?? 3_600_000) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  } as unknown as Pod;
}

const order = (pods: Pod[]) => podsToDelete(pods, pods.length - 1, NOW).map((p) => p.metadata?.name);

test('unscheduled before scheduled', () => {
  assert.deepEqual(order([pod('a', { node: 'n1' }), pod('b', { phase: 'Pending', ready: false })]), ['b']);
});

test('Pending before Unknown before Running', () => {
  const pods = [pod('run', { node: 'n1' }), pod('unk', { node: 'n2', phase: 'Unknown' }), pod('pend', { node: 'n3', phase: 'Pending' })];
  assert.deepEqual(podsToDelete(pods, 3, NOW).map((p) => p.metadata?.name), ['run', 'unk', 'pend']);
  const ranked = podsToDelete(pods, 2, NOW).map((p) => p.metadata?.name);
  assert.deepEqual(ranked, ['pend', 'unk']);
});

test('not ready before ready', () => {
  assert.deepEqual(order([pod('ready', { node: 'n1' }), pod('notready', { node: 'n2', ready: false })]), ['notready']);
});

test('lower deletion cost first', () => {
  assert.deepEqual(order([pod('cheap', { node: 'n1', cost: -5 }), pod('dear', { node: 'n2', cost: 10 })]), ['cheap']);
});

test('doubled-up pods before lone ones', () => {
  const pods = [pod('alone', { node: 'n1' }), pod('shared1', { node: 'n2', createdAgo: 10_000_000 }), pod('shared2', { node: 'n2', createdAgo: 10_000_000 })];
  assert.deepEqual(podsToDelete(pods, 2, NOW).map((p) => p.metadata?.name).sort(), ['shared1', 'shared2']);
});

test('ready for less time first, compared on a log scale', () => {
  assert.deepEqual(order([pod('old', { node: 'n1', readyAgo: 3_600_000 }), pod('new', { node: 'n2', readyAgo: 60_000 })]), ['new']);
});

test('more restarts first, then newer first', () => {
  assert.deepEqual(order([pod('calm', { node: 'n1' }), pod('crashy', { node: 'n2', restarts: 4 })]), ['crashy']);
  assert.deepEqual(order([pod('older', { node: 'n1', createdAgo: 86_400_000 }), pod('newer', { node: 'n2', createdAgo: 1000 })]), ['newer']);
});
