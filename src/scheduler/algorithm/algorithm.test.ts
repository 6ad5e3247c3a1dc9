import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numFeasibleNodesToFind } from './num-feasible.js';
import { Diagnosis, fitErrorMessage } from './fit-error.js';
import { selectHost } from './select-host.js';
import { schedulePod, ScheduleError } from './schedule-pod.js';
import { Code, Status } from '../framework/status.js';
import { CycleState } from '../framework/cycle-state.js';
import { Framework } from '../framework/framework.js';
import { Registry } from '../framework/registry.js';
import { Snapshot } from '../framework/snapshot.js';
import { PodInfo } from '../framework/node-info.js';
import { newInTreeRegistry } from '../plugins/registry.js';
import { makeNode, makePod } from '../testdata/scenario.js';
import type { FilterPlugin } from '../framework/interfaces.js';

// Upstream schedule_one_test.go TestNumFeasibleNodesToFind.
test('numFeasibleNodesToFind matches upstream', () => {
  const cases: [number | undefined, number, number][] = [
    [undefined, 10, 10], // not set, nodes not more than 50
    [40, 10, 10], // set, nodes not more than 50
    [undefined, 1000, 420], // adaptive: 50 - 1000/125 = 42%
    [40, 1000, 400],
    [undefined, 6000, 300], // adaptive floor 5%
    [40, 6000, 2400],
    [undefined, 99, 99],
    [undefined, 100, 100], // 48% of 100 = 48 → at least 100
    [1, 5000, 100], // never fewer than 100
    [100, 5000, 5000],
    [undefined, 5000, 500], // the benchmark's cluster: 10%
  ];
  for (const [pct, n, want] of cases) assert.equal(numFeasibleNodesToFind(pct, n), want, `pct=${pct} n=${n}`);
});

