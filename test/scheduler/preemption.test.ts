// Preemption end to end: the scheduler against an in-process API server and one hollow node.
// Low-priority pods fill the node; a high-priority pod (priority from its PriorityClass through
// Priority admission) makes the scheduler delete the fewest lowest-priority victims, nominate the
// node in the preemptor's status, and bind it once the victim is gone (upstream
// test/integration/scheduler/preemption TestPreemption "basic pod preemption").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, type Pod } from '../../src/api/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { startTestServer } from '../support/server.js';
import { createPod, getPod, loopbackClient, podEvents, podObject, until } from './helpers.js';

const NS = 'default';
const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false, kind: 'PriorityClass' };

function withClass(pod: Pod, priorityClassName: string): Pod {
  return { ...pod, spec: { ...pod.spec!, priorityClassName } };
}

test('a high-priority pod preempts the lowest-priority pod on a full node and is bound there', async () => {
  const srv = await startTestServer({ memory: true });
  const client = loopbackClient(srv);
  const stop = new AbortController();
  const errors: unknown[] = [];
  const sim = new HollowNodes(loopbackClient(srv), { count: 1, cpu: '2', memory: '8Gi', pods: '110', onError: (e) => errors.push(e) });
  const running = [sim.start(stop.signal)];
  try {
    await sim.whenRegistered();
    for (const [name, value] of [['low', 10], ['medium', 20], ['high', 1000]] as const) {
      await client.resource(PRIORITY_CLASSES).create('', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
    }
    running.push(new SchedulerRole({ client: loopbackClient(srv), leaderElect: false, onError: (e) => errors.push(e) }).start(stop.signal));
    await createPod(client, NS, withClass(podObject('low', { cpu: '1' }), 'low'));
    await createPod(client, NS, withClass(podObject('medium', { cpu: '1' }), 'medium'));
    await until('the node is full', async () => !!(await getPod(client, NS, 'low')).spec?.nodeName && !!(await getPod(client, NS, 'medium')).spec?.nodeName);
    assert.equal((await getPod(client, NS, 'low')).spec?.priority, 10, 'Priority admission set the value');

    const preemptor = await createPod(client, NS, withClass(podObject('preemptor', { cpu: '1' }), 'high'));
    assert.equal(preemptor.spec?.priority, 1000);
    const node = (await getPod(client, NS, 'medium')).spec!.nodeName!;
    await until('the preemptor is bound', async () => (await getPod(client, NS, 'preemptor')).spec?.nodeName === node);

    await assert.rejects(getPod(client, NS, 'low'), (e) => isStatusError(e, 'NotFound'), 'the lowest-priority pod was the victim');
    assert.equal((await getPod(client, NS, 'medium')).metadata?.deletionTimestamp, undefined, 'the other pod was reprieved');
    assert.equal((await getPod(client, NS, 'preemptor')).status?.nominatedNodeName, node);
    const failed = (await podEvents(client, NS, 'preemptor')).find((e) => e.reason === 'FailedScheduling');
    assert.equal(failed?.message, '0/1 nodes are available: 1 Insufficient cpu.');
    await until('Preempted event', async () => (await podEvents(client, NS, 'low')).some((e) => e.reason === 'Preempted'));
    const ev = (await podEvents(client, NS, 'low')).find((e) => e.reason === 'Preempted')!;
    assert.equal(ev.message, `Preempted by pod ${preemptor.metadata!.uid} on node ${node}`);
    assert.equal(ev.type, 'Normal');
  } finally {
    stop.abort();
    await Promise.allSettled(running);
    await srv.stop();
  }
});
