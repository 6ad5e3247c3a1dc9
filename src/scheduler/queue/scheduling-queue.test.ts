import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import { ManualClock } from '../../client/index.js';
import type { QueuedPodInfo } from '../framework/interfaces.js';
import { Code, newStatus, SUCCESS } from '../framework/status.js';
import { ASSIGNED_POD_DELETE, NODE_ADD, NODE_LABEL_CHANGE, nodeUpdateEvents, podSchedulingChanged } from './cluster-events.js';
import { SchedulingQueue } from './scheduling-queue.js';

const less = (a: QueuedPodInfo, b: QueuedPodInfo) => {
  const pa = a.pod.spec?.priority ?? 0;
  const pb = b.pod.spec?.priority ?? 0;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
};

const pod = (name: string, priority = 0, extra: Partial<Pod['spec']> = {}): Pod =>
  ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { priority, containers: [{ name: 'c', image: 'i' }], ...extra } }) as Pod;

const popNow = async (q: SchedulingQueue) => q.pop(AbortSignal.timeout(1000));

test('activeQ pops by priority, then by age (PrioritySort)', async () => {
  const clock = new ManualClock(1000);
  const q = new SchedulingQueue({ clock, less });
  q.add(pod('low', 0));
  clock.advance(1);
  q.add(pod('high', 10));
  clock.advance(1);
  q.add(pod('low2', 0));
  assert.deepEqual([(await popNow(q))!.pod.metadata!.name, (await popNow(q))!.pod.metadata!.name, (await popNow(q))!.pod.metadata!.name], ['high', 'low', 'low2']);
});

test('pop waits for a pod and returns undefined once aborted', async () => {
  const q = new SchedulingQueue({ clock: new ManualClock(), less });
  const ctl = new AbortController();
  const waiting = q.pop(ctl.signal);
  q.add(pod('a'));
  assert.equal((await waiting)!.pod.metadata!.name, 'a');
  const next = q.pop(ctl.signal);
  ctl.abort();
  assert.equal(await next, undefined);
});

