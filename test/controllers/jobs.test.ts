// The Job and CronJob controllers against a real API server, with the scheduler and 3 hollow
// nodes running pods (they finish through the capstan.dev/hollow-exit-* annotations): a Job with
// completions=5 and parallelism=2 completes, never running more than 2 pods at once; a failing
// Job stops at its backoffLimit with the Failed condition; a CronJob on a manual clock creates
// its Job, named as upstream names it, when the clock reaches the scheduled time. Also: Indexed
// mode, podFailurePolicy, activeDeadlineSeconds, suspend, ttlSecondsAfterFinished, deleting a
// running Job, and the CronJob's concurrencyPolicy, suspend and startingDeadlineSeconds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { Client, ManualClock, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { CronJob, Event, Job, KubeObject, Pod } from '../../src/api/index.js';
import { poll } from '../support/poll.js';
import { PODS, EVENTS } from '../support/resources.js';

const JOBS = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true, kind: 'Job' };
const CRONJOBS = { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true, kind: 'CronJob' };

const condition = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type && c.status === 'True');

function jobManifest(name: string, spec: Record<string, unknown>, exit: { afterMs: number; code: number }): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: {
      ...spec,
      template: {
        metadata: { annotations: { 'capstan.dev/hollow-exit-after-ms': String(exit.afterMs), 'capstan.dev/hollow-exit-code': String(exit.code) } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '10m' } } }] },
      },
    },
  } as KubeObject;
}

