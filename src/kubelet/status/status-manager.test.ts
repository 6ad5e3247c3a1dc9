// The status manager writes a merge patch on pods/status only when the status changed, deletes
// dropped fields with null, and confirms deletions with gracePeriodSeconds=0 and the uid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import type { ResourceClient } from '../../client/index.js';
import { StatusManager } from './status-manager.js';

function recorder() {
  const calls: unknown[][] = [];
  const client = {
    async patch(...args: unknown[]) { calls.push(['patch', ...args]); return {}; },
    async delete(...args: unknown[]) { calls.push(['delete', ...args]); return {}; },
  } as unknown as ResourceClient;
  return { calls, client };
}

const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, status: { phase: 'Pending', qosClass: 'BestEffort', reason: 'Old' } };

test('status manager: writes only changes, as a merge patch on the status subresource', async () => {
  const { calls, client } = recorder();
  const m = new StatusManager(client);
  assert.equal(await m.setStatus(pod, { phase: 'Pending', qosClass: 'BestEffort', reason: 'Old' }), false, 'same as the API');
  assert.equal(await m.setStatus(pod, { phase: 'Running', qosClass: 'BestEffort' }), true);
  assert.equal(await m.setStatus(pod, { phase: 'Running', qosClass: 'BestEffort' }), false, 'same as last written');
  assert.deepEqual(calls, [['patch', 'ns', 'p', 'merge', { status: { phase: 'Running', qosClass: 'BestEffort', reason: null } }, 'status']]);
  assert.equal(m.writes, 1);
});

test('status manager: confirms a deletion with gracePeriodSeconds=0 and the uid precondition', async () => {
  const { calls, client } = recorder();
  await new StatusManager(client).confirmDeletion(pod);
  assert.deepEqual(calls, [['delete', 'ns', 'p', { gracePeriodSeconds: 0, preconditions: { uid: 'u1' } }]]);
});
