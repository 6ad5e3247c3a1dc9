import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindPod, validateBinding, type Binding, type BindablePod } from './binding.js';
import { formatFieldError } from '../field-errors.js';

const NOW = '2024-05-01T10:00:00Z';
const binding = (node = 'n1', annotations?: Record<string, string>): Binding => ({ metadata: { name: 'p', annotations }, target: { kind: 'Node', apiVersion: 'v1', name: node } });

test('validateBinding requires a Node target with a name', () => {
  assert.deepEqual(validateBinding(binding()), []);
  assert.deepEqual(validateBinding({ metadata: { name: 'p' }, target: { kind: 'Pod', name: '' } }).map(formatFieldError), [
    'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
    'target.name: Required value',
  ]);
});

test('bindPod assigns the node, copies annotations and marks the pod scheduled', () => {
  const pod: BindablePod = {
    metadata: { name: 'p', annotations: { a: '1' } }, spec: {},
    status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no nodes', lastTransitionTime: '2024-05-01T09:00:00Z' }] },
  };
  assert.equal(bindPod(pod, binding('n1', { b: '2' }), NOW), undefined);
  assert.equal(pod.spec!.nodeName, 'n1');
  assert.deepEqual(pod.metadata!.annotations, { a: '1', b: '2' });
  assert.deepEqual(pod.status!.conditions, [{ type: 'PodScheduled', status: 'True', lastTransitionTime: NOW }]);

  const fresh: BindablePod = { metadata: { name: 'q' }, spec: {} };
  assert.equal(bindPod(fresh, binding(), NOW), undefined);
  assert.deepEqual(fresh.status!.conditions, [{ type: 'PodScheduled', status: 'True', lastTransitionTime: NOW }]);
});

test('bindPod refuses bound, gated and terminating pods', () => {
  const cases: [BindablePod, string][] = [
    [{ metadata: { name: 'p' }, spec: { nodeName: 'n0' } }, 'pod p is already assigned to node "n0"'],
    [{ metadata: { name: 'p' }, spec: { schedulingGates: [{ name: 'x' }] } }, 'pod p has non-empty .spec.schedulingGates'],
    [{ metadata: { name: 'p', deletionTimestamp: NOW }, spec: {} }, 'pod p is being deleted, cannot be assigned to a host'],
  ];
  for (const [pod, msg] of cases) {
    const before = structuredClone(pod);
    assert.equal(bindPod(pod, binding(), NOW), msg);
    assert.deepEqual(pod, before);
  }
});
