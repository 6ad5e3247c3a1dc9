// Rolling-update arithmetic (upstream deployment/util and rolling.go), step by step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxUnavailable, newRSNewReplicas, planOldScaleDown, proportionalSizes, resolveFenceposts, type RSCounts } from './rolling.js';

const rs = (name: string, replicas: number, available: number, created: number): RSCounts => ({ name, replicas, available, created });
const DEFAULTS = { maxSurge: '25%', maxUnavailable: '25%' };

test('fenceposts: surge rounds up, unavailable down; both zero becomes unavailable 1', () => {
  assert.deepEqual(resolveFenceposts(DEFAULTS, 10), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts(DEFAULTS, 1), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts({ maxSurge: 0, maxUnavailable: 0 }, 5), { surge: 0, unavailable: 1 });
  assert.deepEqual(resolveFenceposts({ maxSurge: '0%', maxUnavailable: 3 }, 5), { surge: 0, unavailable: 3 });
  assert.equal(maxUnavailable({ maxUnavailable: 10, maxSurge: 0 }, 4), 4);
  assert.equal(maxUnavailable(undefined, 4), 0);
});

test('new ReplicaSet grows within replicas + maxSurge', () => {
  const old = rs('old', 4, 4, 1);
  const fresh = rs('new', 0, 0, 2);
  // 4 replicas, 25%: surge 1 → total may reach 5.
  assert.equal(newRSNewReplicas(DEFAULTS, 4, [old, fresh], fresh), 1);
  assert.equal(newRSNewReplicas(DEFAULTS, 4, [rs('old', 3, 3, 1), rs('new', 2, 0, 2)], rs('new', 2, 0, 2)), 2);
  assert.equal(newRSNewReplicas(DEFAULTS, 4, [rs('old', 1, 1, 1), rs('new', 3, 3, 2)], rs('new', 3, 3, 2)), 4);
  // Recreate: all at once.
  assert.equal(newRSNewReplicas(undefined, 4, [fresh], fresh), 4);
});

test('old ReplicaSets shrink only while replicas - maxUnavailable stay available', () => {
  // 4 replicas (unavailable 1): old 4 available, new 1 not yet available → 1 old may go.
  assert.deepEqual([...planOldScaleDown(DEFAULTS, 4, [rs('old', 4, 4, 1)], rs('new', 1, 0, 2))], [['old', 3]]);
  // New pod available: two more old pods may go (available 5 → min 3).
  assert.deepEqual([...planOldScaleDown(DEFAULTS, 4, [rs('old', 3, 3, 1)], rs('new', 2, 2, 2))], [['old', 1]]);
  // Nothing available to spare: no change.
  assert.deepEqual([...planOldScaleDown(DEFAULTS, 4, [rs('old', 3, 3, 1)], rs('new', 2, 0, 2))], []);
});

test('unhealthy old replicas go first, oldest ReplicaSet first', () => {
  const plan = planOldScaleDown(DEFAULTS, 4, [rs('older', 2, 0, 1), rs('old', 2, 2, 2)], rs('new', 1, 1, 3));
  assert.equal(plan.get('older'), 0);
  assert.equal(plan.get('old'), undefined);
});

test('proportional scaling shares a resize among active ReplicaSets', () => {
  // Mid-rollout at 10 replicas (max 13): new 6, old 7 (annotated max 13). Scale to 20 (max 25): +12.
  const sizes = proportionalSizes(DEFAULTS, 20, [{ ...rs('old', 7, 7, 1), annotatedMax: 13 }, { ...rs('new', 6, 0, 2), annotatedMax: 13 }], 13);
  assert.equal(sizes.get('old')! + sizes.get('new')!, 25);
  assert.deepEqual([sizes.get('old'), sizes.get('new')], [13, 12]);
});
