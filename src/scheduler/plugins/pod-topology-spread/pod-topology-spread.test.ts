import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorFromObject, labelSelectorFromSet, matchesLabels, type Node, type Pod } from '../../../api/index.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interfaces.js';
import { NodeInfo, PodInfo } from '../../framework/node-info.js';
import type { Handle } from '../../framework/registry.js';
import { Snapshot } from '../../framework/snapshot.js';
import { Code } from '../../framework/status.js';
import { makeNode, makePod, type PodSpecShort } from '../../testdata/scenario.js';
import { countPodsMatchSelector, ownerDerivedSelector } from './constraints.js';
import { factory, type PodTopologySpreadArgs } from './pod-topology-spread.js';

type Plugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;

function setup(args: PodTopologySpreadArgs, snapshot: Snapshot): Plugin {
  const handle = { snapshot: () => snapshot } as unknown as Handle;
  return factory({ defaultingType: 'System', ...args }, handle) as Plugin;
}

const owned = (p: PodSpecShort, kind = 'ReplicaSet'): Pod => {
  const pod = makePod(p);
  pod.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind, name: 'web-abc', uid: 'rs-uid', controller: true }];
  return pod;
};

/** Raw Score of every node, then NormalizeScore, as the framework runs them. */
function scores(pl: Plugin, pod: Pod, snapshot: Snapshot): Record<string, number> {
  const state = new CycleState();
  const nodes = snapshot.nodeInfoList;
  const s = pl.preScore(state, pod, nodes);
  if (s.isSkip()) return {};
  const raw = nodes.map((ni) => pl.score(state, pod, ni) as number);
  pl.scoreExtensions!()!.normalizeScore(state, pod, raw, nodes);
  return Object.fromEntries(nodes.map((ni, i) => [ni.name, raw[i]!]));
}

