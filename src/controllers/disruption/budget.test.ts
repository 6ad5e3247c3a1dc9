// PDB arithmetic as upstream pkg/controller/disruption computes it (disruption_test.go cases:
// integer and percentage minAvailable/maxUnavailable, rounding up, disruptedPods expiry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodDisruptionBudget } from '../../api/index.js';
import {
  budgetStatus, buildDisruptedPodMap, countHealthyPods, DELETION_TIMEOUT_MS, expectedPodCount, failSafeStatus, scaledValueFromIntOrPercent,
} from './budget.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function pod(name: string, ready: boolean, extra: { deleting?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', ...(extra.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  } as Pod;
}

test('scaledValueFromIntOrPercent rounds percentages as asked and rejects other strings', () => {
  assert.equal(scaledValueFromIntOrPercent(3, 10, true), 3);
  assert.equal(scaledValueFromIntOrPercent('50%', 5, true), 3);
  assert.equal(scaledValueFromIntOrPercent('50%', 5, false), 2);
  assert.equal(scaledValueFromIntOrPercent('0%', 5, true), 0);
  assert.throws(() => scaledValueFromIntOrPercent('half', 5, true), /invalid value for IntOrString/);
});

test('integer minAvailable counts the selected pods and never asks for the scale', () => {
  const r = expectedPodCount({ minAvailable: 2 }, 3, () => assert.fail('scale not needed'));
  assert.deepEqual(r, { expectedCount: 3, desiredHealthy: 2 });
});

test('percentage minAvailable is of the controllers\' scale, rounded up', () => {
  assert.deepEqual(expectedPodCount({ minAvailable: '50%' }, 2, () => 5), { expectedCount: 5, desiredHealthy: 3 });
  assert.deepEqual(expectedPodCount({ minAvailable: '100%' }, 2, () => 3), { expectedCount: 3, desiredHealthy: 3 });
});

test('maxUnavailable (integer or percentage, rounded up) is subtracted from the scale, floored at 0', () => {
  assert.deepEqual(expectedPodCount({ maxUnavailable: 1 }, 3, () => 3), { expectedCount: 3, desiredHealthy: 2 });
  // 30% of 5 = 1.5 → 2 unavailable allowed (upstream rounds maxUnavailable up).
  assert.deepEqual(expectedPodCount({ maxUnavailable: '30%' }, 5, () => 5), { expectedCount: 5, desiredHealthy: 3 });
  assert.deepEqual(expectedPodCount({ maxUnavailable: 7 }, 3, () => 3), { expectedCount: 3, desiredHealthy: 0 });
});

test('a failing scale lookup fails the computation', () => {
  assert.throws(() => expectedPodCount({ maxUnavailable: 1 }, 1, () => { throw new Error('found no controllers for pod "x"'); }), /found no controllers/);
});

test('healthy pods are the ready ones not being deleted nor recently evicted', () => {
  const pods = [pod('a', true), pod('b', true), pod('c', false), pod('d', true, { deleting: true }), pod('e', true)];
  assert.equal(countHealthyPods(pods, {}, NOW), 3);
  assert.equal(countHealthyPods(pods, { e: iso(NOW - 1000) }, NOW), 2);
  // An eviction older than the deletion timeout no longer hides the pod.
  assert.equal(countHealthyPods(pods, { e: iso(NOW - DELETION_TIMEOUT_MS - 1000) }, NOW), 3);
});

test('disruptedPods keeps pending evictions of existing pods and says when to look again', () => {
  const pods = [pod('a', true), pod('b', true), pod('c', true, { deleting: true })];
  const r = buildDisruptedPodMap(pods, { a: iso(NOW - 30_000), b: iso(NOW - DELETION_TIMEOUT_MS - 1000), c: iso(NOW), gone: iso(NOW) }, NOW);
  assert.deepEqual(r.disruptedPods, { a: iso(NOW - 30_000) });
  assert.deepEqual(r.notDeleted, ['b']);
  assert.equal(r.recheckAt, NOW - 30_000 + DELETION_TIMEOUT_MS);
  assert.deepEqual(buildDisruptedPodMap(pods, undefined, NOW), { disruptedPods: {}, notDeleted: [] });
});

test('status: disruptionsAllowed = healthy - desired, zero without expected pods; condition reasons', () => {
  const pdb = { metadata: { name: 'web', generation: 2 }, spec: { minAvailable: 2 } } as PodDisruptionBudget;
  const s = budgetStatus(pdb, { currentHealthy: 3, desiredHealthy: 2, expectedCount: 3 }, {}, iso(NOW));
  assert.equal(s.disruptionsAllowed, 1);
  assert.equal(s.observedGeneration, 2);
  assert.equal(s.disruptedPods, undefined);
  assert.deepEqual(s.conditions, [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 2, lastTransitionTime: iso(NOW) }]);

  const spent = budgetStatus({ ...pdb, status: s }, { currentHealthy: 2, desiredHealthy: 2, expectedCount: 3 }, { a: iso(NOW) }, iso(NOW + 5000));
  assert.equal(spent.disruptionsAllowed, 0);
  assert.deepEqual(spent.disruptedPods, { a: iso(NOW) });
  assert.equal(spent.conditions?.[0]?.reason, 'InsufficientPods');
  assert.equal(spent.conditions?.[0]?.lastTransitionTime, iso(NOW + 5000));

  const none = budgetStatus(pdb, { currentHealthy: 3, desiredHealthy: 0, expectedCount: 0 }, {}, iso(NOW));
  assert.equal(none.disruptionsAllowed, 0);

  // The transition time stays while the status does not change.
  const again = budgetStatus({ ...pdb, status: s }, { currentHealthy: 4, desiredHealthy: 2, expectedCount: 4 }, {}, iso(NOW + 9000));
  assert.equal(again.conditions?.[0]?.lastTransitionTime, iso(NOW));
});

test('fail-safe status allows nothing and says SyncFailed with the error', () => {
  const pdb = { metadata: { name: 'web', generation: 1 }, status: { disruptionsAllowed: 2, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3, observedGeneration: 1 } } as PodDisruptionBudget;
  const s = failSafeStatus(pdb, 'found no controllers for pod "x"', iso(NOW));
  assert.equal(s.disruptionsAllowed, 0);
  assert.equal(s.currentHealthy, 3);
  assert.deepEqual(s.conditions, [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "x"', observedGeneration: 1, lastTransitionTime: iso(NOW) }]);
});
