// Two scheduler instances against one server: only the holder of kube-system/kube-scheduler
// binds; stopping it hands over; every pod is bound exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loopbackTransport } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { SwitchableTransport } from '../client/helpers.js';
import { startTestServer } from '../support/server.js';
import { createNode, createPod, listPods, loopbackClient, podEvents, podObject, until } from './helpers.js';

const NS = 'default';

test('only the lease holder schedules; stopping it hands over; no pod is bound twice', async () => {
  const srv = await startTestServer({ memory: true });
  const client = loopbackClient(srv);
  const leading = new Set<string>();
  const start = (name: string) => {
    const stop = new AbortController();
    const role = new SchedulerRole({
      client: loopbackClient(srv), identity: name,
      leaseDurationSeconds: 3, renewDeadlineMs: 2000, retryPeriodMs: 500,
      onLeading: (id, on) => { if (on) leading.add(id); else leading.delete(id); },
    });
    return { role, stop, running: role.start(stop.signal) };
  };
  const a = start('sched-a');
  const b = start('sched-b');
  try {
    for (const n of ['node-1', 'node-2', 'node-3']) await createNode(client, n);
    await until('a leader', () => leading.size === 1);
    const first = [...leading][0]!;
    const [leader, follower] = first === 'sched-a' ? [a, b] : [b, a];
    for (let i = 0; i < 5; i++) await createPod(client, NS, podObject(`one-${i}`, { cpu: '100m' }));
    await until('first batch bound', async () => (await listPods(client, NS)).every((p) => p.spec?.nodeName));
    assert.equal(follower.role.scheduler, undefined, 'the follower runs no scheduler');

    leader.stop.abort();
    await leader.running;
    await until('the other instance leads', () => leading.size === 1 && !leading.has(first), 30_000);
    for (let i = 0; i < 5; i++) await createPod(client, NS, podObject(`two-${i}`, { cpu: '100m' }));
    await until('all pods bound', async () => (await listPods(client, NS)).every((p) => p.spec?.nodeName));

    await until('a Scheduled event per pod', async () => (await podEvents(client, NS)).filter((e) => e.reason === 'Scheduled').length >= 10);
    const scheduled = (await podEvents(client, NS)).filter((e) => e.reason === 'Scheduled');
    const byPod = new Map<string, string[]>();
    for (const e of scheduled) byPod.set(e.involvedObject!.name!, [...(byPod.get(e.involvedObject!.name!) ?? []), e.reportingInstance!]);
    assert.equal(byPod.size, 10);
    for (const [pod, reporters] of byPod) {
      assert.equal(reporters.length, 1, `${pod} bound once`);
      assert.equal(reporters[0], pod.startsWith('one-') ? first : follower.role.identity, `${pod} bound by the leader of its time`);
    }
    assert.ok(!(await podEvents(client, NS)).some((e) => e.reason === 'FailedScheduling'), 'no failed (e.g. double) binding');
  } finally {
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.running, b.running]);
    await srv.stop();
  }
});

test('a leader that cannot renew its lease stops scheduling within the renew deadline', async () => {
  const srv = await startTestServer({ memory: true });
  const client = loopbackClient(srv);
  const link = new SwitchableTransport(loopbackTransport(srv.api.loopback.bind(srv.api)));
  const stop = new AbortController();
  let leadingNow = false;
  const role = new SchedulerRole({
    client: new Client(link), identity: 'sched-a',
    leaseDurationSeconds: 3, renewDeadlineMs: 2000, retryPeriodMs: 500,
    onLeading: (_id, on) => { leadingNow = on; },
  });
  const running = role.start(stop.signal);
  try {
    await createNode(client, 'node-1');
    await until('leading', () => leadingNow);
    await createPod(client, NS, podObject('before'));
    await until('before bound', async () => (await listPods(client, NS)).every((p) => p.spec?.nodeName));

    // A partition: renewals fail, so the leader must stop before its lease can pass to another.
    link.disconnect();
    const cutAt = Date.now();
    await until('stepped down', () => !leadingNow && role.scheduler === undefined, 15_000);
    assert.ok(Date.now() - cutAt < 2000 + 4000, 'stopped within the renew deadline (plus slack for a loaded machine)');

    link.connect();
    await until('leading again', () => leadingNow, 15_000);
    await createPod(client, NS, podObject('after'));
    await until('after bound', async () => (await listPods(client, NS)).every((p) => p.spec?.nodeName));
  } finally {
    stop.abort();
    await running;
    await srv.stop();
  }
});
