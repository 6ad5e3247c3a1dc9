// Two scheduler instances against one server: only the holder of kube-system/kube-scheduler
// binds; stopping it hands over; every pod is bound exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulerRole } from '../../src/scheduler/index.js';
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
