import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BATCH_RESOURCES, jobs, cronJobs, type Job, type CronJob } from './index.js';
import { cronScheduleErrors } from './cron.js';
import { formatFieldError } from '../field-errors.js';

const ctx = { namespace: 'default' };
const podTemplate = (spec: Record<string, unknown> = {}) => ({ spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never', ...spec } });

/** A job through the create path: prepareForCreate (uid set by the server), then defaults. */
function createJob(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Job {
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: 'u-1', ...meta }, spec } as Job;
  jobs.prepareForCreate!(job);
  jobs.defaults!(job);
  return job;
}

const jobErrors = (job: Job, old?: Job) => (old ? jobs.validateUpdate!(job, old, ctx) : jobs.validate!(job, ctx)).map(formatFieldError).sort();

function cronJob(spec: Record<string, unknown>, name = 'hello'): CronJob {
  const cj = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' }, spec } as CronJob;
  cronJobs.defaults!(cj);
  return cj;
}
const cronErrors = (cj: CronJob, old?: CronJob) => (old ? cronJobs.validateUpdate!(cj, old, ctx) : cronJobs.validate!(cj, ctx)).map(formatFieldError).sort();

test('batch resources are declared as upstream', () => {
  assert.deepEqual(BATCH_RESOURCES.map((r) => [r.group, r.plural, r.kind, r.shortNames ?? [], r.categories, r.subresources!.map((s) => s.name)]), [
    ['batch', 'jobs', 'Job', [], ['all'], ['status']],
    ['batch', 'cronjobs', 'CronJob', ['cj'], ['all'], ['status']],
  ]);
});

test('job defaults and generated selector', () => {
  const job = createJob({ template: podTemplate() });
  const spec = job.spec!;
  assert.equal(spec.completions, 1);
  assert.equal(spec.parallelism, 1);
  assert.equal(spec.backoffLimit, 6);
  assert.equal(spec.completionMode, 'NonIndexed');
  assert.equal(spec.suspend, false);
  assert.equal(spec.manualSelector, false);
  assert.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  assert.deepEqual(spec.template!.metadata!.labels, {
    'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi',
  });
  assert.deepEqual(job.status, {});
  assert.deepEqual(jobErrors(job), []);
  assert.equal(jobs.selectableFields!['status.successful']({ ...job, status: { succeeded: 2 } }), '2');

  const parallel = createJob({ template: podTemplate(), parallelism: 3 });
  assert.equal(parallel.spec!.completions, undefined);
  const perIndex = createJob({ template: podTemplate(), completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 });
  assert.equal(perIndex.spec!.backoffLimit, 2147483647);
  const withPolicy = createJob({ template: podTemplate(), podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
  assert.equal(withPolicy.spec!.podReplacementPolicy, 'Failed');
  assert.equal(withPolicy.spec!.podFailurePolicy!.rules![0].onPodConditions![0].status, 'True');
  const labelled = createJob({ template: { ...podTemplate(), metadata: { labels: { app: 'pi' } } } });
  assert.deepEqual(labelled.metadata!.labels, { app: 'pi' });
});

test('manual selectors are kept and must match', () => {
  const job = createJob({ manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { ...podTemplate(), metadata: { labels: { app: 'pi' } } } });
  assert.deepEqual(job.spec!.selector, { matchLabels: { app: 'pi' } });
  assert.deepEqual(jobErrors(job), []);
  const bad = createJob({ manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: { ...podTemplate(), metadata: { labels: { app: 'pi' } } } });
  assert.deepEqual(jobErrors(bad), ['spec.template.metadata.labels: Invalid value: {"app":"pi"}: `selector` does not match template `labels`']);
});

test('generated selectors must carry the job\'s uid and name', () => {
  const job = createJob({ template: { ...podTemplate(), metadata: { labels: { 'job-name': 'other' } } } });
  assert.deepEqual(jobErrors(job), [
    'spec.template.metadata.labels[job-name]: Invalid value: {"job-name":"other","batch.kubernetes.io/job-name":"pi","controller-uid":"u-1","batch.kubernetes.io/controller-uid":"u-1"}: must be \'pi\'',
  ]);
  const foreign = createJob({ selector: { matchLabels: { app: 'x' } }, template: { ...podTemplate(), metadata: { labels: { app: 'x' } } } });
  assert.deepEqual(jobErrors(foreign), ['spec.selector: Invalid value: {"matchLabels":{"app":"x","batch.kubernetes.io/controller-uid":"u-1"}}: `selector` not auto-generated']);
});

test('invalid jobs give upstream paths and messages', () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ template: podTemplate({ restartPolicy: undefined }) }, ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']],
    [{ template: podTemplate(), parallelism: -1 }, ['spec.parallelism: Invalid value: -1: must be greater than or equal to 0']],
    [{ template: podTemplate(), backoffLimit: -2 }, ['spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0']],
    [{ template: podTemplate(), completionMode: 'Indexed', completions: undefined, parallelism: 2 }, ['spec.completions: Required value: when completion mode is Indexed']],
    [{ template: podTemplate({ containers: [] }) }, ['spec.template.spec.containers: Required value']],
  ];
  for (const [spec, want] of cases) assert.deepEqual(jobErrors(createJob(spec)), [...want].sort(), JSON.stringify(spec));
});

