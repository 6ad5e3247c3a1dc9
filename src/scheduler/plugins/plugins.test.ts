import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newInTreeRegistry } from './registry.js';
import { Framework } from '../framework/framework.js';
import { CycleState } from '../framework/cycle-state.js';
import { NodeInfo } from '../framework/node-info.js';
import { Code } from '../framework/status.js';
import type { QueueSortPlugin, ScorePlugin } from '../framework/interfaces.js';
import { makeNode, makePod } from '../testdata/scenario.js';
import { defaultNormalizeScore } from './helper/normalize.js';
import { CompiledNodeSelector } from './helper/node-selector.js';
import { toleratesTaint } from './helper/taints.js';
import { leastAllocatedScorer, mostAllocatedScorer, requestedToCapacityRatioScorer, brokenLinearFunction } from './node-resources-fit/scorers.js';
import { balancedResourceScorer } from './node-resources-balanced-allocation/balanced-allocation.js';

const opts = { clock: () => 0 };
const cpuMem = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];

// Upstream queuesort/priority_sort_test.go TestLess.
test('PrioritySort: higher priority first, then earlier timestamp', () => {
  const pl = newInTreeRegistry().get('PrioritySort')!(undefined, {} as never) as QueueSortPlugin;
  const q = (priority: number, timestamp: number) => ({ pod: makePod({ name: 'p', priority }), timestamp, attempts: 0 });
  assert.equal(pl.less(q(1, 0), q(2, 0)), false, 'p1.priority less than p2.priority');
  assert.equal(pl.less(q(2, 0), q(1, 0)), true, 'p1.priority greater than p2.priority');
  assert.equal(pl.less(q(1, 1), q(1, 2)), true, 'equal priority. p1 is added to schedulingQ earlier than p2');
  assert.equal(pl.less(q(1, 2), q(1, 1)), false, 'equal priority. p2 is added to schedulingQ earlier than p1');
  const noPriority = { pod: makePod({ name: 'x' }), timestamp: 0, attempts: 0 };
  assert.equal(pl.less(q(-1, 0), noPriority), false, 'an unset priority counts as 0');
});

// Upstream schedulinggates/scheduling_gates_test.go.
test('SchedulingGates: gated pods wait before the queue', () => {
  const fwk = new Framework(newInTreeRegistry(), {}, opts);
  assert.ok(fwk.runPreEnqueuePlugins(makePod({ name: 'p' })).isSuccess(), 'pod does not carry scheduling gates');
  const s = fwk.runPreEnqueuePlugins(makePod({ name: 'p', spec: { schedulingGates: [{ name: 'foo' }, { name: 'bar' }] } }));
  assert.equal(s.code, Code.UnschedulableAndUnresolvable);
  assert.equal(s.message(), 'waiting for scheduling gates: [foo bar]');
  assert.equal(s.plugin, 'SchedulingGates');
});

// Upstream defaultbinder/default_binder_test.go "successful" and "binding error".
test('DefaultBinder delegates to the injected binder', async () => {
  const bound: string[] = [];
  const ok = new Framework(newInTreeRegistry(), {}, { ...opts, binder: async (pod, node) => { bound.push(`${pod.metadata!.name}->${node}`); } });
  const s = await ok.runBindPlugins(new CycleState(), makePod({ name: 'foo' }), 'foohost');
  assert.ok(s.isSuccess());
  assert.deepEqual(bound, ['foo->foohost']);
  const bad = new Framework(newInTreeRegistry(), {}, { ...opts, binder: async () => { throw new Error('binding error'); } });
  const e = await bad.runBindPlugins(new CycleState(), makePod({ name: 'foo' }), 'foohost');
  assert.equal(e.code, Code.Error);
  assert.match(e.message(), /binding error/);
});

// Upstream least_allocated_test.go / most_allocated_test.go / balanced_allocation_test.go values.
test('resource scorers: upstream scores for the differently-sized nodes case', () => {
  const least = leastAllocatedScorer(cpuMem);
  assert.equal(least([3000, 5000], [4000, 10000]), 37);
  assert.equal(least([3000, 5000], [6000, 10000]), 50);
  assert.equal(least([0, 0], [4000, 10000]), 100);
  assert.equal(least([5000, 0], [4000, 10000]), 50, 'over capacity scores 0 for that resource');
  const most = mostAllocatedScorer(cpuMem);
  assert.equal(most([3000, 5000], [4000, 10000]), 62);
  assert.equal(most([3000, 5000], [6000, 10000]), 50);
  assert.equal(most([5000, 0], [4000, 10000]), 50, 'over capacity counts as full');
  assert.equal(balancedResourceScorer([3000, 5000], [4000, 10000]), 87);
  assert.equal(balancedResourceScorer([3000, 5000], [6000, 10000]), 100);
  assert.equal(balancedResourceScorer([1, 2, 3], [0, 0, 0]), 100);
  // three resources: fractions .5, .5, 1 → std = sqrt(((1/6)^2*2 + (1/3)^2)/3) ≈ 0.2357 → 76
  assert.equal(balancedResourceScorer([1, 1, 2], [2, 2, 2]), 76);
});

