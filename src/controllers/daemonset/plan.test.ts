import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, Node, Pod } from '../../api/index.js';
import { daemonSetCounts, planManage, planRollingUpdate } from './plan.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const nodes = (...names: string[]) => names.map((name) => ({ metadata: { name }, spec: {} }) as Node);
const ds = (rolling: { maxUnavailable?: number | string; maxSurge?: number | string } = {}, extra: object = {}) => ({
  metadata: { name: 'ds', namespace: 'default', generation: 2 },
  spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'x' }] } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: rolling }, ...extra },
}) as DaemonSet;
let seq = 0;
const pod = (node: string, hash: string, opts: { ready?: boolean; phase?: string; at?: number } = {}) => ({
  metadata: { name: `p${seq++}`, namespace: 'default', labels: { 'controller-revision-hash': hash }, creationTimestamp: new Date(opts.at ?? NOW - 60_000).toISOString() },
  spec: { nodeName: node, containers: [] },
  status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: new Date(NOW - 30_000).toISOString() }] },
}) as Pod;
const byNode = (...ps: Pod[]) => {
  const m = new Map<string, Pod[]>();
  for (const p of ps) m.set(p.spec!.nodeName!, [...(m.get(p.spec!.nodeName!) ?? []), p]);
  return m;
};
const names = (ps: Pod[]) => ps.map((p) => p.metadata?.name);

test('manage: a pod for each eligible node lacking one; excess, failed and misplaced pods deleted', () => {
  const a1 = pod('a', 'h', { at: NOW - 100_000 });
  const a2 = pod('a', 'h');
  const failed = pod('b', 'h', { phase: 'Failed' });
  const gone = { ...pod('z', 'h'), spec: { containers: [], affinity: {} } } as Pod;
  const orphanTarget = new Map([...byNode(a1, a2, failed), ['z', [gone]]]);
  const plan = planManage(ds(), nodes('a', 'b', 'c'), orphanTarget, 'h', NOW);
  assert.deepEqual(plan.createOn, ['c']);
  assert.deepEqual(names(plan.deletePods), [a2.metadata?.name, failed.metadata?.name, gone.metadata?.name], 'keeps the oldest of two');
  assert.deepEqual(names(plan.failedPods), [failed.metadata?.name]);
  const tainted = [{ metadata: { name: 't' }, spec: { taints: [{ key: 'k', effect: 'NoExecute' }] } } as Node];
  const onTainted = pod('t', 'h');
  assert.deepEqual(names(planManage(ds(), tainted, byNode(onTainted), 'h', NOW).deletePods), [onTainted.metadata?.name]);
});

test('rolling update without surge deletes old pods while at most maxUnavailable are down', () => {
  const olds = ['a', 'b', 'c', 'd'].map((n) => pod(n, 'old'));
  assert.equal(planRollingUpdate(ds({ maxUnavailable: 1 }), nodes('a', 'b', 'c', 'd'), byNode(...olds), 'new', NOW).deletePods.length, 1);
  assert.equal(planRollingUpdate(ds({ maxUnavailable: '50%' }), nodes('a', 'b', 'c', 'd'), byNode(...olds), 'new', NOW).deletePods.length, 2);
  // One node already lacks an available pod (its new pod is not ready): nothing more goes down.
  const notReady = pod('a', 'new', { ready: false });
  assert.equal(planRollingUpdate(ds({ maxUnavailable: 1 }), nodes('a', 'b', 'c', 'd'), byNode(notReady, ...olds.slice(1)), 'new', NOW).deletePods.length, 0);
  // An unavailable old pod is replaced regardless.
  const sick = pod('b', 'old', { ready: false });
  assert.deepEqual(names(planRollingUpdate(ds({ maxUnavailable: 1 }), nodes('a', 'b', 'c', 'd'), byNode(notReady, sick, olds[2]!, olds[3]!), 'new', NOW).deletePods), [sick.metadata?.name]);
});

test('rolling update with surge starts new pods beside old ones, then deletes the old once the new is available', () => {
  const olds = ['a', 'b', 'c'].map((n) => pod(n, 'old'));
  const surge = ds({ maxUnavailable: 0, maxSurge: 1 });
  const first = planRollingUpdate(surge, nodes('a', 'b', 'c'), byNode(...olds), 'new', NOW);
  assert.deepEqual([first.createOn, first.deletePods], [['a'], []]);
  const starting = pod('a', 'new', { ready: false });
  assert.deepEqual(planRollingUpdate(surge, nodes('a', 'b', 'c'), byNode(olds[0]!, starting, olds[1]!, olds[2]!), 'new', NOW).createOn, []);
  const up = pod('a', 'new');
  const next = planRollingUpdate(surge, nodes('a', 'b', 'c'), byNode(olds[0]!, up, olds[1]!, olds[2]!), 'new', NOW);
  assert.deepEqual([next.createOn, names(next.deletePods)], [['b'], [olds[0]!.metadata?.name]]);
  // manage keeps both on a node while the new pod is not yet available.
  assert.deepEqual(planManage(surge, nodes('a'), byNode(olds[0]!, starting), 'new', NOW).deletePods, []);
  assert.deepEqual(names(planManage(surge, nodes('a'), byNode(olds[0]!, up), 'new', NOW).deletePods), [olds[0]!.metadata?.name]);
});

test('status counters as upstream updateDaemonSetStatus', () => {
  const tainted = { metadata: { name: 't' }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } } as Node;
  const c = daemonSetCounts(ds({}, { minReadySeconds: 60 }), [...nodes('a', 'b', 'c'), tainted],
    byNode(pod('a', 'new'), pod('b', 'old', { ready: false }), pod('t', 'new')), 'new', NOW);
  assert.deepEqual(c, { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 1, numberAvailable: 0, numberUnavailable: 3, updatedNumberScheduled: 1 });
});
