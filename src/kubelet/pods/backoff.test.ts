// The kubelet's back-off on a ManualClock: 10 s doubling to 300 s, reset after 10 min without
// failures, keyed per pod/container/image; Go-style durations in messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import { Backoff, formatDuration } from './backoff.js';

test('backoff: doubles from 10 s to at most 300 s while failures follow each other', () => {
  const clock = new ManualClock(1_000_000);
  const b = new Backoff(clock);
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) {
    const finished = clock.now();
    assert.equal(b.remaining('k', finished), seen.length ? seen[seen.length - 1]! : 0);
    b.next('k', finished);
    seen.push(b.get('k'));
    clock.advance(b.get('k'));
    assert.equal(b.remaining('k', finished), 0, 'the wait is over after the delay');
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('backoff: a container that ran for more than 10 minutes starts over at 10 s', () => {
  const clock = new ManualClock(0);
  const b = new Backoff(clock);
  b.next('k', 0);
  b.next('k', 0);
  assert.equal(b.get('k'), 20_000);
  clock.advance(11 * 60_000);
  assert.equal(b.remaining('k', clock.now()), 0);
  b.next('k', clock.now());
  assert.equal(b.get('k'), 10_000);
});

test('backoff: keys are independent; remaining counts from the failure time', () => {
  const clock = new ManualClock(0);
  const b = new Backoff(clock);
  b.next('u1/c/img:1', 0);
  b.next('u1/c/img:1', 0);
  clock.advance(5_000);
  assert.equal(b.remaining('u1/c/img:1', 0), 15_000);
  assert.equal(b.remaining('u1/c/img:2', 0), 0);
});

test('formatDuration prints as Go does', () => {
  assert.deepEqual([10_000, 20_000, 80_000, 160_000, 300_000].map(formatDuration), ['10s', '20s', '1m20s', '2m40s', '5m0s']);
});