describe('job and cronjob controllers with the scheduler and 3 hollow nodes', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let client: Client;
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  const errors: unknown[] = [];
  // The CronJob controller runs in its own manager on a manual clock (no leader election, so it
  // does not compete with the main manager for the lease).
  const cronClock = new ManualClock(Date.now());

  const remote = (agent: string) => {
    const c = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: agent }));
    clients.push(c);
    return c;
  };
  const jobPods = async (job: string) => ((await client.resource(PODS).list('default', { labelSelector: `batch.kubernetes.io/job-name=${job}` })) as KubeList).items as Pod[];
  const getJob = async (name: string) => (await client.resource(JOBS).get('default', name)) as Job;
  const events = async (name: string) => ((await client.resource(EVENTS).list('default')) as KubeList).items
    .filter((e) => (e as Event).involvedObject?.name === name) as Event[];

  before(async () => {
    server = await startTestServer();
    client = remote('jobs-test');
    const sim = new HollowNodes(remote('capstan-sim'), { count: 3, cpu: '4', memory: '8Gi', pods: '110', onError: (e) => errors.push(e) });
    running.push(sim.start(stop.signal));
    running.push(new SchedulerRole({ client: remote('kube-scheduler'), onError: (e) => errors.push(e) }).start(stop.signal));
    running.push(new ControllerManager({ client: remote('kube-controller-manager'), controllers: ['*', '-cronjob'], onError: (e) => errors.push(e) }).start(stop.signal));
    running.push(new ControllerManager({
      client: remote('cronjob-controller'), controllers: ['cronjob'], leaderElect: false, clock: cronClock, onError: (e) => errors.push(e),
    }).start(stop.signal));
    await sim.whenRegistered();
  });

  after(async () => {
    stop.abort();
    await Promise.allSettled(running);
    for (const c of clients) c.close();
    await server?.stop();
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(errors);
  });

  test('a Job with completions=5 and parallelism=2 completes, never more than 2 pods active', async () => {
    await client.resource(JOBS).create('default', jobManifest('five', { completions: 5, parallelism: 2 }, { afterMs: 300, code: 0 }));
    let maxActive = 0;
    const done = await poll('job five Complete', async () => {
      const ps = await jobPods('five');
      maxActive = Math.max(maxActive, ps.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && !p.metadata?.deletionTimestamp).length);
      return getJob('five');
    }, (j) => !!condition(j, 'Complete'));
    assert.ok(maxActive <= 2, `at most 2 pods active at once, saw ${maxActive}`);
    assert.equal(done.status?.succeeded, 5);
    assert.equal(done.status?.active ?? 0, 0);
    assert.equal(done.status?.failed ?? 0, 0);
    assert.ok(done.status?.startTime && done.status.completionTime);
    assert.equal(condition(done, 'SuccessCriteriaMet')?.reason, 'CompletionsReached');
    assert.equal(condition(done, 'Complete')?.reason, 'CompletionsReached');
    assert.deepEqual(done.status?.uncountedTerminatedPods ?? {}, {});
    const ps = await poll('tracking finalizers removed', () => jobPods('five'), (list) => list.every((p) => !p.metadata?.finalizers?.includes('batch.kubernetes.io/job-tracking')));
    assert.equal(ps.filter((p) => p.status?.phase === 'Succeeded').length, 5);
    const evs = await poll('events', () => events('five'), (e) => e.some((x) => x.reason === 'Completed'));
    assert.equal(evs.filter((e) => e.reason === 'SuccessfulCreate').length, 5);
  });

  test('a failing Job stops at its backoffLimit with the Failed condition', async () => {
    await client.resource(JOBS).create('default', jobManifest('fails', { completions: 1, backoffLimit: 1 }, { afterMs: 0, code: 3 }));
    const failed = await poll('job fails Failed', () => getJob('fails'), (j) => !!condition(j, 'Failed'));
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(condition(failed, 'Failed')?.message, 'Job has reached the specified backoff limit');
    assert.equal(condition(failed, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status?.failed, 2, 'backoffLimit 1: the first pod and one retry');
    assert.equal(failed.status?.succeeded ?? 0, 0);
    assert.equal((await jobPods('fails')).length, 2, 'no pod after the limit');
    await poll('BackoffLimitExceeded event', () => events('fails'), (e) => e.some((x) => x.reason === 'BackoffLimitExceeded' && x.type === 'Warning'));
  });

  test('an Indexed Job runs each index once, with hostnames, and reports completedIndexes', async () => {
    await client.resource(JOBS).create('default', jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }, { afterMs: 300, code: 0 }));
    const done = await poll('job idx Complete', () => getJob('idx'), (j) => !!condition(j, 'Complete'));
    assert.equal(done.status?.completedIndexes, '0-2');
    assert.equal(done.status?.succeeded, 3);
    const ps = await jobPods('idx');
    assert.deepEqual(ps.map((p) => [p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p.spec?.hostname]).sort(),
      [['0', 'idx-0'], ['1', 'idx-1'], ['2', 'idx-2']]);
  });

  test('a podFailurePolicy FailJob rule fails the Job at the first matching exit code', async () => {
    await client.resource(JOBS).create('default', jobManifest('policy', {
      completions: 1, backoffLimit: 6,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] },
    }, { afterMs: 0, code: 42 }));
    const failed = await poll('job policy Failed', () => getJob('policy'), (j) => !!condition(j, 'Failed'));
    assert.equal(condition(failed, 'Failed')?.reason, 'PodFailurePolicy');
    assert.match(condition(failed, 'Failed')?.message ?? '', /^Container main for pod default\/policy-\S+ failed with exit code 42 matching FailJob rule at index 0$/);
    assert.equal((await jobPods('policy')).length, 1, 'no retry');
  });

  test('activeDeadlineSeconds fails a Job that runs too long and stops its pods', async () => {
    await client.resource(JOBS).create('default', jobManifest('slow', { completions: 1, activeDeadlineSeconds: 1 }, { afterMs: 3_600_000, code: 0 }));
    const failed = await poll('job slow Failed', () => getJob('slow'), (j) => !!condition(j, 'Failed'));
    assert.equal(condition(failed, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(condition(failed, 'Failed')?.message, 'Job was active longer than specified deadline');
    await poll('its pod gone', () => jobPods('slow'), (ps) => ps.length === 0);
  });

  test('a suspended Job creates no pods until resumed; ttlSecondsAfterFinished then deletes it', async () => {
    await client.resource(JOBS).create('default', jobManifest('later', { completions: 1, suspend: true, ttlSecondsAfterFinished: 0 }, { afterMs: 100, code: 0 }));
    const suspended = await poll('Suspended condition', () => getJob('later'), (j) => !!condition(j, 'Suspended'));
    assert.equal(condition(suspended, 'Suspended')?.reason, 'JobSuspended');
    assert.equal((await jobPods('later')).length, 0);
    await client.resource(JOBS).patch('default', 'later', 'merge', { spec: { suspend: false } });
    await poll('job later deleted after it completed', () => getJob('later').then(() => true, () => false), (exists) => !exists);
    await poll('Resumed and Completed events', () => events('later'), (e) => ['Suspended', 'Resumed', 'Completed'].every((r) => e.some((x) => x.reason === r)));
  });

  test('deleting a running Job removes its pods (their tracking finalizer is dropped)', async () => {
    await client.resource(JOBS).create('default', jobManifest('doomed', { completions: 2, parallelism: 2 }, { afterMs: 3_600_000, code: 0 }));
    await poll('2 pods running', () => jobPods('doomed'), (ps) => ps.filter((p) => p.status?.phase === 'Running').length === 2);
    await poll('status active=2 ready=2', () => getJob('doomed'), (j) => j.status?.active === 2 && j.status?.ready === 2);
    // Level-triggered and quiet: a steady Job is not rewritten.
    const rv = (await getJob('doomed')).metadata?.resourceVersion;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await getJob('doomed')).metadata?.resourceVersion, rv);
    await client.resource(JOBS).delete('default', 'doomed', { propagationPolicy: 'Background' });
    await poll('pods gone', () => jobPods('doomed'), (ps) => ps.length === 0);
  });

  test('a CronJob fires on a manual clock: a Job named <cronjob>-<minutes> appears when the time comes', async () => {
    const cj = await client.resource(CRONJOBS).create('default', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick' },
      spec: {
        schedule: '*/5 * * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid',
        jobTemplate: { spec: (jobManifest('unused', { completions: 1 }, { afterMs: 200, code: 0 }) as Job).spec },
      },
    } as KubeObject) as CronJob;
    const created = Date.parse(cj.metadata?.creationTimestamp ?? '');
    const due = (Math.floor(created / 300_000) + 1) * 300_000;
    // Before the scheduled time nothing runs (give the controller a moment to see the CronJob).
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(((await client.resource(JOBS).list('default')) as KubeList).items.filter((j) => j.metadata?.name?.startsWith('tick-')), []);
    cronClock.advance(due - cronClock.now() + 1000);
    const name = `tick-${due / 60_000}`;
    const job = await poll(`job ${name}`, () => client.resource(JOBS).get('default', name).catch(() => undefined) as Promise<Job | undefined>, (j) => !!j);
    assert.deepEqual(job!.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.controller]), [['CronJob', 'tick', true]]);
    assert.equal(job!.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(due).toISOString().replace('.000Z', 'Z'));
    const getCj = async () => {
      cronClock.advance(10); // lets any retry backoff on the manual clock elapse
      return (await client.resource(CRONJOBS).get('default', 'tick')) as CronJob;
    };
    let st = await poll('lastScheduleTime', getCj, (c) => !!c.status?.lastScheduleTime);
    assert.equal(st.status?.lastScheduleTime, new Date(due).toISOString().replace('.000Z', 'Z'));
    // The Job runs to completion on a hollow node; the CronJob notices.
    st = await poll('lastSuccessfulTime and no active job', getCj, (c) => !!c.status?.lastSuccessfulTime && !c.status?.active?.length);
    await poll('SuccessfulCreate and SawCompletedJob events', () => events('tick'), (e) => e.some((x) => x.reason === 'SuccessfulCreate' && x.message === `Created job ${name}`)
      && e.some((x) => x.reason === 'SawCompletedJob'));
  });

  test('concurrencyPolicy: Forbid skips a run while one is active, Replace replaces it', async () => {
    const make = (name: string, policy: string) => client.resource(CRONJOBS).create('default', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
      spec: {
        schedule: '*/5 * * * *', timeZone: 'UTC', concurrencyPolicy: policy,
        jobTemplate: { spec: (jobManifest('unused', { completions: 1 }, { afterMs: 3_600_000, code: 0 }) as Job).spec },
      },
    } as KubeObject);
    await make('forbid', 'Forbid');
    await make('replace', 'Replace');
    const cronJobsOf = async (prefix: string) => {
      cronClock.advance(10);
      return ((await client.resource(JOBS).list('default')) as KubeList).items.filter((j) => j.metadata?.name?.startsWith(`${prefix}-`) && !j.metadata?.deletionTimestamp);
    };
    // The manual clock may be ahead of the creation time already: a run may be due at once.
    const first = Math.floor(cronClock.now() / 300_000) * 300_000 + 300_000;
    cronClock.advance(first - cronClock.now() + 1000);
    const [f1] = await poll('Forbid: first run', () => cronJobsOf('forbid'), (js) => js.length === 1);
    const [r1] = await poll('Replace: first run', () => cronJobsOf('replace'), (js) => js.length === 1);
    cronClock.advance(300_000);
    await poll('Replace: only a newer run left', () => cronJobsOf('replace'), (js) => js.length === 1 && js[0]!.metadata?.name !== r1!.metadata?.name);
    await poll('Forbid: JobAlreadyActive', () => events('forbid'), (e) => e.some((x) => x.reason === 'JobAlreadyActive'));
    assert.deepEqual((await cronJobsOf('forbid')).map((j) => j.metadata?.name), [f1!.metadata?.name]);
    await poll('Replace: SuccessfulDelete', () => events('replace'), (e) => e.some((x) => x.reason === 'SuccessfulDelete' && x.message === `Deleted job ${r1!.metadata?.name}`));
  });

  test('a suspended CronJob does not fire; startingDeadlineSeconds skips a run missed for too long', async () => {
    const make = (name: string, extra: Record<string, unknown>) => client.resource(CRONJOBS).create('default', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
      spec: { schedule: '*/5 * * * *', timeZone: 'UTC', ...extra, jobTemplate: { spec: (jobManifest('unused', { completions: 1 }, { afterMs: 100, code: 0 }) as Job).spec } },
    } as KubeObject);
    await make('paused', { suspend: true });
    await new Promise((r) => setTimeout(r, 300));
    cronClock.advance(600_000);
    await new Promise((r) => setTimeout(r, 1000));
    const list = async (prefix: string) => ((await client.resource(JOBS).list('default')) as KubeList).items.filter((j) => j.metadata?.name?.startsWith(`${prefix}-`));
    assert.deepEqual(await list('paused'), []);
    assert.equal(((await client.resource(CRONJOBS).get('default', 'paused')) as CronJob).status?.lastScheduleTime, undefined);
    // A run due 60 s ago is past a 10 s startingDeadlineSeconds: skipped; the next one runs.
    const boundary = Math.floor(cronClock.now() / 300_000) * 300_000 + 300_000;
    cronClock.advance(boundary + 60_000 - cronClock.now());
    await make('strict', { startingDeadlineSeconds: 10 });
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await list('strict'), []);
    cronClock.advance(240_000 + 1000);
    await poll('the next run of strict', () => list('strict'), (js) => js.length === 1 && js[0]!.metadata?.name === `strict-${(boundary + 300_000) / 60_000}`);
  });
});
