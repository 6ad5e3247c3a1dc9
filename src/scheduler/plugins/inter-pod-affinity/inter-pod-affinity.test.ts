import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/index.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interfaces.js';
import { PodInfo } from '../../framework/node-info.js';
import type { Handle } from '../../framework/registry.js';
import { Snapshot } from '../../framework/snapshot.js';
import { Code, type Status } from '../../framework/status.js';
import { makeNode, makePod } from '../../testdata/scenario.js';
import { factory, type InterPodAffinityArgs } from './inter-pod-affinity.js';
import { affinityOf } from './terms.js';

type Plugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;

function setup(args: InterPodAffinityArgs, snapshot: Snapshot): Plugin {
  const handle = { snapshot: () => snapshot } as unknown as Handle;
  return factory({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false, ...args }, handle) as Plugin;
}

function scores(pl: Plugin, pod: Pod, snapshot: Snapshot): Record<string, number> | undefined {
  const state = new CycleState();
  const nodes = snapshot.nodeInfoList;
  if (pl.preScore(state, pod, nodes).isSkip()) return undefined;
  const raw = nodes.map((ni) => pl.score(state, pod, ni) as number);
  pl.scoreExtensions!()!.normalizeScore(state, pod, raw, nodes);
  return Object.fromEntries(nodes.map((ni, i) => [ni.name, raw[i]!]));
}

const antiTo = (labels: Record<string, string>, topologyKey = 'kubernetes.io/hostname') => ({
  affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey }] } },
});

test('terms are parsed once per pod object; default namespace is the pod\'s own', () => {
  const pod = makePod({ name: 'p', namespace: 'ns1', spec: antiTo({ app: 'x' }) });
  const a = affinityOf(pod);
  assert.equal(affinityOf(pod), a);
  assert.deepEqual([...a.requiredAntiAffinity[0]!.namespaces], ['ns1']);
  assert.ok(a.requiredAntiAffinity[0]!.matches(makePod({ name: 'q', namespace: 'ns1', labels: { app: 'x' } }), {}));
  assert.ok(!a.requiredAntiAffinity[0]!.matches(makePod({ name: 'q', namespace: 'ns2', labels: { app: 'x' } }), {}));
});

test('equal terms of different pods are one interned term; its incoming-pod memo follows the pod', () => {
  const a = affinityOf(makePod({ name: 'a', spec: antiTo({ app: 'x' }) })).requiredAntiAffinity[0]!;
  const b = affinityOf(makePod({ name: 'b', spec: antiTo({ app: 'x' }) })).requiredAntiAffinity[0]!;
  assert.equal(a, b);
  assert.ok(a.matchesIncoming(makePod({ name: 'x1', labels: { app: 'x' } }), {}));
  assert.ok(!a.matchesIncoming(makePod({ name: 'y1', labels: { app: 'y' } }), {}));
});

test('namespaceSelector uses the injected namespace labels', () => {
  const snapshot = Snapshot.fromObjects([makeNode({ name: 'n1', labels: { zone: 'z1' } }), makeNode({ name: 'n2', labels: { zone: 'z2' } })], [
    makePod({ name: 'e', namespace: 'prod-a', node: 'n2', labels: { app: 'db' } }),
  ]);
  const pod = makePod({ name: 'p', spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [
    { labelSelector: { matchLabels: { app: 'db' } }, namespaceSelector: { matchLabels: { env: 'prod' } }, topologyKey: 'zone' },
  ] } } } });
  const run = (pl: Plugin): boolean[] => {
    const state = new CycleState();
    pl.preFilter(state, pod, snapshot.nodeInfoList);
    return snapshot.nodeInfoList.map((ni) => pl.filter(state, pod, ni).isSuccess());
  };
  assert.deepEqual(run(setup({ namespaceLabels: (ns) => (ns.startsWith('prod-') ? { env: 'prod' } : undefined) }, snapshot)), [false, true]);
  // Without a lookup the selector selects nothing: no pod matches, and the pod does not match itself.
  assert.deepEqual(run(setup({}, snapshot)), [false, false]);
});

test('Filter reasons; addPod/removePod update the existing anti-affinity counts', () => {
  const snapshot = Snapshot.fromObjects([makeNode({ name: 'n1' }), makeNode({ name: 'n2' })], []);
  const pl = setup({}, snapshot);
  const pod = makePod({ name: 'p', labels: { app: 'web' } });
  const state = new CycleState();
  assert.equal((pl.preFilter(state, pod, snapshot.nodeInfoList) as Status).code, Code.Skip, 'nothing to check');
  // Preemption adds a pod whose anti-affinity rejects `p` on n1.
  const state2 = new CycleState();
  const pod2 = makePod({ name: 'p2', labels: { app: 'web' }, spec: antiTo({ app: 'web' }) });
  pl.preFilter(state2, pod2, snapshot.nodeInfoList);
  const [n1, n2] = snapshot.nodeInfoList as [typeof snapshot.nodeInfoList[0], typeof snapshot.nodeInfoList[0]];
  const ext = pl.preFilterExtensions!()!;
  const victim = new PodInfo(makePod({ name: 'v', node: 'n1', labels: { app: 'web' }, spec: antiTo({ app: 'web' }) }));
  ext.addPod(state2, pod2, victim, n1);
  const s = pl.filter(state2, pod2, n1);
  assert.equal(s.code, Code.Unschedulable);
  assert.equal(s.message(), "node(s) didn't match pod anti-affinity rules");
  assert.ok(pl.filter(state2, pod2, n2).isSuccess());
  ext.removePod(state2, pod2, victim, n1);
  assert.ok(pl.filter(state2, pod2, n1).isSuccess());
  // Only the existing pod's anti-affinity (the incoming pod has none of its own).
  const state3 = new CycleState();
  const withAnti = Snapshot.fromObjects([makeNode({ name: 'n1' })], [makePod({ name: 'e', node: 'n1', labels: { x: '1' }, spec: antiTo({ app: 'web' }) })]);
  pl.preFilter(state3, pod, withAnti.nodeInfoList);
  assert.equal(pl.filter(state3, pod, withAnti.nodeInfoList[0]!).message(), "node(s) didn't satisfy existing pods anti-affinity rules");
});

test('scoring: hardPodAffinityWeight and ignorePreferredTermsOfExistingPods', () => {
  const nodes = [makeNode({ name: 'n1', labels: { region: 'r1' } }), makeNode({ name: 'n2', labels: { region: 'r2' } })];
  const existing = makePod({ name: 'e', node: 'n1', labels: { app: 'fe' }, spec: { affinity: { podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { svc: 's1' } }, topologyKey: 'region' }],
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { svc: 's1' } }, topologyKey: 'region' } }],
  } } } });
  const snapshot = Snapshot.fromObjects(nodes, [existing]);
  const pod = makePod({ name: 'p', labels: { svc: 's1' } });
  assert.deepEqual(scores(setup({}, snapshot), pod, snapshot), { n1: 100, n2: 0 });
  assert.deepEqual(scores(setup({ hardPodAffinityWeight: 0 }, snapshot), pod, snapshot), { n1: 100, n2: 0 });
  assert.equal(scores(setup({ hardPodAffinityWeight: 0, ignorePreferredTermsOfExistingPods: true }, snapshot), pod, snapshot), undefined);
  // Preferred anti-affinity of the incoming pod outweighs the existing pod's pull.
  const anti = makePod({ name: 'q', labels: { svc: 's1' }, spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'fe' } }, topologyKey: 'region' } },
  ] } } } });
  assert.deepEqual(scores(setup({}, snapshot), anti, snapshot), { n1: 0, n2: 100 });
});