test('backoff doubles from 1 s to at most 10 s per attempt', () => {
  const q = new SchedulingQueue({ clock: new ManualClock(), less });
  const d = (attempts: number) => q.backoffDuration({ pod: pod('a'), timestamp: 0, attempts });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(d), [1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('an error goes to backoffQ and returns to activeQ when its backoff expires', async () => {
  const clock = new ManualClock(0);
  const q = new SchedulingQueue({ clock, less });
  q.add(pod('a'));
  const pi = (await popNow(q))!;
  q.addUnschedulableIfNotPresent(pi, q.currentCycle);
  assert.equal(q.where(pi.pod), 'backoff');
  clock.advance(999);
  q.flushBackoffQCompleted();
  assert.equal(q.where(pi.pod), 'backoff');
  clock.advance(1);
  q.flushBackoffQCompleted();
  assert.equal(q.where(pi.pod), 'active');
  const again = (await popNow(q))!;
  assert.equal(again.attempts, 2);
});

test('unschedulable pods move only on events that may help, honouring backoff', async () => {
  const clock = new ManualClock(0);
  const q = new SchedulingQueue({ clock, less });
  q.add(pod('cpu'));
  q.add(pod('sel'));
  const a = (await popNow(q))!;
  const b = (await popNow(q))!;
  const cycle = q.currentCycle;
  q.addUnschedulableIfNotPresent({ ...a, unschedulablePlugins: new Set(['NodeResourcesFit']) }, cycle);
  q.addUnschedulableIfNotPresent({ ...b, unschedulablePlugins: new Set(['NodeAffinity']) }, cycle);
  assert.equal(q.where(a.pod), 'unschedulable');
  q.moveAllToActiveOrBackoffQueue(NODE_LABEL_CHANGE);
  assert.equal(q.where(a.pod), 'unschedulable');
  assert.equal(q.where(b.pod), 'backoff'); // attempted 0 ms ago: still backing off
  clock.advance(5000);
  q.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE);
  assert.equal(q.where(a.pod), 'active');
});

test('a move request during the attempt sends the failed pod to backoffQ, not unschedulable', async () => {
  const q = new SchedulingQueue({ clock: new ManualClock(0), less });
  q.add(pod('a'));
  const pi = (await popNow(q))!;
  q.moveAllToActiveOrBackoffQueue(NODE_ADD);
  q.addUnschedulableIfNotPresent({ ...pi, unschedulablePlugins: new Set(['NodeResourcesFit']) }, q.currentCycle);
  assert.equal(q.where(pi.pod), 'backoff');
});

test('unschedulable pods are flushed after 5 minutes', async () => {
  const clock = new ManualClock(0);
  const q = new SchedulingQueue({ clock, less });
  q.add(pod('a'));
  const pi = (await popNow(q))!;
  q.addUnschedulableIfNotPresent({ ...pi, unschedulablePlugins: new Set(['NodeResourcesFit']) }, q.currentCycle);
  const ctl = new AbortController();
  const running = q.run(ctl.signal);
  clock.advance(4 * 60_000);
  assert.equal(q.where(pi.pod), 'unschedulable');
  clock.advance(61_000);
  assert.equal(q.where(pi.pod), 'active');
  ctl.abort();
  await running;
});

test('delete and in-flight updates: a deleted in-flight pod is dropped, an updated one keeps its newest version', async () => {
  const q = new SchedulingQueue({ clock: new ManualClock(0), less });
  q.add(pod('a'));
  q.add(pod('b'));
  const a = (await popNow(q))!;
  const b = (await popNow(q))!;
  q.delete(a.pod);
  q.addUnschedulableIfNotPresent(a, q.currentCycle);
  assert.equal(q.where(a.pod), undefined);
  const newer = { ...b.pod, metadata: { ...b.pod.metadata, labels: { x: 'y' } } };
  q.update(b.pod, newer);
  q.addUnschedulableIfNotPresent(b, q.currentCycle);
  assert.equal(q.where(b.pod), 'backoff');
  q.add(pod('c'));
  q.delete(pod('c'));
  assert.equal(q.stats().active, 0);
});

test('a status-only update leaves an unschedulable pod where it is; a spec change requeues it', async () => {
  const clock = new ManualClock(0);
  const q = new SchedulingQueue({ clock, less });
  q.add(pod('a'));
  const pi = (await popNow(q))!;
  q.addUnschedulableIfNotPresent({ ...pi, unschedulablePlugins: new Set(['NodeAffinity']) }, q.currentCycle);
  const withStatus = { ...pi.pod, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } } as Pod;
  q.update(pi.pod, withStatus);
  assert.equal(q.where(pi.pod), 'unschedulable');
  clock.advance(2000);
  q.update(withStatus, { ...withStatus, spec: { ...withStatus.spec!, nodeSelector: { a: 'b' } } });
  assert.equal(q.where(pi.pod), 'active');
});

test('PreEnqueue gates keep a pod out of activeQ until an update clears them', () => {
  const gate = (p: Pod) => (p.spec?.schedulingGates?.length ? newStatus(Code.UnschedulableAndUnresolvable, 'gated') : SUCCESS);
  const q = new SchedulingQueue({ clock: new ManualClock(0), less, preEnqueue: gate });
  const gated = pod('g', 0, { schedulingGates: [{ name: 'x' }] });
  q.add(gated);
  assert.equal(q.where(gated), 'gated');
  q.update(gated, pod('g'));
  assert.equal(q.where(gated), 'active');
});

test('node updates are classified; heartbeats are not events', () => {
  const n = { metadata: { name: 'n', labels: { a: '1' } }, status: { allocatable: { cpu: '1' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't1' }] } };
  const beat = { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't2' }] } };
  assert.deepEqual(nodeUpdateEvents(n, beat), []);
  const labelled = { ...n, metadata: { name: 'n', labels: { a: '2' } }, spec: { unschedulable: true } };
  assert.deepEqual(nodeUpdateEvents(n, labelled).map((e) => e.label), ['NodeLabelChange', 'NodeTaintChange']);
  assert.equal(podSchedulingChanged(pod('a'), { ...pod('a'), status: { phase: 'Pending' } } as Pod), false);
});
