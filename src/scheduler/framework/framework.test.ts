import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Framework } from './framework.js';
import { Registry } from './registry.js';
import { CycleState } from './cycle-state.js';
import { NodeInfo } from './node-info.js';
import { Code, SKIP, Status, SUCCESS } from './status.js';
import { defaultConfiguration, mergePluginSet } from './config.js';
import { PreFilterResult, type BindPlugin, type FilterPlugin, type PermitPlugin, type PostFilterPlugin, type PreFilterPlugin, type ReservePlugin, type ScorePlugin } from './interfaces.js';
import { newInTreeRegistry } from '../plugins/registry.js';
import { makeNode, makePod } from '../testdata/scenario.js';

const opts = { clock: () => 0 };

test('default profile: upstream plugin order and score weights', () => {
  const fwk = new Framework(newInTreeRegistry(), {}, opts);
  const l = fwk.listPlugins();
  assert.equal(fwk.profileName, 'default-scheduler');
  assert.deepEqual(l.preEnqueue, ['SchedulingGates']);
  assert.deepEqual(l.queueSort, ['PrioritySort']);
  assert.deepEqual(l.preFilter, ['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(l.filter, ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(l.preScore, ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation']);
  assert.deepEqual(l.score, ['TaintToleration:3', 'NodeAffinity:2', 'NodeResourcesFit:1', 'PodTopologySpread:2', 'InterPodAffinity:2', 'NodeResourcesBalancedAllocation:1']);
  assert.deepEqual(l.bind, ['DefaultBinder']);
});

test('enable/disable merging as upstream', () => {
  // A default plugin re-configured in place keeps its position with the new weight.
  const merged = mergePluginSet({ enabled: [{ name: 'A' }, { name: 'B', weight: 1 }, { name: 'C' }] }, { enabled: [{ name: 'D' }, { name: 'B', weight: 5 }], disabled: [{ name: 'C' }] });
  assert.deepEqual(merged.enabled, [{ name: 'A' }, { name: 'B', weight: 5 }, { name: 'D' }]);
  assert.deepEqual(mergePluginSet({ enabled: [{ name: 'A' }] }, { disabled: [{ name: '*' }], enabled: [{ name: 'X' }] }).enabled, [{ name: 'X' }]);

  // Score weight overridden at the score point; a filter disabled at one point only.
  const fwk = new Framework(newInTreeRegistry(), { plugins: {
    score: { enabled: [{ name: 'NodeResourcesFit', weight: 7 }], disabled: [{ name: 'TaintToleration' }] },
    filter: { disabled: [{ name: 'NodePorts' }] },
  } }, opts);
  const l = fwk.listPlugins();
  assert.deepEqual(l.score, ['NodeResourcesFit:7', 'NodeAffinity:2', 'PodTopologySpread:2', 'InterPodAffinity:2', 'NodeResourcesBalancedAllocation:1']);
  assert.ok(!l.filter!.includes('NodePorts'));
  assert.ok(l.preFilter!.includes('NodePorts'));

  const all = new Framework(newInTreeRegistry(), { plugins: { score: { disabled: [{ name: '*' }] } } }, opts);
  assert.equal(all.hasScorePlugins(), false);
});

test('configuration errors as upstream', () => {
  assert.throws(() => new Framework(newInTreeRegistry(), { plugins: { filter: { enabled: [{ name: 'Nope' }] } } }, opts), /plugin "Nope" does not exist/);
  assert.throws(() => new Framework(newInTreeRegistry(), { plugins: { filter: { enabled: [{ name: 'PrioritySort' }] } } }, opts), /does not extend Filter plugin/);
  assert.throws(() => new Framework(newInTreeRegistry(), { plugins: { queueSort: { disabled: [{ name: '*' }] } } }, opts), /one queue sort plugin/);
  assert.throws(() => new Framework(newInTreeRegistry(), { pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'Bogus' } } }] }, opts), /not supported/);
  const cfg = defaultConfiguration({ profiles: [{ schedulerName: 'a' }, {}] });
  assert.deepEqual(cfg.profiles.map((p) => p.schedulerName), ['a', 'default-scheduler']);
  assert.equal(cfg.percentageOfNodesToScore, 0);
});

function customFramework(extra: Record<string, (args: unknown) => object>, profile: object): Framework {
  const reg = newInTreeRegistry();
  for (const [name, f] of Object.entries(extra)) reg.register(name, (a) => ({ name, ...f(a) }));
  return new Framework(reg, profile, opts);
}

test('PreFilter: Skip skips Filter; results intersect; empty intersection names the plugins', () => {
  const a = { preFilter: () => new PreFilterResult(new Set(['n1', 'n2'])) } satisfies Omit<PreFilterPlugin, 'name'>;
  const b = { preFilter: () => new PreFilterResult(new Set(['n2', 'n3'])) } satisfies Omit<PreFilterPlugin, 'name'>;
  const c = { preFilter: () => new PreFilterResult(new Set(['n3'])) } satisfies Omit<PreFilterPlugin, 'name'>;
  let filterCalls = 0;
  const s = { preFilter: () => SKIP, filter: () => { filterCalls++; return SUCCESS; } } satisfies Omit<PreFilterPlugin & FilterPlugin, 'name'>;
  const fwk = customFramework({ A: () => a, B: () => b, C: () => c, S: () => s },
    { plugins: { preFilter: { enabled: [{ name: 'A' }, { name: 'B' }, { name: 'S' }] }, filter: { enabled: [{ name: 'S' }] } } });
  const state = new CycleState();
  const out = fwk.runPreFilterPlugins(state, makePod({ name: 'p' }), []);
  assert.ok(out.status.isSuccess());
  assert.deepEqual([...out.nodeNames!], ['n2']);
  assert.ok(fwk.runFilterPlugins(state, makePod({ name: 'p' }), new NodeInfo(makeNode({ name: 'n2' }))).isSuccess());
  assert.equal(filterCalls, 0);

  const fwk2 = customFramework({ A: () => a, C: () => c }, { plugins: { preFilter: { enabled: [{ name: 'A' }, { name: 'C' }] } } });
  const out2 = fwk2.runPreFilterPlugins(new CycleState(), makePod({ name: 'p' }), []);
  assert.equal(out2.status.code, Code.UnschedulableAndUnresolvable);
  assert.equal(out2.status.message(), "node(s) didn't satisfy plugin(s) [A C] simultaneously");
});

