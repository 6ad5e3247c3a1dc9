import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../../api/index.js';
import { ManualClock } from '../../client/index.js';
import { SliceTracker } from './slice-tracker.js';

const slice = (name: string, rv: string) => ({ metadata: { name, resourceVersion: rv } }) as EndpointSlice;

test('the cache is caught up once it shows every written slice at its version and none deleted', () => {
  const clock = new ManualClock(0);
  const t = new SliceTracker(clock, 30_000);
  assert.equal(t.caughtUp('ns/s', []), true);
  t.expect('ns/s', slice('a', '10'));
  t.expect('ns/s', slice('b', '5'), true);
  assert.equal(t.caughtUp('ns/s', [slice('b', '5')]), false, 'a not seen, b still there');
  assert.equal(t.caughtUp('ns/s', [slice('a', '9')]), false, 'a at an older version');
  assert.equal(t.caughtUp('ns/s', [slice('a', '11')]), true);
  t.expect('ns/s', slice('c', '20'));
  t.observedDeletion('ns/s', 'c');
  assert.equal(t.caughtUp('ns/s', []), true, 'someone deleted c: nothing to wait for');
});

test('an expectation not met in time is dropped, so a service never wedges', () => {
  const clock = new ManualClock(0);
  const t = new SliceTracker(clock, 30_000);
  t.expect('ns/s', slice('a', '10'));
  assert.equal(t.caughtUp('ns/s', []), false);
  clock.advance(30_001);
  assert.equal(t.caughtUp('ns/s', []), true);
});
