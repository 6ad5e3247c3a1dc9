// The namespace deletion conditions as upstream's namespace deleter words them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletionConditions, mergeConditions, type DeletionReport } from './conditions.js';
import { deletableResources } from './discovery.js';
import { estimateGracefulTermination } from './namespace-controller.js';

const empty = (): DeletionReport => ({ discoveryFailures: [], contentFailures: [], remaining: new Map(), finalizers: new Map() });

test('a clean pass: all five conditions False with the success reasons', () => {
  assert.deepEqual(deletionConditions(empty()).map((c) => [c.type, c.status, c.reason]), [
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
    ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
    ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
  ]);
});

test('remaining content, finalizers and failures are worded as upstream', () => {
  const r = empty();
  r.remaining.set('pods.', 2);
  r.remaining.set('configmaps.', 1);
  r.finalizers.set('example.com/hold', 1);
  r.discoveryFailures.push('metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
  r.contentFailures.push('secrets.: forbidden');
  const byType = new Map(deletionConditions(r).map((c) => [c.type, c]));
  assert.deepEqual(byType.get('NamespaceContentRemaining'), {
    type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain',
    message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances',
  });
  assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'DiscoveryFailed');
  assert.match(byType.get('NamespaceDeletionDiscoveryFailure')?.message ?? '', /^Discovery failed for some groups, 1 failing: metrics/);
  assert.equal(byType.get('NamespaceDeletionContentFailure')?.message, 'Failed to delete all resource types, 1 remaining: secrets.: forbidden');
});

test('merging keeps transition times of unchanged statuses and reports no change when nothing changed', () => {
  const first = mergeConditions([{ type: 'Other', status: 'True' }], deletionConditions(empty()), 't1')!;
  assert.equal(first.length, 6);
  assert.ok(first.every((c) => c.type === 'Other' || c.lastTransitionTime === 't1'));
  assert.equal(mergeConditions(first, deletionConditions(empty()), 't2'), undefined);
  const r = empty();
  r.remaining.set('pods.', 1);
  r.finalizers.set('f', 1);
  const second = mergeConditions(first, deletionConditions(r), 't3')!;
  const byType = new Map(second.map((c) => [c.type, c]));
  assert.equal(byType.get('NamespaceContentRemaining')?.lastTransitionTime, 't3');
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.lastTransitionTime, 't1');
});

test('discovery keeps namespaced resources that can be listed and deleted', () => {
  const list = {
    resources: [
      { name: 'pods', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'deletecollection', 'get', 'list'] },
      { name: 'pods/status', namespaced: true, kind: 'Pod', verbs: ['get', 'update'] },
      { name: 'bindings', namespaced: true, kind: 'Binding', verbs: ['create'] },
      { name: 'nodes', namespaced: false, kind: 'Node', verbs: ['delete', 'list'] },
      { name: 'things', namespaced: true, kind: 'Thing', verbs: ['delete', 'list'] },
    ],
  };
  assert.deepEqual(deletableResources('', 'v1', list), [
    { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod', deleteCollection: true },
    { group: '', version: 'v1', plural: 'things', namespaced: true, kind: 'Thing', deleteCollection: false },
  ]);
});

test('graceful termination estimate: the longest grace of pods not yet finished', () => {
  assert.equal(estimateGracefulTermination([]), 0);
  assert.equal(estimateGracefulTermination([
    { spec: { terminationGracePeriodSeconds: 10 } },
    { spec: {}, status: { phase: 'Running' } },
    { spec: { terminationGracePeriodSeconds: 600 }, status: { phase: 'Succeeded' } },
  ]), 30);
  assert.equal(estimateGracefulTermination([{ metadata: { deletionGracePeriodSeconds: 5 }, spec: { terminationGracePeriodSeconds: 60 } }]), 5);
});
