import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from '../../api/index.js';
import { jobFromTemplate, jobNameFor, jobsBeyondHistory, mostRecentScheduleTime } from './plan.js';
import { parseSchedule } from './schedule.js';

const cj = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): CronJob => ({
  metadata: { name: 'backup', namespace: 'default', uid: 'u1', creationTimestamp: '2026-03-01T10:00:00Z' },
  spec: { schedule: '*/5 * * * *', jobTemplate: { metadata: { labels: { app: 'b' } }, spec: { template: {} } }, ...spec }, status,
} as CronJob);
const t = (s: string) => Date.parse(s);

test('the most recent due time counts from lastScheduleTime or creation', () => {
  const s = parseSchedule('*/5 * * * *');
  assert.deepEqual(mostRecentScheduleTime(cj({}), s, 'UTC', t('2026-03-01T10:04:59Z')), { time: undefined, missed: 0 });
  assert.deepEqual(mostRecentScheduleTime(cj({}), s, 'UTC', t('2026-03-01T10:05:00Z')), { time: t('2026-03-01T10:05:00Z'), missed: 1 });
  assert.deepEqual(mostRecentScheduleTime(cj({}), s, 'UTC', t('2026-03-01T10:17:00Z')), { time: t('2026-03-01T10:15:00Z'), missed: 3 });
  assert.deepEqual(mostRecentScheduleTime(cj({}, { lastScheduleTime: '2026-03-01T10:15:00Z' }), s, 'UTC', t('2026-03-01T10:17:00Z')), { time: undefined, missed: 0 });
  // startingDeadlineSeconds bounds how far back to look.
  assert.deepEqual(mostRecentScheduleTime(cj({ startingDeadlineSeconds: 60 }), s, 'UTC', t('2026-03-01T10:17:00Z')), { time: undefined, missed: 0 });
  assert.deepEqual(mostRecentScheduleTime(cj({ startingDeadlineSeconds: 180 }), s, 'UTC', t('2026-03-01T10:17:00Z')), { time: t('2026-03-01T10:15:00Z'), missed: 1 });
});

test('a long outage of a frequent schedule still finds the most recent time, quickly', () => {
  const started = Date.now();
  const r = mostRecentScheduleTime(cj({ schedule: '* * * * *' }, { lastScheduleTime: '2025-03-01T10:00:00Z' }), parseSchedule('* * * * *'), 'UTC', t('2026-03-01T10:17:30Z'));
  assert.equal(r.time, t('2026-03-01T10:17:00Z'));
  assert.ok(r.missed > 100);
  assert.ok(Date.now() - started < 5_000, 'no year-long minute-by-minute walk');
});

test('jobs are named after the scheduled minute and carry the template and scheduled time', () => {
  const at = t('2026-03-01T10:05:00Z');
  assert.equal(jobNameFor(cj({}), at), `backup-${at / 60_000}`);
  const job = jobFromTemplate(cj({}), at, 'Europe/Paris') as Job;
  assert.equal(job.metadata?.name, 'backup-29539325');
  assert.deepEqual(job.metadata?.labels, { app: 'b' });
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-03-01T11:05:00+01:00');
  assert.deepEqual(job.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
});

test('history limits keep the newest finished jobs of each kind', () => {
  const job = (name: string, type: string, start: string): Job => ({ metadata: { name }, status: { startTime: start, conditions: [{ type, status: 'True' }] } } as Job);
  const jobs = [job('a', 'Complete', '2026-01-01T00:00:00Z'), job('b', 'Complete', '2026-01-02T00:00:00Z'), job('c', 'Complete', '2026-01-03T00:00:00Z'),
    job('d', 'Failed', '2026-01-01T00:00:00Z'), job('e', 'Failed', '2026-01-02T00:00:00Z'), { metadata: { name: 'running' }, status: {} } as Job];
  assert.deepEqual(jobsBeyondHistory(cj({ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }), jobs).map((j) => j.metadata?.name), ['a', 'b', 'd']);
  assert.deepEqual(jobsBeyondHistory(cj({ successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 0 }), jobs).map((j) => j.metadata?.name), ['d', 'e']);
});
