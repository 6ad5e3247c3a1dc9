// NodeRestriction: the object-level half of node authorization.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, leases, nodes, pods, type KubeObject, type ResourceType } from '../../api/index.js';
import type { AdmissionAttributes, Operation } from './chain.js';
import { nodeRestriction } from './node-restriction.js';

const n1 = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const plugin = nodeRestriction();

function check(rt: ResourceType, operation: Operation, name: string, opts: { namespace?: string; subresource?: string; object?: KubeObject; oldObject?: KubeObject; user?: AdmissionAttributes['user'] } = {}): string | undefined {
  try {
    void plugin.validate!({ operation, rt, name, namespace: opts.namespace ?? '', subresource: opts.subresource ?? '', object: opts.object, oldObject: opts.oldObject, user: opts.user ?? n1, dryRun: false });
    return undefined;
  } catch (e) {
    assert.ok(isStatusError(e) && e.code === 403, String(e));
    return e.status.message;
  }
}

const node = (name: string, extra: object = {}) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, ...extra }) as KubeObject;
const pod = (nodeName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName, containers: [] } }) as KubeObject;

test('a node creates and updates only its own Node', () => {
  assert.equal(check(nodes as ResourceType, 'CREATE', 'n1', { object: node('n1') }), undefined);
  assert.equal(check(nodes as ResourceType, 'CREATE', 'n2', { object: node('n2') }), 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
  assert.equal(check(nodes as ResourceType, 'UPDATE', 'n2', { object: node('n2'), oldObject: node('n2'), subresource: 'status' }), 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
  assert.equal(check(nodes as ResourceType, 'UPDATE', 'n1', { object: node('n1'), oldObject: node('n1'), subresource: 'status' }), undefined);
});

test('a node may not change its taints or node-restriction labels after registering', () => {
  const tainted = node('n1', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } });
  assert.equal(check(nodes as ResourceType, 'CREATE', 'n1', { object: tainted }), undefined);
  assert.equal(check(nodes as ResourceType, 'UPDATE', 'n1', { object: node('n1'), oldObject: tainted }), 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
  const labelled = node('n1', { metadata: { name: 'n1', labels: { 'node-restriction.kubernetes.io/pool': 'a' } } });
  assert.match(check(nodes as ResourceType, 'CREATE', 'n1', { object: labelled }) ?? '', /not allowed to set the following labels: node-restriction.kubernetes.io\/pool/);
  assert.match(check(nodes as ResourceType, 'UPDATE', 'n1', { object: labelled, oldObject: node('n1') }) ?? '', /not allowed to modify labels/);
});

test('leases: only kube-node-lease/<own name>', () => {
  assert.equal(check(leases as ResourceType, 'CREATE', 'n1', { namespace: 'kube-node-lease' }), undefined);
  assert.equal(check(leases as ResourceType, 'UPDATE', 'n2', { namespace: 'kube-node-lease' }), 'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
});

test('pods: status and delete only for pods bound to the node', () => {
  assert.equal(check(pods as ResourceType, 'UPDATE', 'p', { namespace: 'default', subresource: 'status', object: pod('n1'), oldObject: pod('n1') }), undefined);
  assert.equal(check(pods as ResourceType, 'UPDATE', 'p', { namespace: 'default', subresource: 'status', object: pod('n1'), oldObject: pod('n2') }), 'pods "p" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
  assert.equal(check(pods as ResourceType, 'DELETE', 'p', { namespace: 'default', oldObject: pod('n1') }), undefined);
  assert.equal(check(pods as ResourceType, 'DELETE', 'p', { namespace: 'default', oldObject: pod('') }), 'pods "p" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
  assert.match(check(pods as ResourceType, 'CREATE', 'p', { namespace: 'default', object: pod('n1') }) ?? '', /not allowed to create pods/);
});

test('other users are not restricted', () => {
  const admin = { name: 'system:admin', groups: ['system:masters'] };
  assert.equal(check(nodes as ResourceType, 'UPDATE', 'n2', { object: node('n2'), oldObject: node('n2'), user: admin }), undefined);
});
