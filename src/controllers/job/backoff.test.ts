import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, nextBackoffRecord, remainingBackoffMs } from './backoff.js';

test('backoff doubles from 10 s and is capped at 6 min', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelayMs(n)), [0, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]);
});

test('the remaining backoff counts from the last failure; a success resets it', () => {
  let rec = nextBackoffRecord(undefined, 0, 1, 1_000);
  assert.equal(remainingBackoffMs(rec, 1_000), 10_000);
  assert.equal(remainingBackoffMs(rec, 6_000), 5_000);
  rec = nextBackoffRecord(rec, 0, 1, 20_000);
  assert.equal(remainingBackoffMs(rec, 20_000), 20_000);
  assert.equal(remainingBackoffMs(rec, 45_000), 0);
  rec = nextBackoffRecord(rec, 1, 0, 50_000);
  assert.equal(remainingBackoffMs(rec, 50_000), 0);
  assert.equal(remainingBackoffMs(undefined, 0), 0);
});
