import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startCompactor } from './compactor.js';
import { createMemoryStore } from './memory/memory-store.js';
import type { Store } from './store.js';

async function writeSome(s: Store, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await s.create(`/r/${await s.currentRevision()}`, '{}');
}

/** A manual clock for the compactor: `tick()` ends the current wait and returns once the next began. */
function manualClock() {
  let release: ((go: boolean) => void) | undefined;
  let waiting: () => void = () => {};
  let waitStarted = new Promise<void>((r) => (waiting = r));
  const intervals: number[] = [];
  return {
    intervals,
    wait(ms: number, signal: AbortSignal): Promise<boolean> {
      intervals.push(ms);
      return new Promise<boolean>((resolve) => {
        release = resolve;
        signal.addEventListener('abort', () => resolve(false), { once: true });
        waiting();
      });
    },
    async tick(): Promise<void> {
      await waitStarted;
      waitStarted = new Promise<void>((r) => (waiting = r));
      release!(true);
      await waitStarted;
    },
  };
}

describe('startCompactor', () => {
  it('compacts to the revision observed one interval earlier and stops on abort', async () => {
    const s = createMemoryStore();
    const ac = new AbortController();
    const clock = manualClock();
    const errors: unknown[] = [];
    const done = startCompactor(s, { onError: (e) => errors.push(e), wait: clock.wait }, ac.signal);
    try {
      await writeSome(s, 5);
      await clock.tick(); // observes revision 5, compacts nothing
      assert.equal(await s.compactRevision(), 0);
      await writeSome(s, 5);
      await clock.tick(); // compacts to 5, observes 10
      assert.equal(await s.compactRevision(), 5);
      await clock.tick(); // compacts to 10
      assert.equal(await s.compactRevision(), 10);
      await clock.tick(); // nothing new: compact revision stays
      assert.equal(await s.compactRevision(), 10);
      ac.abort();
      await done;
      assert.deepEqual(errors, []);
      assert.deepEqual(clock.intervals.slice(0, 2), [300_000, 300_000], 'default interval is 5 minutes');
    } finally {
      ac.abort();
      await s.close();
    }
  });

  it('keeps the most recent keepRevisions revisions', async () => {
    const s = createMemoryStore();
    const ac = new AbortController();
    const clock = manualClock();
    const done = startCompactor(s, { keepRevisions: 8, wait: clock.wait }, ac.signal);
    try {
      await writeSome(s, 10);
      await clock.tick();
      await clock.tick();
      assert.equal(await s.compactRevision(), 2);
    } finally {
      ac.abort();
      await done;
      await s.close();
    }
  });

  it('stops with a timer clock when the signal aborts', async () => {
    const s = createMemoryStore();
    const ac = new AbortController();
    const done = startCompactor(s, { intervalMs: 10 }, ac.signal);
    await writeSome(s, 3);
    for (let i = 0; i < 200 && (await s.compactRevision()) < 3; i++) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await done;
    assert.equal(await s.compactRevision(), 3);
    await startCompactor(s, {}, AbortSignal.abort());
    await s.close();
  });
});
