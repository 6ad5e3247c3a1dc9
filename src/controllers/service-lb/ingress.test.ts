// The service-lb controller's ingress as data: nodes and a Service in, status.loadBalancer out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Service } from '../../api/index.js';
import { compareIPs, desiredIngress, isLoadBalancerNode, loadBalancerStatusUpdate } from './ingress.js';

const node = (name: string, ips: string[], opts: { ready?: boolean; unschedulable?: boolean; labels?: Record<string, string>; deleting?: boolean } = {}): Node => ({
  metadata: { name, labels: opts.labels ?? {}, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: opts.unschedulable ? { unschedulable: true } : {},
  status: {
    addresses: [{ type: 'Hostname', address: name }, { type: 'ExternalIP', address: '203.0.113.1' }, ...ips.map((address) => ({ type: 'InternalIP', address }))],
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
  },
}) as Node;

const lb = (extra: Partial<NonNullable<Service['spec']>> = {}, ingress?: { ip?: string; ipMode?: string }[]): Service => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'LoadBalancer', ipFamilies: ['IPv4'], ...extra },
  ...(ingress ? { status: { loadBalancer: { ingress } } } : {}),
}) as Service;

const nodes = [node('n3', ['10.0.0.10']), node('n1', ['10.0.0.9']), node('n2', ['10.0.0.2', 'fd00::2'])];

test('ingress: the InternalIPs of the Ready nodes, numerically sorted, ipMode VIP', () => {
  assert.deepEqual(desiredIngress(lb(), nodes), [
    { ip: '10.0.0.2', ipMode: 'VIP' }, { ip: '10.0.0.9', ipMode: 'VIP' }, { ip: '10.0.0.10', ipMode: 'VIP' },
  ]);
  // Cache order does not matter.
  assert.deepEqual(desiredIngress(lb(), [...nodes].reverse()), desiredIngress(lb(), nodes));
});

test('ineligible nodes are left out: not Ready, cordoned, deleting, opted out', () => {
  assert.equal(isLoadBalancerNode(node('a', ['10.0.0.1'], { ready: false })), false);
  assert.equal(isLoadBalancerNode(node('a', ['10.0.0.1'], { unschedulable: true })), false);
  assert.equal(isLoadBalancerNode(node('a', ['10.0.0.1'], { deleting: true })), false);
  assert.equal(isLoadBalancerNode(node('a', ['10.0.0.1'], { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } })), false);
  assert.equal(isLoadBalancerNode(node('a', ['10.0.0.1'], { labels: { 'node.capstan.dev/service-lb': 'false' } })), false);
  assert.equal(isLoadBalancerNode(node('a', ['10.0.0.1'], { labels: { 'node.capstan.dev/service-lb': 'true' } })), true);
  const mixed = [node('a', ['10.0.0.1']), node('b', ['10.0.0.2'], { ready: false }), node('c', ['10.0.0.3'], { unschedulable: true })];
  assert.deepEqual(desiredIngress(lb(), mixed).map((i) => i.ip), ['10.0.0.1']);
});

test('IP families follow the Service: dual-stack lists IPv4 then IPv6', () => {
  assert.deepEqual(desiredIngress(lb({ ipFamilies: ['IPv6'] }), nodes).map((i) => i.ip), ['fd00::2']);
  assert.deepEqual(desiredIngress(lb({ ipFamilies: ['IPv4', 'IPv6'] }), nodes).map((i) => i.ip), ['10.0.0.2', '10.0.0.9', '10.0.0.10', 'fd00::2']);
  // Two nodes reporting the same address give one ingress entry.
  assert.deepEqual(desiredIngress(lb(), [node('a', ['10.0.0.1']), node('b', ['10.0.0.1'])]).map((i) => i.ip), ['10.0.0.1']);
});

test('status update: written only when it differs; a loadBalancerClass is never touched; non-LB cleared', () => {
  assert.deepEqual(loadBalancerStatusUpdate(lb(), nodes)?.ingress?.length, 3);
  assert.equal(loadBalancerStatusUpdate(lb({}, desiredIngress(lb(), nodes)), nodes), undefined);
  assert.equal(loadBalancerStatusUpdate(lb({ loadBalancerClass: 'example.com/lb' }, [{ ip: '1.2.3.4', ipMode: 'VIP' }]), nodes), undefined);
  assert.equal(loadBalancerStatusUpdate(lb({ loadBalancerClass: 'example.com/lb' }), nodes), undefined);
  assert.deepEqual(loadBalancerStatusUpdate(lb({ type: 'ClusterIP' }, [{ ip: '10.0.0.2', ipMode: 'VIP' }]), nodes), {});
  assert.equal(loadBalancerStatusUpdate(lb({ type: 'ClusterIP' }), nodes), undefined);
  // No eligible node: the ingress goes away (kubectl shows <pending>).
  assert.deepEqual(loadBalancerStatusUpdate(lb({}, [{ ip: '10.0.0.2', ipMode: 'VIP' }]), [node('a', ['10.0.0.1'], { ready: false })]), {});
});

test('compareIPs orders IPv4 numerically and IPv6 by its expanded form', () => {
  assert.deepEqual(['10.0.0.10', '9.0.0.1', '10.0.0.9'].sort(compareIPs), ['9.0.0.1', '10.0.0.9', '10.0.0.10']);
  assert.deepEqual(['fd00::10', 'fd00::9', 'fd00:0:0:1::1'].sort(compareIPs), ['fd00::9', 'fd00::10', 'fd00:0:0:1::1']);
});
