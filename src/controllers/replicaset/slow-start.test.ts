// Upstream slowStartBatch: batches 1, 2, 4, … capped at what remains; stop after a failing batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch, slowStartBatchSizes } from './slow-start.js';

test('batch sizes double from 1 and the last one takes what remains', () => {
  assert.deepEqual(slowStartBatchSizes(0), []);
  assert.deepEqual(slowStartBatchSizes(1), [1]);
  assert.deepEqual(slowStartBatchSizes(6), [1, 2, 3]);
  assert.deepEqual(slowStartBatchSizes(10), [1, 2, 4, 3]);
  assert.deepEqual(slowStartBatchSizes(500), [1, 2, 4, 8, 16, 32, 64, 128, 245]);
});

test('a failing batch stops the rest and counts only successes', async () => {
  let calls = 0;
  const r = await slowStartBatch(10, 1, async () => {
    calls++;
    if (calls === 3) throw new Error('quota exceeded');
  });
  // Batches 1 and 2 ran (3 calls); the failure in batch 2 stopped batch 3.
  assert.equal(calls, 3);
  assert.equal(r.successes, 2);
  assert.match(String((r.error as Error).message), /quota/);
});

test('all succeed', async () => {
  let calls = 0;
  const r = await slowStartBatch(7, 1, async () => { calls++; });
  assert.deepEqual({ calls, successes: r.successes, error: r.error }, { calls: 7, successes: 7, error: undefined });
});