test('ownerDerivedSelector: workload-controlled pods only, per-pod labels dropped', () => {
  const sts = owned({ name: 'db-0', labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'controller-revision-hash': 'h1' } }, 'StatefulSet');
  const sel = ownerDerivedSelector(sts)!;
  assert.ok(matchesLabels(sel, { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1', 'controller-revision-hash': 'h2' }));
  assert.ok(!matchesLabels(sel, { app: 'web' }));
  assert.equal(ownerDerivedSelector(makePod({ name: 'bare', labels: { app: 'db' } })), undefined);
  assert.equal(ownerDerivedSelector(owned({ name: 'j', labels: { app: 'x' } }, 'Job')), undefined);
});

test('system default constraints spread a ReplicaSet across hosts; bare pods are not default-spread', () => {
  const labels = { app: 'web', 'pod-template-hash': 'abc' };
  const snapshot = Snapshot.fromObjects([makeNode({ name: 'n1' }), makeNode({ name: 'n2' })], [
    owned({ name: 'web-1', node: 'n1', labels }), owned({ name: 'web-2', node: 'n1', labels }),
  ]);
  const pl = setup({}, snapshot);
  const s = scores(pl, owned({ name: 'web-3', labels }), snapshot);
  assert.ok(s.n2! > s.n1!, JSON.stringify(s));
  assert.deepEqual(scores(pl, makePod({ name: 'bare', labels }), snapshot), {});
  // System defaults are ScheduleAnyway only: PreFilter skips.
  assert.equal((pl.preFilter(new CycleState(), owned({ name: 'web-3', labels }), snapshot.nodeInfoList) as { code: Code }).code, Code.Skip);
});

test('an injected default selector replaces the owner fallback (Services)', () => {
  const snapshot = Snapshot.fromObjects([makeNode({ name: 'n1' }), makeNode({ name: 'n2' })], [
    makePod({ name: 'svc-1', node: 'n2', labels: { tier: 'api' } }),
  ]);
  const pl = setup({ defaultSelector: (p) => (p.metadata?.labels?.tier ? labelSelectorFromSet({ tier: 'api' }) : undefined) }, snapshot);
  const s = scores(pl, makePod({ name: 'svc-2', labels: { tier: 'api' } }), snapshot);
  assert.ok(s.n1! > s.n2!, JSON.stringify(s));
});

test('DoNotSchedule: Filter reasons and codes; addPod/removePod are inverses', () => {
  const snapshot = Snapshot.fromObjects([
    makeNode({ name: 'a', labels: { zone: 'z1' } }), makeNode({ name: 'b', labels: { zone: 'z2' } }), makeNode({ name: 'c' }),
  ], [makePod({ name: 'a1', node: 'a', labels: { foo: '' } })]);
  const pl = setup({}, snapshot);
  const pod = makePod({ name: 'p', labels: { foo: '' }, spec: { topologySpreadConstraints: [
    { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { foo: '' } } },
  ] } });
  const state = new CycleState();
  pl.preFilter(state, pod, snapshot.nodeInfoList);
  const [a, b, c] = snapshot.nodeInfoList as [typeof snapshot.nodeInfoList[0], typeof snapshot.nodeInfoList[0], typeof snapshot.nodeInfoList[0]];
  assert.equal(pl.filter(state, pod, a).code, Code.Unschedulable);
  assert.equal(pl.filter(state, pod, a).message(), "node(s) didn't match pod topology spread constraints");
  assert.ok(pl.filter(state, pod, b).isSuccess());
  assert.equal(pl.filter(state, pod, c).code, Code.UnschedulableAndUnresolvable);
  assert.equal(pl.filter(state, pod, c).message(), "node(s) didn't match pod topology spread constraints (missing required label)");

  const ext = pl.preFilterExtensions!()!;
  const added = new PodInfo(makePod({ name: 'b1', node: 'b', labels: { foo: '' } }));
  const what = state.clone();
  ext.addPod(what, pod, added, b);
  assert.ok(pl.filter(what, pod, a).isSuccess(), 'z1=1, z2=1: a fits after a pod is added to z2');
  ext.removePod(what, pod, added, b);
  assert.equal(pl.filter(what, pod, a).code, Code.Unschedulable);
  // A pod of another namespace changes nothing; the original state was not touched by the clone's updates.
  ext.addPod(what, pod, new PodInfo(makePod({ name: 'o', namespace: 'other', node: 'b', labels: { foo: '' } })), b);
  assert.equal(pl.filter(what, pod, a).code, Code.Unschedulable);
  assert.equal(pl.filter(state, pod, a).code, Code.Unschedulable);
});

test('nodeTaintsPolicy Honor leaves untolerated tainted nodes out of the domains', () => {
  const snapshot = Snapshot.fromObjects([
    makeNode({ name: 'a', labels: { zone: 'z1' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
    makeNode({ name: 'b', labels: { zone: 'z2' } }),
  ], [makePod({ name: 'b1', node: 'b', labels: { foo: '' } })]);
  const pl = setup({}, snapshot);
  const mk = (policy: string): Pod => makePod({ name: 'p', labels: { foo: '' }, spec: { topologySpreadConstraints: [
    { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { foo: '' } }, nodeTaintsPolicy: policy },
  ] } });
  const b = snapshot.get('b')!;
  for (const [policy, fits] of [['Ignore', false], ['Honor', true]] as const) {
    const state = new CycleState();
    const pod = mk(policy);
    pl.preFilter(state, pod, snapshot.nodeInfoList);
    assert.equal(pl.filter(state, pod, b).isSuccess(), fits, policy);
  }
});

test('countPodsMatchSelector remembers counts per NodeInfo generation, selector and namespace', () => {
  const labelled = (name: string, ns: string, color: string): Pod =>
    ({ metadata: { name, namespace: ns, uid: name, labels: { color } }, spec: { containers: [{ name: 'c', image: 'i' }] } }) as Pod;
  const ni = new NodeInfo({ metadata: { name: 'n' }, status: { allocatable: { cpu: '4', pods: '110' } } } as Node, [labelled('a', 'x', 'blue'), labelled('b', 'x', 'red')]);
  const blue = labelSelectorFromObject({ matchLabels: { color: 'blue' } });
  const blueAgain = labelSelectorFromObject({ matchLabels: { color: 'blue' } });
  assert.equal(countPodsMatchSelector(ni, blue, 'x'), 1);
  assert.equal(countPodsMatchSelector(ni, blueAgain, 'x'), 1, 'an equal selector parsed again');
  assert.equal(countPodsMatchSelector(ni, blue, 'y'), 0, 'another namespace is counted apart');
  ni.addPod(labelled('c', 'x', 'blue'));
  assert.equal(countPodsMatchSelector(ni, blue, 'x'), 2, 'a changed NodeInfo is counted again');
  const copy = ni.clone();
  copy.removePod(labelled('a', 'x', 'blue'));
  assert.equal(countPodsMatchSelector(copy, blue, 'x'), 1, 'a mutated copy (preemption) is counted again');
  assert.equal(countPodsMatchSelector(ni, blue, 'x'), 2, 'the original keeps its count');
  assert.equal(countPodsMatchSelector(ni, labelSelectorFromObject({ matchLabels: { color: 'red' } }), 'x'), 1);
});
