// Node authorizer decisions, as upstream's node authorizer and system:node rules pin them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorizerChain, discoveryAuthorizer, forbiddenMessage, mastersAuthorizer, type AuthorizationAttributes } from './authorizer.js';
import { nodeAuthorizer, nodeIdentity } from './node-authorizer.js';

const node = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const chain = new AuthorizerChain([mastersAuthorizer, nodeAuthorizer, discoveryAuthorizer]);
const req = (verb: string, group: string, resource: string, extra: Partial<AuthorizationAttributes> = {}): AuthorizationAttributes =>
  ({ user: node, verb, isResourceRequest: true, group, resource, subresource: '', namespace: '', name: '', ...extra });
const allowed = (a: AuthorizationAttributes) => chain.authorize(a).decision === 'allow';

test('nodeIdentity needs both the system:nodes group and the system:node: prefix', () => {
  assert.equal(nodeIdentity(node), 'n1');
  assert.equal(nodeIdentity({ name: 'system:node:n1', groups: [] }), undefined);
  assert.equal(nodeIdentity({ name: 'alice', groups: ['system:nodes'] }), undefined);
  assert.equal(nodeIdentity({ name: 'system:node:', groups: ['system:nodes'] }), undefined);
});

test('a node reads what a kubelet reads', () => {
  for (const [g, r] of [['', 'nodes'], ['', 'pods'], ['', 'services'], ['', 'endpoints'], ['discovery.k8s.io', 'endpointslices'], ['', 'configmaps'],
    ['', 'secrets'], ['', 'persistentvolumeclaims'], ['', 'persistentvolumes'], ['', 'namespaces'], ['node.k8s.io', 'runtimeclasses']] as const) {
    for (const verb of ['get', 'list', 'watch']) assert.ok(allowed(req(verb, g, r, { namespace: r === 'nodes' ? '' : 'default' })), `${verb} ${g}/${r}`);
  }
  assert.equal(allowed(req('list', 'apps', 'deployments', { namespace: 'default' })), false);
  assert.equal(allowed(req('create', '', 'secrets', { namespace: 'default' })), false);
});

test('a node writes its own Node, node status and Lease only', () => {
  assert.ok(allowed(req('create', '', 'nodes')));
  assert.ok(allowed(req('patch', '', 'nodes', { name: 'n1' })));
  assert.ok(allowed(req('update', '', 'nodes', { name: 'n1', subresource: 'status' })));
  assert.equal(allowed(req('patch', '', 'nodes', { name: 'n2' })), false);
  assert.equal(allowed(req('patch', '', 'nodes', { name: 'n2', subresource: 'status' })), false);
  assert.equal(allowed(req('delete', '', 'nodes', { name: 'n1' })), false);
  assert.ok(allowed(req('create', 'coordination.k8s.io', 'leases', { namespace: 'kube-node-lease' })));
  assert.ok(allowed(req('update', 'coordination.k8s.io', 'leases', { namespace: 'kube-node-lease', name: 'n1' })));
  assert.equal(allowed(req('update', 'coordination.k8s.io', 'leases', { namespace: 'kube-node-lease', name: 'n2' })), false);
  assert.equal(allowed(req('create', 'coordination.k8s.io', 'leases', { namespace: 'kube-system' })), false);
});

test('pods: status and delete (object checks in NodeRestriction), never create or evict', () => {
  assert.ok(allowed(req('patch', '', 'pods', { namespace: 'default', name: 'p', subresource: 'status' })));
  assert.ok(allowed(req('delete', '', 'pods', { namespace: 'default', name: 'p' })));
  assert.equal(allowed(req('create', '', 'pods', { namespace: 'default' })), false);
  assert.equal(allowed(req('update', '', 'pods', { namespace: 'default', name: 'p' })), false);
  assert.equal(allowed(req('create', '', 'pods', { namespace: 'default', name: 'p', subresource: 'eviction' })), false);
  assert.ok(allowed(req('create', '', 'events', { namespace: 'default' })));
  assert.ok(allowed(req('create', 'events.k8s.io', 'events', { namespace: 'default' })));
});

test('others get no opinion; the denial reads as upstream', () => {
  const alice = { name: 'alice', groups: ['system:authenticated'] };
  assert.equal(nodeAuthorizer.authorize({ ...req('get', '', 'pods'), user: alice }).decision, 'noOpinion');
  const a = req('patch', '', 'nodes', { name: 'n2' });
  assert.equal(chain.authorize(a).decision, 'deny');
  assert.equal(forbiddenMessage(a), 'nodes "n2" is forbidden: User "system:node:n1" cannot patch resource "nodes" in API group "" at the cluster scope');
  assert.ok(nodeAuthorizer.rulesFor!(node, 'default').resourceRules.length > 0);
  assert.deepEqual(nodeAuthorizer.rulesFor!(alice, 'default').resourceRules, []);
});
