// Work queue semantics pinned to client-go's workqueue: dedup, no concurrent processing of one
// key, delayed and rate-limited adds (5 ms doubling to 1000 s), shutdown. Time is a ManualClock.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialRateLimiter, ManualClock, WorkQueue,
} from '../../src/client/index.js';

describe('WorkQueue', () => {
  test('dedups queued keys and hands them out in FIFO order', async () => {
    const q = new WorkQueue<string>({ clock: new ManualClock() });
    q.add('a'); q.add('b'); q.add('a');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.len(), 0);
  });

  test('a key being processed is not handed out again until done, then exactly once', async () => {
    const q = new WorkQueue<string>({ clock: new ManualClock() });
    q.add('k');
    const k = await q.get();
    q.add('k'); q.add('k');
    assert.equal(q.len(), 0, 're-added while processing: held back');
    let second: string | undefined;
    void q.get().then((v) => (second = v));
    await Promise.resolve();
    assert.equal(second, undefined);
    q.done(k!);
    await Promise.resolve();
    assert.equal(second, 'k', 'done re-queues a key that was re-added, and a waiting get receives it');
    q.done('k');
    assert.equal(q.len(), 0, 'only once');
  });

  test('get waits for an add; shutDown wakes waiters, drains what is queued, ignores later adds', async () => {
    const q = new WorkQueue<string>({ clock: new ManualClock() });
    const waiting = q.get();
    q.add('x');
    assert.equal(await waiting, 'x');
    q.add('y');
    const idle = new WorkQueue<string>({ clock: new ManualClock() });
    const w = idle.get();
    idle.shutDown();
    assert.equal(await w, undefined);
    q.shutDown();
    assert.ok(q.isShuttingDown());
    q.add('z');
    assert.equal(await q.get(), 'y', 'already queued keys are still handed out');
    assert.equal(await q.get(), undefined);
  });

  test('addAfter adds when the clock reaches the time; an earlier time wins', async () => {
    const clock = new ManualClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    q.addAfter('now', 0);
    assert.equal(q.len(), 1);
    assert.equal(await q.get(), 'now');
    clock.advance(49);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    clock.advance(1000);
    assert.equal(q.len(), 1, 'the later, superseded timers do not add it again');
    q.shutDown();
    q.addAfter('late', 1);
    assert.equal(clock.pending, 0, 'shutdown drops and refuses delayed adds');
  });

  test('addRateLimited backs off per item 5 ms, 10 ms, 20 ms, …; forget resets', async () => {
    const clock = new ManualClock();
    const q = new WorkQueue<string>({ clock });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = clock.now();
      q.addRateLimited('a');
      while (q.len() === 0) clock.advance(1);
      delays.push(clock.now() - t0);
      q.done((await q.get())!);
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(q.numRequeues('a'), 4);
    q.forget('a');
    assert.equal(q.numRequeues('a'), 0);
    q.addRateLimited('a');
    clock.advance(4);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
  });
});

describe('rate limiters', () => {
  test('item exponential caps at 1000 s', () => {
    const l = new ItemExponentialRateLimiter<string>();
    let last = 0;
    for (let i = 0; i < 30; i++) last = l.when('x');
    assert.equal(last, 1000_000);
    assert.equal(l.when('y'), 5, 'per item');
  });

  test('bucket: burst free, then 1/qps apart; the default limiter takes the larger delay', () => {
    const clock = new ManualClock();
    const b = new BucketRateLimiter<string>(clock, 10, 2);
    assert.deepEqual([b.when('a'), b.when('b'), b.when('c'), b.when('d')], [0, 0, 100, 200]);
    clock.advance(1000);
    assert.equal(b.when('e'), 0, 'refilled');
    const d = defaultControllerRateLimiter<string>(new ManualClock(), { qps: 1, burst: 1 });
    assert.equal(d.when('a'), 5);
    assert.equal(d.when('b'), 1000, 'bucket empty: 1 s');
  });
});
