import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, PodSpec } from '../../api/index.js';
import { nodeShouldRunDaemonPod, pinToNode, targetNodeName, withDaemonTolerations } from './eligibility.js';

const node = (name: string, taints: { key: string; value?: string; effect: string }[] = [], labels: Record<string, string> = {}) =>
  ({ metadata: { name, labels }, spec: { taints } }) as Node;
const spec = (extra: Partial<PodSpec> = {}) => ({ containers: [{ name: 'c', image: 'x' }], ...extra }) as PodSpec;

test('upstream NodeShouldRunDaemonPod: taints, default tolerations, nodeSelector and affinity', () => {
  assert.deepEqual(nodeShouldRunDaemonPod(node('a'), spec()), { shouldRun: true, shouldContinueRunning: true });
  // NoSchedule untolerated: no new pod, an existing one stays.
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]), spec()), { shouldRun: false, shouldContinueRunning: true });
  // NoExecute untolerated: nothing may run.
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', [{ key: 'dedicated', effect: 'NoExecute' }]), spec()), { shouldRun: false, shouldContinueRunning: false });
  // A matching toleration.
  assert.equal(nodeShouldRunDaemonPod(node('a', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]), spec({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] })).shouldRun, true);
  // The defaults every daemon pod gets.
  for (const key of ['node.kubernetes.io/unschedulable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure']) {
    assert.equal(nodeShouldRunDaemonPod(node('a', [{ key, effect: 'NoSchedule' }]), spec()).shouldRun, true, key);
  }
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    assert.equal(nodeShouldRunDaemonPod(node('a', [{ key, effect: 'NoExecute' }]), spec()).shouldRun, true, key);
  }
  const netDown = node('a', [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]);
  assert.equal(nodeShouldRunDaemonPod(netDown, spec()).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(netDown, spec({ hostNetwork: true })).shouldRun, true, 'hostNetwork pods tolerate network-unavailable');
  // nodeSelector, required affinity and nodeName.
  assert.equal(nodeShouldRunDaemonPod(node('a', [], { disk: 'ssd' }), spec({ nodeSelector: { disk: 'ssd' } })).shouldRun, true);
  assert.deepEqual(nodeShouldRunDaemonPod(node('a'), spec({ nodeSelector: { disk: 'ssd' } })), { shouldRun: false, shouldContinueRunning: false });
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } };
  assert.equal(nodeShouldRunDaemonPod(node('a', [], { zone: 'z1' }), spec({ affinity })).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('a', [], { zone: 'z2' }), spec({ affinity })).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('a'), spec({ nodeName: 'b' })).shouldRun, false);
});

test('default tolerations replace an equal one and are appended otherwise', () => {
  const ts = withDaemonTolerations(spec({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }, { key: 'x', operator: 'Exists' }] }));
  assert.equal(ts.length, 7);
  assert.equal(ts.filter((t) => t.key === 'node.kubernetes.io/unschedulable').length, 1);
  assert.deepEqual(ts[1], { key: 'x', operator: 'Exists' });
});

test('a daemon pod is pinned by a matchFields metadata.name term, and its target node read back', () => {
  const a = pinToNode({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'Exists' }] }] } }, podAffinity: {} }, 'n1');
  assert.deepEqual(a.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] });
  assert.deepEqual(a.podAffinity, {});
  assert.equal(targetNodeName({ containers: [], affinity: a }), 'n1');
  assert.equal(targetNodeName({ containers: [], nodeName: 'n2', affinity: a }), 'n2');
  assert.equal(targetNodeName({ containers: [] }), undefined);
});
