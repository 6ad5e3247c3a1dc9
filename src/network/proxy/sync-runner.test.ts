// SyncRunner on a ManualClock: coalescing, the minimum interval, no overlap, retry as a full run
// after a failure, and the periodic full run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import { SyncRunner } from './sync-runner.js';

const flush = () => new Promise((r) => setImmediate(r));

function harness(opts: { minIntervalMs?: number; periodMs?: number; fail?: () => boolean; hold?: () => Promise<void> } = {}) {
  const clock = new ManualClock(1_000_000);
  const runs: { full: boolean; at: number }[] = [];
  const errors: number[] = [];
  const runner = new SyncRunner({
    minIntervalMs: opts.minIntervalMs ?? 10, periodMs: opts.periodMs ?? 0, retryInitialMs: 100, retryMaxMs: 400, clock,
    run: async (full) => {
      runs.push({ full, at: clock.now() });
      await opts.hold?.();
      if (opts.fail?.()) throw new Error('backend down');
    },
    onError: (_e, retryIn) => errors.push(retryIn),
  });
  const stop = new AbortController();
  const done = runner.start(stop.signal);
  return { clock, runs, errors, runner, stop: async () => { stop.abort(); await done; } };
}

test('requests coalesce into one run; a full request makes the run full', async () => {
  const h = harness();
  h.runner.request(true);
  h.runner.request(false);
  h.runner.request(false);
  h.clock.advance(0);
  await flush();
  assert.deepEqual(h.runs.map((r) => r.full), [true]);
  for (let i = 0; i < 100; i++) h.runner.request(false);
  h.clock.advance(10);
  await flush();
  assert.deepEqual(h.runs.map((r) => r.full), [true, false]);
  await h.stop();
});

test('runs start at least minInterval apart, and never overlap', async () => {
  let release: (() => void) | undefined;
  const h = harness({ minIntervalMs: 50, hold: () => new Promise<void>((r) => { release = r; }) });
  h.runner.request();
  h.clock.advance(0);
  await flush();
  assert.equal(h.runs.length, 1);
  h.runner.request();
  h.clock.advance(100);
  await flush();
  assert.equal(h.runs.length, 1, 'the first run is still in flight');
  release!();
  await flush();
  h.clock.advance(0);
  await flush();
  assert.equal(h.runs.length, 2, 'the request made during the run runs after it');
  release!();
  await flush();
  h.runner.request();
  h.clock.advance(49);
  await flush();
  assert.equal(h.runs.length, 2, 'not before 50 ms after the previous start');
  h.clock.advance(1);
  await flush();
  assert.equal(h.runs.length, 3);
  assert.ok(h.runs[2]!.at - h.runs[1]!.at >= 50);
  release!();
  await h.stop();
});

test('a failed run is retried as a full run after a doubling backoff', async () => {
  let failing = 2;
  const h = harness({ fail: () => failing-- > 0 });
  h.runner.request(false);
  h.clock.advance(0);
  await flush();
  assert.deepEqual(h.errors, [100]);
  h.clock.advance(100);
  await flush();
  assert.deepEqual(h.errors, [100, 200]);
  h.clock.advance(200);
  await flush();
  assert.deepEqual(h.runs.map((r) => r.full), [false, true, true]);
  h.clock.advance(10_000);
  await flush();
  assert.equal(h.runs.length, 3, 'no retries after success');
  await h.stop();
});

test('an event after a failure runs full, before the retry is due', async () => {
  let failing = 1;
  const h = harness({ fail: () => failing-- > 0 });
  h.runner.request(false);
  h.clock.advance(0);
  await flush();
  h.runner.request(false);
  h.clock.advance(10);
  await flush();
  assert.deepEqual(h.runs.map((r) => r.full), [false, true]);
  await h.stop();
});

test('the period requests a full run after each full run; stop cancels the timers', async () => {
  const h = harness({ periodMs: 1000 });
  h.runner.request(true);
  h.clock.advance(0);
  await flush();
  h.clock.advance(999);
  await flush();
  assert.equal(h.runs.length, 1);
  h.clock.advance(1);
  await flush();
  h.clock.advance(1000);
  await flush();
  assert.deepEqual(h.runs.map((r) => r.full), [true, true, true]);
  await h.stop();
  assert.equal(h.clock.pending, 0);
  h.runner.request();
  h.clock.advance(10_000);
  await flush();
  assert.equal(h.runs.length, 3, 'no runs after stop');
});

test('the period counts from the end of the last full run', async () => {
  let release: (() => void) | undefined;
  let holding = true;
  const h = harness({ periodMs: 1000, hold: () => (holding ? new Promise<void>((r) => { release = r; }) : Promise.resolve()) });
  h.runner.request(true);
  h.clock.advance(0);
  await flush();
  h.clock.advance(5000);
  await flush();
  assert.equal(h.runs.length, 1, 'a slow full run: no second one queued behind it');
  holding = false;
  release!();
  await flush();
  h.clock.advance(999);
  await flush();
  assert.equal(h.runs.length, 1);
  h.clock.advance(1);
  await flush();
  assert.deepEqual(h.runs.map((r) => r.full), [true, true]);
  await h.stop();
});
