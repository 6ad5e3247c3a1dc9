import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_GC_POLICY, planImageGC, validatePolicy, type GCImage } from './gc-policy.js';

const img = (id: string, size: number, lastUsed: number, inUse = false, firstDetected = 0): GCImage => ({ id, size, lastUsed, firstDetected, inUse });
const NOW = 10 * 60_000;

test('below the high threshold nothing is deleted', () => {
  const plan = planImageGC({ capacityBytes: 1000, availableBytes: 160 }, [img('a', 500, 0)], DEFAULT_GC_POLICY, NOW);
  assert.deepEqual(plan, { amountToFree: 0, delete: [], freed: 0 });
});

test('at the high threshold unused images go least recently used first until the low one is reached', () => {
  // 90% used: free 1000*20% - 100 = 100 bytes.
  const images = [img('new', 60, 300), img('old', 60, 100), img('used', 500, 0, true), img('mid', 60, 200), img('young', 999, 0, false, NOW - 1000)];
  const plan = planImageGC({ capacityBytes: 1000, availableBytes: 100 }, images, DEFAULT_GC_POLICY, NOW);
  assert.deepEqual(plan, { amountToFree: 100, delete: ['old', 'mid'], freed: 120 });
});

test('ties on last use go by first detection; not enough to free deletes all it can', () => {
  const images = [img('b', 10, 5, false, 2), img('a', 10, 5, false, 1)];
  const plan = planImageGC({ capacityBytes: 1000, availableBytes: 0 }, images, { ...DEFAULT_GC_POLICY, minAgeMs: 0 }, NOW);
  assert.deepEqual(plan, { amountToFree: 200, delete: ['a', 'b'], freed: 20 });
});

test('policies the kubelet refuses are refused', () => {
  assert.throws(() => validatePolicy({ highThresholdPercent: 70, lowThresholdPercent: 80, minAgeMs: 0 }), /can not be higher/);
  assert.throws(() => validatePolicy({ highThresholdPercent: 101, lowThresholdPercent: 80, minAgeMs: 0 }), /range/);
});
