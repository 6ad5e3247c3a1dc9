import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, Pod } from '../../api/index.js';
import { recordFinishedPods } from './tracking.js';

const pod = (uid: string, phase: string, opts: { index?: number; exitCode?: number; deleting?: boolean } = {}): Pod => ({
  metadata: {
    uid, name: `p-${uid}`, namespace: 'default', finalizers: ['batch.kubernetes.io/job-tracking'],
    ...(opts.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(opts.index) } } : {}),
    ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  status: { phase, containerStatuses: opts.exitCode !== undefined ? [{ name: 'main', state: { terminated: { exitCode: opts.exitCode } } }] : [] },
} as Pod);
const all = () => true;
const uids = (ps: Pod[]) => ps.map((p) => p.metadata?.uid);

test('finished tracked pods are recorded once; running ones are left alone', () => {
  const job = { spec: { completions: 3 }, status: { uncountedTerminatedPods: { succeeded: ['a'] } } } as Job;
  const pods = [pod('a', 'Succeeded'), pod('b', 'Succeeded'), pod('c', 'Failed'), pod('d', 'Running'), pod('e', 'Running', { deleting: true })];
  const r = recordFinishedPods(job, pods, all);
  assert.deepEqual([...r.uncounted.succeeded], ['a', 'b']);
  assert.deepEqual([...r.uncounted.failed], ['c', 'e'], 'a pod deleted before it succeeded counts as failed');
  assert.deepEqual(uids(r.toUnfinalize), ['a', 'b', 'c', 'e']);
  // Without the finalizer a pod was counted already.
  assert.deepEqual(uids(recordFinishedPods(job, pods, (p) => p.metadata?.uid === 'a').toUnfinalize), ['a']);
  // At most `max` new pods per sync.
  assert.deepEqual(uids(recordFinishedPods(job, pods, all, 1).toUnfinalize), ['a', 'b']);
});

test('Indexed: one success per index, within completions', () => {
  const job = { spec: { completions: 2, completionMode: 'Indexed' }, status: { completedIndexes: '0' } } as Job;
  const r = recordFinishedPods(job, [pod('a', 'Succeeded', { index: 0 }), pod('b', 'Succeeded', { index: 1 }), pod('c', 'Succeeded', { index: 1 }), pod('d', 'Succeeded', { index: 5 })], all);
  assert.deepEqual([...r.uncounted.succeeded], ['b']);
  assert.deepEqual([...r.succeededIndexes].sort(), [0, 1]);
  assert.deepEqual(uids(r.toUnfinalize), ['a', 'b', 'c', 'd'], 'duplicates lose their finalizer without counting');
});

test('podFailurePolicy: Ignore does not count, FailJob reports its message', () => {
  const job = {
    spec: {
      completions: 1,
      podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [137] } }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
    },
    status: {},
  } as Job;
  const r = recordFinishedPods(job, [pod('a', 'Failed', { exitCode: 137 }), pod('b', 'Failed', { exitCode: 42 })], all);
  assert.deepEqual([...r.uncounted.failed], ['b']);
  assert.deepEqual(uids(r.toUnfinalize), ['a', 'b']);
  assert.equal(r.failJobMessage, 'Container main for pod default/p-b failed with exit code 42 matching FailJob rule at index 1');
});
