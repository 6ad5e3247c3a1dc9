import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/index.js';
import { Client, type Transport, type TransportRequest } from '../client/index.js';
import { MAX_QUEUED_EVENTS, Recorder } from './recorder.js';

/** A transport that holds every request until `release()`; counts the most in flight at once. */
function heldTransport() {
  const held: { req: TransportRequest; go: () => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: Transport = {
    request(req) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve) => held.push({
        req,
        go: () => {
          inFlight--;
          resolve({ status: 201, headers: {}, body: req.body?.toString() ?? '{}' });
        },
      }));
    },
    watch: () => Promise.resolve({ status: 200 }),
  };
  const release = async () => {
    while (held.length > 0) {
      held.shift()!.go();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { transport, held, release, maxInFlight: () => maxInFlight };
}

const pod = (name: string): Pod => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}` } }) as Pod;

test('events are written one at a time, in order, and each promise settles once written', async () => {
  const t = heldTransport();
  const r = new Recorder(new Client(t.transport), 'test', () => 0, (e) => assert.fail(String(e)));
  const done = [r.event(pod('a'), { type: 'Normal', reason: 'Scheduled', action: 'Binding', message: 'm' }),
    r.event(pod('b'), { type: 'Normal', reason: 'Scheduled', action: 'Binding', message: 'm' })];
  await new Promise((res) => setImmediate(res));
  assert.equal(t.held.length, 1, 'the second event waits for the first');
  await t.release();
  await Promise.all(done);
  assert.equal(t.maxInFlight(), 1);
});

test('beyond the queue bound events are dropped, counted and reported, never blocking the caller', async () => {
  const t = heldTransport();
  const errors: string[] = [];
  const r = new Recorder(new Client(t.transport), 'test', () => 0, (e) => errors.push((e as Error).message));
  const all: Promise<void>[] = [];
  // One in flight plus MAX_QUEUED_EVENTS queued; the next five are dropped.
  for (let i = 0; i < MAX_QUEUED_EVENTS + 6; i++) {
    all.push(r.event(pod(`p${i}`), { type: 'Normal', reason: 'Scheduled', action: 'Binding', message: 'm' }));
    if (i === 0) await new Promise((res) => setImmediate(res));
  }
  assert.equal(r.dropped, 5);
  assert.equal(errors.length, 1, 'drops are reported sparingly');
  assert.match(errors[0]!, /event queue full \(1000\): dropped Scheduled for pod ns\/p1001/);
  const written: string[] = [];
  while (t.held.length > 0) {
    written.push((JSON.parse(t.held[0]!.req.body!.toString()) as { involvedObject: { name: string } }).involvedObject.name);
    t.held.shift()!.go();
    await new Promise((res) => setImmediate(res));
  }
  await Promise.all(all);
  assert.equal(written.length, MAX_QUEUED_EVENTS + 1);
  assert.deepEqual(written.slice(0, 3), ['p0', 'p1', 'p2'], 'in the order recorded');
  assert.equal(written.at(-1), `p${MAX_QUEUED_EVENTS}`);
  assert.equal(t.maxInFlight(), 1);
});
