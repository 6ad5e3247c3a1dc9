import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from '../../api/index.js';
import { TriggerTimeTracker } from './trigger-time.js';

const svc = { metadata: { name: 's', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:10Z' } } as Service;
const pod = (uid: string, readyAt: string) => ({ metadata: { uid }, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] } }) as Pod;

test('the trigger time is the earliest change since the previous sync; nothing new gives none', () => {
  const t = new TriggerTimeTracker();
  assert.equal(t.compute('ns/s', svc, [pod('a', '2026-01-01T00:00:20Z')]), Date.parse('2026-01-01T00:00:10Z'), 'first sync: the service creation');
  assert.equal(t.compute('ns/s', svc, [pod('a', '2026-01-01T00:00:20Z')]), undefined);
  assert.equal(t.compute('ns/s', svc, [pod('a', '2026-01-01T00:00:40Z'), pod('b', '2026-01-01T00:00:30Z')]), Date.parse('2026-01-01T00:00:30Z'));
  t.delete('ns/s');
  assert.equal(t.compute('ns/s', svc, []), Date.parse('2026-01-01T00:00:10Z'));
});
