import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from '../../api/index.js';
import { ManualClock } from '../../client/index.js';
import { SchedulerCache } from './scheduler-cache.js';

const node = (name: string, cpu = '4', labels: Record<string, string> = {}): Node =>
  ({ metadata: { name, labels }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } }) as Node;
const pod = (name: string, nodeName: string, cpu = '1'): Pod =>
  ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { nodeName, containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }] } }) as Pod;

test('nodes and assigned pods are accounted in the snapshot', () => {
  const c = new SchedulerCache({ clock: new ManualClock() });
  c.addNode(node('a'));
  c.addNode(node('b'));
  c.addPod(pod('p1', 'a'));
  const s = c.updateSnapshot();
  assert.equal(s.numNodes, 2);
  assert.equal(s.get('a')!.requested.milliCPU, 1000);
  assert.equal(s.get('b')!.requested.milliCPU, 0);
});

test('updateSnapshot reuses unchanged NodeInfos and the snapshot itself when nothing changed', () => {
  const c = new SchedulerCache({ clock: new ManualClock() });
  for (let i = 0; i < 100; i++) c.addNode(node(`n${i}`));
  const s1 = c.updateSnapshot();
  assert.equal(c.updateSnapshot(), s1);
  const n7Before = s1.get('n7')!;
  const n8Before = s1.get('n8')!;
  c.addPod(pod('p', 'n7'));
  const s2 = c.updateSnapshot();
  assert.equal(s2.get('n8'), n8Before, 'unchanged node not cloned');
  assert.notEqual(s2.get('n7'), n7Before, 'a changed node is a fresh clone');
  assert.equal(n7Before.pods.length, 0, 'a NodeInfo handed out earlier is not mutated');
  assert.equal(s2.get('n7')!.pods.length, 1);
  assert.equal(s2.nodeInfoList[7], s2.get('n7'), 'the clone takes the node\'s place in the list');
  assert.equal(s2.numNodes, 100);
});

test('updateSnapshot keeps the affinity lists right when pods with affinity come and go', () => {
  const c = new SchedulerCache({ clock: new ManualClock() });
  for (let i = 0; i < 5; i++) c.addNode(node(`n${i}`));
  c.updateSnapshot();
  const anti = { ...pod('anti', 'n2'), spec: { ...pod('anti', 'n2').spec, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {} }] } } } } as Pod;
  c.addPod(anti);
  let s = c.updateSnapshot();
  assert.deepEqual(s.havePodsWithAffinityNodeInfoList.map((n) => n.name), ['n2']);
  assert.deepEqual(s.havePodsWithRequiredAntiAffinityNodeInfoList.map((n) => n.name), ['n2']);
  assert.equal(s.havePodsWithAffinityNodeInfoList[0], s.get('n2'));
  c.addPod(pod('plain', 'n2'));
  s = c.updateSnapshot();
  assert.equal(s.havePodsWithAffinityNodeInfoList[0], s.get('n2'), 'list entries are the current clones');
  c.removePod(anti);
  s = c.updateSnapshot();
  assert.deepEqual(s.havePodsWithAffinityNodeInfoList, []);
  c.addNode(node('n5'));
  s = c.updateSnapshot();
  assert.equal(s.numNodes, 6);
});

test('assume, then the informer confirms the pod', () => {
  const c = new SchedulerCache({ clock: new ManualClock() });
  c.addNode(node('a'));
  const p = pod('p', 'a', '2');
  c.assumePod(p);
  assert.equal(c.updateSnapshot().get('a')!.requested.milliCPU, 2000);
  assert.ok(c.isAssumedPod(p));
  assert.throws(() => c.assumePod(p));
  c.finishBinding(p);
  c.addPod({ ...p, metadata: { ...p.metadata, resourceVersion: '5' } });
  assert.ok(!c.isAssumedPod(p));
  assert.equal(c.updateSnapshot().get('a')!.pods.length, 1);
  assert.equal(c.updateSnapshot().get('a')!.requested.milliCPU, 2000);
});

test('forgetPod releases the capacity; expired assumptions are dropped after the TTL', () => {
  const clock = new ManualClock(0);
  const c = new SchedulerCache({ clock, assumedPodTtlMs: 30_000 });
  c.addNode(node('a'));
  const p = pod('p', 'a');
  c.assumePod(p);
  c.forgetPod(p);
  assert.equal(c.updateSnapshot().get('a')!.requested.milliCPU, 0);
  c.assumePod(p);
  clock.advance(60_000);
  assert.deepEqual(c.cleanupExpiredAssumedPods(), [], 'no expiry before the binding finished');
  c.finishBinding(p);
  clock.advance(29_999);
  assert.equal(c.cleanupExpiredAssumedPods().length, 0);
  clock.advance(1);
  assert.equal(c.cleanupExpiredAssumedPods().length, 1);
  assert.equal(c.podCount, 0);
  assert.equal(c.updateSnapshot().get('a')!.requested.milliCPU, 0);
});

test('a pod confirmed on another node than assumed moves there', () => {
  const c = new SchedulerCache({ clock: new ManualClock() });
  c.addNode(node('a'));
  c.addNode(node('b'));
  const p = pod('p', 'a');
  c.assumePod(p);
  c.addPod(pod('p', 'b'));
  const s = c.updateSnapshot();
  assert.equal(s.get('a')!.pods.length, 0);
  assert.equal(s.get('b')!.pods.length, 1);
});

test('a deleted node leaves the snapshot; its pods go when deleted', () => {
  const c = new SchedulerCache({ clock: new ManualClock() });
  c.addNode(node('a'));
  c.addNode(node('b'));
  c.addPod(pod('p', 'a'));
  c.updateSnapshot();
  c.removeNode(node('a'));
  assert.deepEqual(c.updateSnapshot().nodeInfoList.map((n) => n.name), ['b']);
  assert.equal(c.nodeCount, 1);
  c.removePod(pod('p', 'a'));
  assert.equal(c.podCount, 0);
  assert.equal(c.nodeInfo('a'), undefined);
  c.addNode(node('a', '8'));
  assert.equal(c.updateSnapshot().get('a')!.allocatable.milliCPU, 8000);
});
