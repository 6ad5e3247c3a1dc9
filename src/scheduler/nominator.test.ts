// The nominator's bookkeeping (upstream nominator in scheduling_queue.go: AddNominatedPod,
// DeleteNominatedPodIfExists, UpdateNominatedPod, NominatedPodsForNode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nominator } from './nominator.js';
import { makePod } from './testdata/scenario.js';

const names = (n: Nominator, node: string) => n.nominatedPodsForNode(node).map((pi) => pi.pod.metadata!.name);

test('nominations per node, highest priority first; a new nomination moves the pod', () => {
  const n = new Nominator();
  n.add(makePod({ name: 'a', priority: 1 }), 'n1');
  n.add(makePod({ name: 'b', priority: 5 }), 'n1');
  n.add(makePod({ name: 'c', priority: 3 }), 'n2');
  assert.deepEqual(names(n, 'n1'), ['b', 'a']);
  n.add(makePod({ name: 'a', priority: 1 }), 'n2');
  assert.deepEqual([names(n, 'n1'), names(n, 'n2')], [['b'], ['c', 'a']]);
  assert.deepEqual(n.lowerPriorityNominatedPods(makePod({ name: 'x', priority: 3 }), 'n2').map((p) => p.metadata!.name), ['a']);
  n.add(makePod({ name: 'b', priority: 5 }), '');
  assert.deepEqual(names(n, 'n1'), []);
  assert.equal(n.nodeFor(makePod({ name: 'b' })), undefined);
});

test('informer updates: a set name wins, a cleared one ends it, none keeps the in-memory nomination', () => {
  const n = new Nominator();
  const p = makePod({ name: 'p', priority: 2 });
  n.add(p, 'n1');
  n.update(p, makePod({ name: 'p', priority: 2, labels: { v: '2' } }));
  assert.equal(n.nodeFor(p), 'n1', 'kept while the API has not caught up');
  assert.deepEqual(n.nominatedPodsForNode('n1')[0]!.pod.metadata!.labels, { v: '2' }, 'with the newer object');
  const withName = makePod({ name: 'p', status: { nominatedNodeName: 'n2' } });
  n.update(p, withName);
  assert.equal(n.nodeFor(p), 'n2');
  n.update(withName, makePod({ name: 'p' }));
  assert.equal(n.nodeFor(p), undefined);
  n.add(p, 'n1');
  n.delete(p);
  assert.deepEqual(names(n, 'n1'), []);
});