// Upstream framework/types_test.go TestFitError_Error.
test('FitError message: PreFilter, Filter histogram, PostFilter tail', () => {
  const d1 = new Diagnosis();
  d1.preFilterMsg = 'Node(s) failed PreFilter plugin FalsePreFilter';
  assert.equal(fitErrorMessage(3, d1), '0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter.');

  const d2 = new Diagnosis();
  for (const n of ['node1', 'node2', 'node3']) d2.statuses.set(n, new Status(Code.Unschedulable, ['Node(s) failed Filter plugin FalseFilter']));
  assert.equal(fitErrorMessage(3, d2), '0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter.');
  d2.postFilterMsg = 'Error running PostFilter plugin FailedPostFilter';
  assert.equal(fitErrorMessage(3, d2), '0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter. Error running PostFilter plugin FailedPostFilter.');

  const d3 = new Diagnosis();
  d3.statuses.set('a', new Status(Code.Unschedulable, ['Insufficient cpu', 'Insufficient memory']));
  d3.statuses.set('b', new Status(Code.Unschedulable, ['Insufficient cpu']));
  d3.statuses.set('c', new Status(Code.UnschedulableAndUnresolvable, ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']));
  d3.postFilterMsg = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling';
  assert.equal(fitErrorMessage(3, d3),
    '0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
    'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
});

test('selectHost picks the maximum and breaks ties uniformly', () => {
  assert.equal(selectHost([1, 5, 3]), 1);
  assert.equal(selectHost([7]), 0);
  // random(k) === 0 always replaces: the last of the tied maxima.
  assert.equal(selectHost([5, 1, 5, 5], () => 0), 3);
  // never replaces: the first.
  assert.equal(selectHost([5, 1, 5, 5], (n) => n - 1), 0);
  // Uniform over ties with a seeded generator.
  let seed = 42;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor((seed / 2147483648) * n); };
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[selectHost([9, 9, 1, 9], rnd)]!++;
  assert.equal(counts[2], 0);
  for (const i of [0, 1, 3]) assert.ok(counts[i]! > 1100 && counts[i]! < 1560, `counts ${counts}`);
});

function nodes(n: number, cpu = '4'): ReturnType<typeof makeNode>[] {
  return Array.from({ length: n }, (_, i) => makeNode({ name: `n${i}`, allocatable: { cpu } }));
}

test('schedulePod walks round robin and stops after numFeasibleNodesToFind', () => {
  const fwk = new Framework(newInTreeRegistry(), { percentageOfNodesToScore: 50 }, { clock: () => 0 });
  const snap = Snapshot.fromObjects(nodes(200));
  const r = schedulePod(fwk, new CycleState(), snap, makePod({ name: 'p' }), { nextStartNodeIndex: 150 });
  assert.equal(r.feasibleNodes, 100);
  assert.equal(r.evaluatedNodes, 100);
  assert.equal(r.nextStartNodeIndex, 50);
  const idx = Number(r.suggestedHost.slice(1));
  assert.ok(idx >= 150 || idx < 50, r.suggestedHost);
});

test('schedulePod counts rejected nodes as evaluated', () => {
  const fwk = new Framework(newInTreeRegistry(), {}, { clock: () => 0 });
  const ns = nodes(3);
  ns[0]!.spec = { unschedulable: true };
  const r = schedulePod(fwk, new CycleState(), Snapshot.fromObjects(ns), makePod({ name: 'p' }));
  assert.deepEqual([r.evaluatedNodes, r.feasibleNodes], [3, 2]);
  assert.notEqual(r.suggestedHost, 'n0');
});

test('schedulePod: no nodes, plugin errors', () => {
  const fwk = new Framework(newInTreeRegistry(), {}, { clock: () => 0 });
  assert.throws(() => schedulePod(fwk, new CycleState(), Snapshot.fromObjects([]), makePod({ name: 'p' })), /no nodes available to schedule pods/);

  const reg = newInTreeRegistry();
  reg.register('Broken', () => ({ name: 'Broken', filter: () => new Status(Code.Error, ['boom']) }) satisfies FilterPlugin);
  const broken = new Framework(reg, { plugins: { filter: { enabled: [{ name: 'Broken' }] } } }, { clock: () => 0 });
  assert.throws(() => schedulePod(broken, new CycleState(), Snapshot.fromObjects(nodes(2)), makePod({ name: 'p' })),
    (e: unknown) => e instanceof ScheduleError && e.message === 'running "Broken" filter plugin: boom');
});

test('a nominated pod tries its nominated node first', () => {
  const fwk = new Framework(newInTreeRegistry(), {}, { clock: () => 0 });
  const snap = Snapshot.fromObjects(nodes(5));
  const r = schedulePod(fwk, new CycleState(), snap, makePod({ name: 'p', status: { nominatedNodeName: 'n3' } }));
  assert.deepEqual([r.suggestedHost, r.evaluatedNodes, r.feasibleNodes], ['n3', 1, 1]);
});

test('pods nominated to a node with higher priority take its room', () => {
  const nominee = makePod({ name: 'big', priority: 100, requests: { cpu: '3' } });
  const fwk = new Framework(newInTreeRegistry(), {}, {
    clock: () => 0,
    nominatedPodsForNode: (n) => (n === 'n0' ? [new PodInfo(nominee)] : []),
  });
  const snap = Snapshot.fromObjects(nodes(2));
  for (let i = 0; i < 5; i++) {
    const r = schedulePod(fwk, new CycleState(), snap, makePod({ name: 'p', priority: 10, requests: { cpu: '2' } }), { nextStartNodeIndex: i });
    assert.equal(r.suggestedHost, 'n1');
  }
  // A higher-priority pod ignores the lower-priority nomination.
  const r = schedulePod(fwk, new CycleState(), snap, makePod({ name: 'q', priority: 1000, requests: { cpu: '2' } }), { random: () => 0 });
  assert.equal(r.feasibleNodes, 2);
});

test('a registry without filter plugins accepts the first nodes', () => {
  const reg = new Registry();
  reg.register('PrioritySort', newInTreeRegistry().get('PrioritySort')!);
  reg.register('DefaultBinder', newInTreeRegistry().get('DefaultBinder')!);
  const fwk = new Framework(reg, {}, { clock: () => 0 });
  const r = schedulePod(fwk, new CycleState(), Snapshot.fromObjects(nodes(3)), makePod({ name: 'p' }), { random: () => 0 });
  assert.equal(r.feasibleNodes, 3);
  assert.equal(r.suggestedHost, 'n2');
});
