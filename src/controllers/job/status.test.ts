import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../api/index.js';
import { jobOutcome, setJobCondition, wantActive } from './status.js';

const job = (spec: NonNullable<Job['spec']>, status: Job['status'] = {}): Job => ({ metadata: { name: 'j' }, spec, status } as Job);
const counts = (c: Partial<{ succeeded: number; failed: number; active: number; succeededIndexes: number; restarts: number }>) => ({ succeeded: 0, failed: 0, active: 0, succeededIndexes: 0, ...c });

test('wantActive: parallelism capped by the missing completions', () => {
  assert.equal(wantActive(job({ completions: 5, parallelism: 2 }), counts({ succeeded: 0 })), 2);
  assert.equal(wantActive(job({ completions: 5, parallelism: 2 }), counts({ succeeded: 4 })), 1);
  assert.equal(wantActive(job({ completions: 5, parallelism: 2 }), counts({ succeeded: 5 })), 0);
  assert.equal(wantActive(job({ parallelism: 3 }), counts({})), 3);
  assert.equal(wantActive(job({ parallelism: 3 }), counts({ succeeded: 1 })), 0);
  assert.equal(wantActive(job({ completions: 4, parallelism: 4, completionMode: 'Indexed' }), counts({ succeeded: 9, succeededIndexes: 3 })), 1);
});

test('jobOutcome: failure policy, backoff limit, deadline, then completion', () => {
  const start = '2026-01-01T00:00:00Z';
  const t0 = Date.parse(start);
  assert.deepEqual(jobOutcome(job({ completions: 1, backoffLimit: 1 }), counts({ failed: 2 }), t0, 'boom'), { type: 'Failed', reason: 'PodFailurePolicy', message: 'boom' });
  assert.deepEqual(jobOutcome(job({ completions: 1, backoffLimit: 1 }), counts({ failed: 2 }), t0), { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
  assert.equal(jobOutcome(job({ completions: 1, backoffLimit: 1 }), counts({ failed: 1 }), t0), undefined);
  const deadlined = job({ completions: 1, activeDeadlineSeconds: 30 }, { startTime: start });
  assert.equal(jobOutcome(deadlined, counts({ active: 1 }), t0 + 29_999), undefined);
  assert.deepEqual(jobOutcome(deadlined, counts({ active: 1 }), t0 + 30_000), { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
  assert.equal(jobOutcome(job({ completions: 5 }), counts({ succeeded: 4 }), t0), undefined);
  assert.equal(jobOutcome(job({ completions: 5 }), counts({ succeeded: 5 }), t0)?.type, 'Complete');
  assert.equal(jobOutcome(job({ parallelism: 2 }), counts({ succeeded: 1, active: 1 }), t0), undefined);
  assert.equal(jobOutcome(job({ parallelism: 2 }), counts({ succeeded: 1 }), t0)?.type, 'Complete');
  assert.equal(jobOutcome(job({ completions: 3, completionMode: 'Indexed' }), counts({ succeeded: 3, succeededIndexes: 2 }), t0), undefined);
  // OnFailure: container restarts of active pods count against the limit.
  const onFailure = job({ completions: 1, backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } });
  assert.equal(jobOutcome(onFailure, counts({ active: 1, restarts: 1 }), t0), undefined);
  assert.equal(jobOutcome(onFailure, counts({ active: 1, restarts: 2 }), t0)?.reason, 'BackoffLimitExceeded');
  // A recorded FailureTarget wins (the job is being failed).
  const targeted = job({ completions: 1 }, { conditions: [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: 'm' }] });
  assert.deepEqual(jobOutcome(targeted, counts({ succeeded: 1 }), t0), { type: 'Failed', reason: 'DeadlineExceeded', message: 'm' });
});

test('setJobCondition keeps lastTransitionTime while the status stays', () => {
  const a = setJobCondition(undefined, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 't1');
  assert.equal(setJobCondition(a, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 't2'), a);
  const b = setJobCondition(a, 'Suspended', 'False', 'JobResumed', 'Job resumed', 't3');
  assert.deepEqual(b, [{ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', lastProbeTime: 't3', lastTransitionTime: 't3' }]);
});