test('job updates: selector and template immutable, except a suspended job\'s scheduling directives', () => {
  const old = createJob({ template: podTemplate() });
  const image = structuredClone(old);
  image.spec!.template!.spec!.containers![0].image = 'perl:5.36';
  assert.ok(jobErrors(image, old).some((m) => m.startsWith('spec.template: Invalid value:') && m.endsWith('field is immutable')));
  const sel = structuredClone(old);
  sel.spec!.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-2' } };
  assert.ok(jobErrors(sel, old).includes('spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"u-2"}}: field is immutable'));
  const parallel = structuredClone(old);
  parallel.spec!.parallelism = 4;
  assert.deepEqual(jobErrors(parallel, old), []);

  const suspended = createJob({ template: podTemplate(), suspend: true });
  const moved = structuredClone(suspended);
  moved.spec!.template!.spec!.nodeSelector = { zone: 'a' };
  assert.deepEqual(jobErrors(moved, suspended), []);
});

test('cronjob defaults and validation', () => {
  const cj = cronJob({ schedule: '*/5 * * * *', jobTemplate: { spec: { template: podTemplate() } } });
  assert.equal(cj.spec!.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec!.suspend, false);
  assert.equal(cj.spec!.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec!.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec!.jobTemplate!.spec!.template!.spec!.containers![0].imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(cronErrors(cj), []);

  const tmpl = { spec: { template: podTemplate() } };
  const cases: [Record<string, unknown>, string[], string?][] = [
    [{ jobTemplate: tmpl }, ['spec.schedule: Required value']],
    [{ schedule: 'every minute', jobTemplate: tmpl }, ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]']],
    [{ schedule: '61 * * * *', jobTemplate: tmpl }, ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']],
    [{ schedule: '@often', jobTemplate: tmpl }, ['spec.schedule: Invalid value: "@often": unrecognized descriptor: @often']],
    [{ schedule: 'TZ=UTC 0 * * * *', jobTemplate: tmpl }, ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']],
    [{ schedule: '0 * * * *', timeZone: 'Mars/Olympus', jobTemplate: tmpl }, ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']],
    [{ schedule: '0 * * * *', concurrencyPolicy: 'Sometimes', jobTemplate: tmpl }, ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']],
    [{ schedule: '0 * * * *', jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: podTemplate() } } }, ['spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated']],
    [{ schedule: '0 * * * *', jobTemplate: { spec: { template: podTemplate({ restartPolicy: 'Always' }) } } }, ['spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']],
    [{ schedule: '0 * * * *', jobTemplate: tmpl }, ['metadata.name: Invalid value: "' + 'a'.repeat(53) + '": must be no more than 52 characters'], 'a'.repeat(53)],
  ];
  for (const [spec, want, name] of cases) assert.deepEqual(cronErrors(cronJob(spec, name)), [...want].sort(), JSON.stringify(spec));
  const withZone = cronJob({ schedule: '30 6 * * mon-fri', timeZone: 'Europe/Paris', jobTemplate: tmpl });
  assert.deepEqual(cronErrors(withZone), []);
});

test('cron syntax', () => {
  const valid = ['* * * * *', '0 0 1 1 *', '*/15 0-23/2 1,15 jan-jun sun', '0 12 ? * MON', '@hourly', '@every 1h30m', '5 4 * * 6'];
  for (const s of valid) assert.deepEqual(cronScheduleErrors(s), [], s);
  const invalid: [string, string][] = [
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
  ];
  for (const [s, msg] of invalid) assert.deepEqual(cronScheduleErrors(s), [msg], s);
});
