import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from '../../api/index.js';
import { TriggerTimeTracker } from './trigger-time.js';

const svc = { metadata: { name: 's', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:10Z' } } as Service;
const pod = (uid: string, readyAt: string) => ({ metadata: { uid }, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] } }) as Pod;

/** A sync whose writes succeeded. */
const synced = (t: TriggerTimeTracker, pods: Pod[]) => {
  const r = t.compute('ns/s', svc, pods);
  r.commit();
  return r.time;
};

test('the trigger time is the earliest change since the previous sync; nothing new gives none', () => {
  const t = new TriggerTimeTracker();
  assert.equal(synced(t, [pod('a', '2026-01-01T00:00:20Z')]), Date.parse('2026-01-01T00:00:10Z'), 'first sync: the service creation');
  assert.equal(synced(t, [pod('a', '2026-01-01T00:00:20Z')]), undefined);
  assert.equal(synced(t, [pod('a', '2026-01-01T00:00:40Z'), pod('b', '2026-01-01T00:00:30Z')]), Date.parse('2026-01-01T00:00:30Z'));
  t.delete('ns/s');
  assert.equal(synced(t, []), Date.parse('2026-01-01T00:00:10Z'));
});

test('a sync that did not commit (its write was refused) leaves its changes to the retry', () => {
  const t = new TriggerTimeTracker();
  synced(t, [pod('a', '2026-01-01T00:00:20Z')]);
  const changed = [pod('a', '2026-01-01T00:00:50Z')];
  assert.equal(t.compute('ns/s', svc, changed).time, Date.parse('2026-01-01T00:00:50Z'), 'the failed sync');
  assert.equal(synced(t, changed), Date.parse('2026-01-01T00:00:50Z'), 'its retry: the same trigger time, not none');
  assert.equal(synced(t, changed), undefined, 'after a committed sync nothing is new');
});
