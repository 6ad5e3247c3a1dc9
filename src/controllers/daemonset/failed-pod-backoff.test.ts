import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import { FailedPodsBackoff } from './failed-pod-backoff.js';

test('failed daemon pods back off 1 s, 2 s, 4 s … up to 15 min, and start over after a long quiet', () => {
  const clock = new ManualClock(0);
  const b = new FailedPodsBackoff(clock);
  assert.equal(b.remainingMs('ds/n'), 0);
  b.next('ds/n');
  assert.equal(b.remainingMs('ds/n'), 1000);
  clock.advance(1000);
  assert.equal(b.remainingMs('ds/n'), 0);
  b.next('ds/n');
  assert.equal(b.remainingMs('ds/n'), 2000);
  for (let i = 0; i < 20; i++) b.next('ds/n');
  assert.equal(b.remainingMs('ds/n'), 15 * 60 * 1000);
  clock.advance(31 * 60 * 1000);
  b.next('ds/n');
  assert.equal(b.remainingMs('ds/n'), 1000);
  clock.advance(31 * 60 * 1000);
  b.gc();
  assert.equal(b.remainingMs('ds/n'), 0);
  assert.equal(b.remainingMs('other'), 0);
});