test('runScorePlugins: normalize, weight, range check', () => {
  const raw = { score: (_s: CycleState, _p: unknown, ni: NodeInfo) => Number(ni.name.slice(1)),
    scoreExtensions: () => ({ normalizeScore: (_s: CycleState, _p: unknown, scores: number[]) => { for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! * 10; return SUCCESS; } }) };
  const fwk = customFramework({ R: () => raw satisfies Omit<ScorePlugin, 'name'> },
    { plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: 'R', weight: 3 }] } } });
  const nodes = ['n1', 'n2', 'n5'].map((n) => new NodeInfo(makeNode({ name: n })));
  const out = fwk.runScorePlugins(new CycleState(), makePod({ name: 'p' }), nodes);
  assert.ok(!(out instanceof Status));
  assert.deepEqual(out.totals, [30, 60, 150]);

  const bad = customFramework({ R: () => ({ score: () => 101 }) },
    { plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: 'R' }] } } });
  const err = bad.runScorePlugins(new CycleState(), makePod({ name: 'p' }), nodes);
  assert.ok(err instanceof Status);
  assert.equal(err.message(), 'plugin "R" returns an invalid score 101, it should in the range of [0, 100] after normalizing');
});

test('binding cycle: reserve, unreserve in reverse, permit wait, bind skip', async () => {
  const log: string[] = [];
  const reserve = (name: string, fail = false) => () => ({
    reserve: () => { log.push(`reserve ${name}`); return fail ? new Status(Code.Unschedulable, ['no']) : SUCCESS; },
    unreserve: () => { log.push(`unreserve ${name}`); },
  }) satisfies Omit<ReservePlugin, 'name'>;
  const permit = { permit: () => ({ status: new Status(Code.Wait), timeoutMs: 500 }) } satisfies Omit<PermitPlugin, 'name'>;
  const skipBind = { bind: async () => SKIP } satisfies Omit<BindPlugin, 'name'>;
  const fwk = customFramework({ R1: reserve('R1'), R2: reserve('R2', true), P: () => permit, SkipBind: () => skipBind }, { plugins: {
    reserve: { enabled: [{ name: 'R1' }, { name: 'R2' }] }, permit: { enabled: [{ name: 'P' }] },
    bind: { enabled: [{ name: 'SkipBind' }, { name: 'DefaultBinder' }], disabled: [{ name: '*' }] },
  } });
  const state = new CycleState();
  const pod = makePod({ name: 'p' });
  const s = fwk.runReservePluginsReserve(state, pod, 'n1');
  assert.equal(s.plugin, 'R2');
  fwk.runReservePluginsUnreserve(state, pod, 'n1');
  assert.deepEqual(log, ['reserve R1', 'reserve R2', 'unreserve R2', 'unreserve R1']);
  const p = fwk.runPermitPlugins(state, pod, 'n1');
  assert.equal(p.status.code, Code.Wait);
  assert.equal(p.timeoutMs, 500);
  // DefaultBinder without a binder is an Error, reached after SkipBind skipped.
  const b = await fwk.runBindPlugins(state, pod, 'n1');
  assert.equal(b.code, Code.Error);
  assert.equal(b.plugin, 'DefaultBinder');
});

test('PostFilter: first success wins, rejections aggregate', () => {
  const no = (msg: string) => (): Omit<PostFilterPlugin, 'name'> => ({ postFilter: () => ({ status: new Status(Code.Unschedulable, [msg]) }) });
  const fwk = customFramework({ X: no('x'), Y: no('y') }, { plugins: { postFilter: { enabled: [{ name: 'X' }, { name: 'Y' }], disabled: [{ name: 'DefaultPreemption' }] } } });
  const r = fwk.runPostFilterPlugins(new CycleState(), makePod({ name: 'p' }), { statuses: new Map(), absentNodesStatus: new Status(Code.UnschedulableAndUnresolvable) });
  assert.deepEqual([r.status.code, r.status.reasons, r.status.plugin], [Code.Unschedulable, ['x', 'y'], 'X']);
});

test('CycleState.clone deep-copies data through clone()', () => {
  class Counter { constructor(public n: number) {} clone(): Counter { return new Counter(this.n); } }
  const s = new CycleState();
  s.write('k', new Counter(1));
  s.skipFilterPlugins.add('A');
  const c = s.clone();
  c.read<Counter>('k')!.n = 2;
  c.skipFilterPlugins.add('B');
  assert.equal(s.read<Counter>('k')!.n, 1);
  assert.deepEqual([...s.skipFilterPlugins], ['A']);
});

test('Registry rejects duplicates', () => {
  const r = new Registry();
  r.register('A', () => ({ name: 'A' }));
  assert.throws(() => r.register('A', () => ({ name: 'A' })), /a plugin named A already exists/);
});
