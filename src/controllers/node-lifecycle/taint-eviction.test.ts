// Taint eviction timing (upstream tainteviction processPodOnNode / getMinTolerationTime).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from '../../api/index.js';
import { ManualClock } from '../../client/index.js';
import { evictionDecision, evictionStep, matchingTolerations } from './taint-eviction.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './health.js';

const unreachable: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };
const notReady: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
const defaults = [
  { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

test('no NoExecute taint: keep (NoSchedule taints never evict)', () => {
  assert.deepEqual(evictionDecision([{ key: 'x', effect: 'NoSchedule' }], []), { kind: 'keep' });
  assert.deepEqual(evictionDecision(undefined, undefined), { kind: 'keep' });
});

test('an untolerated NoExecute taint evicts at once', () => {
  assert.deepEqual(evictionDecision([unreachable], []), { kind: 'delete-now' });
  assert.deepEqual(evictionDecision([unreachable, { key: 'other', effect: 'NoExecute' }], defaults), { kind: 'delete-now' });
});

test('tolerated: after the shortest tolerationSeconds; none set: forever; 0 or less: now', () => {
  assert.deepEqual(evictionDecision([unreachable], defaults), { kind: 'delete-after', afterMs: 300_000 });
  assert.deepEqual(evictionDecision([unreachable, notReady], [
    { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
  ]), { kind: 'delete-after', afterMs: 30_000 });
  assert.deepEqual(evictionDecision([unreachable], [{ operator: 'Exists' }]), { kind: 'keep' });
  assert.deepEqual(evictionDecision([unreachable], [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 0 }]), { kind: 'delete-now' });
});

test('the first matching toleration per taint is the one used (upstream GetMatchingTolerations)', () => {
  const tols = [{ operator: 'Exists' }, { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }];
  assert.deepEqual(matchingTolerations([unreachable], tols), [{ operator: 'Exists' }]);
  assert.deepEqual(evictionDecision([unreachable], tols), { kind: 'keep' });
  assert.equal(matchingTolerations([{ key: 'k', value: 'v', effect: 'NoExecute' }], [{ key: 'k', value: 'w', effect: 'NoExecute' }]), undefined);
});

test('eviction timing on a ManualClock: tolerationSeconds count from the first plan, re-syncs do not postpone', () => {
  const clock = new ManualClock(1_000_000);
  const tols = [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }];
  let step = evictionStep(evictionDecision([unreachable], tols), undefined, clock.now());
  assert.deepEqual(step, { kind: 'wait', plan: { createdAt: 1_000_000, fireAt: 1_030_000 } });
  const plan = step.kind === 'wait' ? step.plan : undefined;
  clock.advance(20_000);
  step = evictionStep(evictionDecision([unreachable], tols), plan, clock.now());
  assert.deepEqual(step, { kind: 'wait', plan: { createdAt: 1_000_000, fireAt: 1_030_000 } }, 'a resync keeps the deadline');
  // A shorter toleration now (pod updated) brings the deadline forward, still from the first plan.
  const shorter = [{ ...tols[0], tolerationSeconds: 10 }];
  assert.deepEqual(evictionStep(evictionDecision([unreachable], shorter), plan, clock.now()), { kind: 'delete' });
  clock.advance(10_000);
  assert.deepEqual(evictionStep(evictionDecision([unreachable], tols), plan, clock.now()), { kind: 'delete' }, 'due at 30 s');
  assert.deepEqual(evictionStep(evictionDecision([], tols), plan, clock.now()), { kind: 'cancel' }, 'taint gone: cancelled');
  assert.deepEqual(evictionStep(evictionDecision([unreachable], []), undefined, clock.now()), { kind: 'delete' });
});
