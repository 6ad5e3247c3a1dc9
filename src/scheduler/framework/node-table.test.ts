import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from '../../api/index.js';
import { ManualClock } from '../../client/index.js';
import { SchedulerCache } from '../cache/scheduler-cache.js';
import { CycleState } from './cycle-state.js';
import { NodeInfo } from './node-info.js';
import {
  ALLOC_EPHEMERAL, ALLOC_MEMORY, ALLOC_MILLI_CPU, ALLOWED_PODS, FLAG_HAS_NODE, FLAG_HAS_SCALARS, FLAG_HAS_TAINTS, FLAG_UNSCHEDULABLE, FLAGS,
  NON_ZERO_MEMORY, NON_ZERO_MILLI_CPU, POD_COUNT, REQ_EPHEMERAL, REQ_MEMORY, REQ_MILLI_CPU, ROW_STRIDE,
} from './node-table.js';
import { Snapshot } from './snapshot.js';
import { newInTreeRegistry } from '../plugins/registry.js';
import { Framework } from './framework.js';

const node = (name: string, extra: Partial<NonNullable<Node['spec']>> = {}, allocatable: Record<string, string> = {}): Node =>
  ({ metadata: { name }, spec: extra, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '3', 'ephemeral-storage': '10Gi', ...allocatable } } }) as Node;
const pod = (name: string, nodeName: string, requests: Record<string, string> = { cpu: '1' }): Pod =>
  ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { nodeName, containers: [{ name: 'c', image: 'i', resources: { requests } }] } }) as Pod;

/** The row as the NodeInfo's own fields say it should be. */
function expectedRow(ni: NodeInfo): number[] {
  const spec = ni.node?.spec;
  const flags = (ni.node ? FLAG_HAS_NODE : 0) | (spec?.unschedulable ? FLAG_UNSCHEDULABLE : 0) | (spec?.taints?.length ? FLAG_HAS_TAINTS : 0)
    | (ni.allocatable.scalarResources?.size || ni.requested.scalarResources?.size ? FLAG_HAS_SCALARS : 0);
  const row = new Array<number>(ROW_STRIDE).fill(0);
  row[ALLOC_MILLI_CPU] = ni.allocatable.milliCPU;
  row[ALLOC_MEMORY] = ni.allocatable.memory;
  row[ALLOC_EPHEMERAL] = ni.allocatable.ephemeralStorage;
  row[ALLOWED_PODS] = ni.allocatable.allowedPodNumber;
  row[REQ_MILLI_CPU] = ni.requested.milliCPU;
  row[REQ_MEMORY] = ni.requested.memory;
  row[REQ_EPHEMERAL] = ni.requested.ephemeralStorage;
  row[POD_COUNT] = ni.pods.length;
  row[NON_ZERO_MILLI_CPU] = ni.nonZeroRequested.milliCPU;
  row[NON_ZERO_MEMORY] = ni.nonZeroRequested.memory;
  row[FLAGS] = flags;
  return row;
}

const rowOf = (ni: NodeInfo): number[] => [...ni.table!.data.subarray(ni.row * ROW_STRIDE, (ni.row + 1) * ROW_STRIDE)];

test('a snapshot attaches its NodeInfos and their rows follow every change', () => {
  const a = new NodeInfo(node('a'));
  const b = new NodeInfo(node('b', { unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] }, { 'example.com/gpu': '2' }));
  const s = new Snapshot([a, b]);
  assert.equal(a.table, s.table);
  assert.deepEqual([a.row, b.row], [0, 1]);
  assert.deepEqual(rowOf(a), expectedRow(a));
  assert.deepEqual(rowOf(b), expectedRow(b));
  assert.equal(rowOf(b)[FLAGS], FLAG_HAS_NODE | FLAG_UNSCHEDULABLE | FLAG_HAS_TAINTS | FLAG_HAS_SCALARS);

  a.addPod(pod('p1', 'a', { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '1Gi' }));
  a.addPod(pod('p2', 'a', {}));
  assert.deepEqual(rowOf(a), expectedRow(a));
  assert.equal(rowOf(a)[NON_ZERO_MILLI_CPU], 600, 'the pod without requests counts 100m for scoring');
  assert.ok(a.removePod(pod('p1', 'a')));
  assert.deepEqual(rowOf(a), expectedRow(a));
  a.setNode(node('a', { unschedulable: true }, { cpu: '8' }));
  assert.deepEqual(rowOf(a), expectedRow(a));
});

