import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNode, buildNodeLease, checkQuantity, goArch, healthyConditions, hollowNodeIP, hollowPodCIDR } from './node-object.js';

const template = { cpu: '4', memory: '8Gi', pods: '10', ephemeralStorage: '1Gi', labels: { 'kubernetes.io/os': 'custom', extra: 'yes' }, taints: [{ key: 'k', effect: 'NoExecute' }], containerRuntimeVersion: 'fake://1.0' };

test('buildNode: kubelet-shaped registration with user labels last', () => {
  const n = buildNode('n-7', 7, template, Date.UTC(2024, 0, 1, 0, 0, 0, 750));
  assert.equal(n.metadata?.labels?.['kubernetes.io/hostname'], 'n-7');
  assert.equal(n.metadata?.labels?.['kubernetes.io/os'], 'custom');
  assert.equal(n.metadata?.labels?.extra, 'yes');
  assert.equal(n.metadata?.labels?.['kubernetes.io/arch'], goArch());
  assert.deepEqual(n.spec?.taints, [{ key: 'k', effect: 'NoExecute' }]);
  assert.equal(n.status?.capacity?.pods, '10');
  assert.deepEqual(n.status?.addresses, [{ type: 'InternalIP', address: '172.16.0.8' }, { type: 'Hostname', address: 'n-7' }]);
  assert.equal(n.status?.conditions?.[3]?.lastHeartbeatTime, '2024-01-01T00:00:00Z');
  assert.deepEqual(buildNode('x', 0, { ...template, taints: [] }, 0).spec, {});
});

test('addresses and pod ranges are distinct per node index', () => {
  assert.equal(hollowNodeIP(0), '172.16.0.1');
  assert.equal(hollowNodeIP(255), '172.16.1.0');
  assert.equal(hollowPodCIDR(0), '100.64.0.0/24');
  assert.equal(hollowPodCIDR(4999), '100.83.135.0/24');
  assert.equal(goArch('x64'), 'amd64');
});

test('healthyConditions keeps lastTransitionTime while the status holds, resets it on change', () => {
  const first = healthyConditions(1_000_000);
  const later = healthyConditions(2_000_000, first);
  assert.equal(later[3]!.lastTransitionTime, first[3]!.lastTransitionTime);
  assert.notEqual(later[3]!.lastHeartbeatTime, first[3]!.lastHeartbeatTime);
  const afterUnknown = healthyConditions(3_000_000, [{ ...first[3]!, status: 'Unknown' }]);
  assert.equal(afterUnknown[3]!.lastTransitionTime, new Date(3_000_000).toISOString().replace('.000Z', 'Z'));
});

test('buildNodeLease: renewTime in MicroTime, owned by the Node', () => {
  const l = buildNodeLease('n', 'uid-1', Date.UTC(2024, 0, 1, 0, 0, 1, 234));
  assert.equal(l.spec?.renewTime, '2024-01-01T00:00:01.234000Z');
  assert.equal(l.metadata?.namespace, 'kube-node-lease');
  assert.deepEqual(l.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'uid-1' }]);
  assert.equal(checkQuantity('--cpu', '500m'), '500m');
  assert.throws(() => checkQuantity('--memory', 'lots'), /invalid --memory "lots"/);
});