test('RequestedToCapacityRatio: broken linear shape scaled to 0–100', () => {
  const f = brokenLinearFunction([{ utilization: 10, score: 1 }, { utilization: 30, score: 5 }, { utilization: 70, score: 2 }]);
  assert.deepEqual([0, 10, 20, 30, 50, 70, 100].map(f), [1, 1, 3, 5, 4, 2, 2]);
  const spread = requestedToCapacityRatioScorer(cpuMem, [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }]);
  assert.equal(spread([0, 0], [4000, 10000]), 100);
  assert.equal(spread([3000, 5000], [4000, 10000]), 38, 'cpu 25, memory 50 → round(37.5)');
  const pack = requestedToCapacityRatioScorer(cpuMem, [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }]);
  assert.equal(pack([3000, 5000], [4000, 10000]), 63, 'round(62.5)');
  assert.equal(pack([0, 0], [4000, 10000]), 0);
});

test('defaultNormalizeScore', () => {
  const a = [0, 5, 10];
  defaultNormalizeScore(100, false, a);
  assert.deepEqual(a, [0, 50, 100]);
  const b = [0, 1, 3];
  defaultNormalizeScore(100, true, b);
  assert.deepEqual(b, [100, 67, 0]);
  const c = [0, 0];
  defaultNormalizeScore(100, true, c);
  assert.deepEqual(c, [100, 100]);
});

test('NodeResourcesFit score honours the 100m/200Mi defaults for pods without requests', () => {
  const fwk = new Framework(newInTreeRegistry(), {}, opts);
  const pl = fwk.plugin('NodeResourcesFit') as ScorePlugin;
  const ni = new NodeInfo(makeNode({ name: 'n', allocatable: { cpu: '1', memory: `${400 * 1024 * 1024}` } }));
  // cpu (1000-100)/1000 → 90; memory (400-200)/400 → 50; mean 70.
  assert.equal(pl.score(new CycleState(), makePod({ name: 'p' }), ni), 70);
});

test('node selector operators (upstream nodeaffinity helpers)', () => {
  const node = makeNode({ name: 'n1', labels: { zone: 'a', gen: '5' } });
  const match = (expr: object[], fields: object[] = []) =>
    new CompiledNodeSelector([{ matchExpressions: expr as never, matchFields: fields as never }]).match(node);
  assert.ok(match([{ key: 'gen', operator: 'Lt', values: ['6'] }]));
  assert.ok(!match([{ key: 'gen', operator: 'Gt', values: ['x'] }]), 'non-integer bound is invalid');
  assert.ok(!match([{ key: 'zone', operator: 'In', values: [] }]), 'In without values is invalid');
  assert.ok(match([{ key: 'zone', operator: 'NotIn', values: ['b'] }, { key: 'missing', operator: 'DoesNotExist' }]));
  assert.ok(!match([{ key: 'zone', operator: 'Exists', values: ['a'] }]), 'Exists with values is invalid');
  assert.ok(match([], [{ key: 'metadata.name', operator: 'In', values: ['n1'] }]));
  assert.ok(!match([], [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }]), 'field requirements take exactly one value');
  assert.ok(!match([], [{ key: 'metadata.uid', operator: 'In', values: ['n1'] }]));
  assert.ok(!new CompiledNodeSelector([]).match(node));
});

test('toleratesTaint (upstream core/v1 toleration_test.go)', () => {
  const taint = { key: 'foo', value: 'bar', effect: 'NoSchedule' as const };
  assert.ok(toleratesTaint({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, taint));
  assert.ok(toleratesTaint({ key: 'foo', value: 'bar' }, taint), 'empty effect matches all effects, empty operator is Equal');
  assert.ok(toleratesTaint({ operator: 'Exists' }, taint), 'empty key with Exists matches everything');
  assert.ok(!toleratesTaint({ key: 'foo', operator: 'Equal', value: 'baz' }, taint));
  assert.ok(!toleratesTaint({ key: 'foo', operator: 'Exists', effect: 'NoExecute' }, taint));
  assert.ok(!toleratesTaint({ key: 'foo', operator: 'Bogus' }, taint));
});