test('clones are not attached, and what-if changes on them leave the table alone', () => {
  const a = new NodeInfo(node('a'));
  const s = new Snapshot([a]);
  const before = rowOf(a);
  const c = a.clone();
  assert.equal(c.table, undefined);
  c.addPod(pod('p', 'a'));
  assert.deepEqual(rowOf(a), before);
  assert.equal(s.table.data[REQ_MILLI_CPU], 0);
});

test('the scheduler cache swaps a changed node in: the new NodeInfo owns the row, the old one lets go', () => {
  const cache = new SchedulerCache({ clock: new ManualClock() });
  cache.addNode(node('a'));
  cache.addNode(node('b'));
  const s1 = cache.updateSnapshot();
  const oldB = s1.get('b')!;
  cache.addPod(pod('p', 'b', { cpu: '2' }));
  const s2 = cache.updateSnapshot();
  assert.equal(s2, s1, 'same snapshot, swapped in place');
  const newB = s2.get('b')!;
  assert.notEqual(newB, oldB);
  assert.equal(newB.table, s2.table);
  assert.equal(oldB.table, undefined, 'the replaced NodeInfo reads its own fields again');
  assert.deepEqual(rowOf(newB), expectedRow(newB));
  assert.equal(rowOf(newB)[REQ_MILLI_CPU], 2000);
});

test('filters and scores give the same answers from the table and from the NodeInfo fields', () => {
  const fwk = new Framework(newInTreeRegistry());
  const nodes = [
    node('free'), node('cordoned', { unschedulable: true }), node('tainted', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
    node('soft', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), node('small', {}, { cpu: '1', memory: '1Gi' }), node('full', {}, { pods: '1' }),
  ];
  const assigned = [pod('x', 'full', {}), pod('y', 'small', { cpu: '300m', memory: '300Mi' }), pod('z', 'free', { cpu: '1', memory: '2Gi' })];
  const incoming = { metadata: { name: 'new', namespace: 'default', uid: 'uid-new' }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '800m', memory: '512Mi' } } }] } } as Pod;
  const run = (detached: boolean) => {
    const snapshot = Snapshot.fromObjects(nodes, assigned);
    if (detached) for (const ni of snapshot.nodeInfoList) ni.detach();
    fwk.setSnapshot(snapshot);
    const state = new CycleState();
    assert.ok(fwk.runPreFilterPlugins(state, incoming, snapshot.nodeInfoList).status.isSuccess());
    const filters = snapshot.nodeInfoList.map((ni) => fwk.runFilterPlugins(state, incoming, ni)).map((s) => `${s.code} ${s.plugin} ${s.reasons.join(',')}`);
    const feasible = snapshot.nodeInfoList.filter((ni) => fwk.runFilterPlugins(state, incoming, ni).isSuccess());
    assert.ok(fwk.runPreScorePlugins(state, incoming, feasible).isSuccess());
    const scores = fwk.runScorePlugins(state, incoming, feasible);
    assert.ok(!('code' in scores));
    return { filters, feasible: feasible.map((n) => n.name), byPlugin: Object.fromEntries(scores.byPlugin) };
  };
  const fromTable = run(false);
  const fromFields = run(true);
  assert.deepEqual(fromTable, fromFields);
  assert.deepEqual(fromTable.feasible, ['free', 'soft']);
});
