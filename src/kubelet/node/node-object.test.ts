import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/index.js';
import { buildNodeLease, defaultNodeLabels, nodeImages, reconcileExistingNode, registrationNode, renewedLease } from './node-object.js';
import { nodeStatusChanged, type NodeStatus } from './node-status.js';

test('nodeImages: largest first, at most 50, up to 5 names (digests then tags)', () => {
  const imgs = Array.from({ length: 55 }, (_, i) => ({ id: `sha256:${i}`, repoTags: [`t${i}:a`, `t${i}:b`, `t${i}:c`], repoDigests: [`t${i}@sha256:1`, `t${i}@sha256:2`, `t${i}@sha256:3`], size: i, layerDirs: [] }));
  const out = nodeImages([...imgs, { id: 'sha256:none', repoTags: [], repoDigests: [], size: 1e9, layerDirs: [] }]);
  assert.equal(out.length, 49, 'a nameless image takes one of the 50 slots and is left out (upstream lists it with no names)');
  assert.equal(out[0]!.sizeBytes, 54);
  assert.deepEqual(out[0]!.names, ['t54@sha256:1', 't54@sha256:2', 't54@sha256:3', 't54:a', 't54:b']);
});

test('registration: default labels under --node-labels, taints only at creation', () => {
  const n = registrationNode('n1', { 'kubernetes.io/os': 'custom', pool: 'x' }, [{ key: 'k', effect: 'NoSchedule' }]);
  assert.deepEqual(n.metadata?.labels, { ...defaultNodeLabels('n1'), 'kubernetes.io/os': 'custom', pool: 'x' });
  assert.deepEqual(n.spec?.taints, [{ key: 'k', effect: 'NoSchedule' }]);
  const existing: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { ...defaultNodeLabels('n1'), 'kubernetes.io/os': 'custom', pool: 'x', other: 'kept' }, annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } }, spec: {} };
  assert.equal(reconcileExistingNode(existing, n), undefined);
  assert.deepEqual(reconcileExistingNode({ ...existing, metadata: { name: 'n1', labels: { pool: 'y' } } }, n), {
    metadata: { labels: { ...defaultNodeLabels('n1'), 'kubernetes.io/os': 'custom', pool: 'x' }, annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
  });
});

test('the Lease: owned by the Node, renewed keeping its resourceVersion', () => {
  const l = buildNodeLease('n1', 'uid-1', Date.UTC(2026, 0, 1));
  assert.deepEqual(l.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'uid-1' }]);
  assert.equal(l.spec?.leaseDurationSeconds, 40);
  const r = renewedLease({ ...l, metadata: { ...l.metadata, resourceVersion: '7' } }, 'n1', Date.UTC(2026, 0, 1, 0, 0, 10));
  assert.equal(r.metadata?.resourceVersion, '7');
  assert.equal(Date.parse(r.spec!.renewTime!) - Date.parse(l.spec!.renewTime!), 10_000);
});

test('nodeStatusChanged ignores heartbeats and key order', () => {
  const s: NodeStatus = { capacity: { cpu: '2', memory: '1Gi' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'a', lastTransitionTime: 't' }] };
  const reordered: NodeStatus = { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'b', lastTransitionTime: 't' }], capacity: { memory: '1Gi', cpu: '2' } };
  assert.equal(nodeStatusChanged(s, reordered), false);
  assert.equal(nodeStatusChanged(s, { ...reordered, capacity: { cpu: '3', memory: '1Gi' } }), true);
  assert.equal(nodeStatusChanged(undefined, s), true);
});
