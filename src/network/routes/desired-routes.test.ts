import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/index.js';
import { cidrContains, formatIPv4, parseIPv4, parseIPv4CIDR } from './cidr.js';
import { desiredRoutes, diffRoutes, parseInstalledRoutes, routeBatch, ROUTE_PROTOCOL } from './desired-routes.js';

const node = (name: string, podCIDR: string | string[] | undefined, ip: string | undefined, extra: Partial<Node['status']> = {}): Node => ({
  metadata: { name },
  spec: Array.isArray(podCIDR) ? { podCIDRs: podCIDR, podCIDR: podCIDR[0] } : podCIDR ? { podCIDR } : {},
  status: { addresses: [{ type: 'Hostname', address: name }, ...(ip ? [{ type: 'InternalIP', address: ip }] : [])], ...extra },
});

test('cidr: parse, canonicalise, contain', () => {
  assert.equal(parseIPv4('10.42.1.7'), 10 * 2 ** 24 + 42 * 2 ** 16 + 256 + 7);
  assert.equal(parseIPv4('10.42.1'), undefined);
  assert.equal(parseIPv4('10.42.1.256'), undefined);
  assert.equal(formatIPv4(parseIPv4('255.0.17.1')!), '255.0.17.1');
  assert.equal(parseIPv4CIDR('10.42.1.9/24')?.text, '10.42.1.0/24');
  assert.equal(parseIPv4CIDR('0.0.0.0/0')?.text, '0.0.0.0/0');
  assert.equal(parseIPv4CIDR('fd00::/64'), undefined);
  assert.equal(parseIPv4CIDR('10.0.0.0/33'), undefined);
  const cluster = parseIPv4CIDR('10.42.0.0/16')!;
  assert.equal(cidrContains(cluster, parseIPv4CIDR('10.42.255.0/24')!), true);
  assert.equal(cidrContains(cluster, parseIPv4CIDR('10.43.0.0/24')!), false);
  assert.equal(cidrContains(cluster, parseIPv4CIDR('10.0.0.0/8')!), false);
  assert.equal(cidrContains(cluster, cluster), true);
});

// Scenarios: the Nodes a node sees → the routes it wants.
const scenarios: { name: string; self: string; nodes: Node[]; clusters?: string[]; want: { dst: string; via: string; node: string }[] }[] = [
  {
    name: 'every other node with a pod CIDR and an InternalIP, not the node itself',
    self: 'a',
    nodes: [node('a', '10.42.0.0/24', '172.30.5.10'), node('b', '10.42.1.0/24', '172.30.5.11'), node('c', '10.42.2.0/24', '172.30.5.12')],
    want: [{ dst: '10.42.1.0/24', via: '172.30.5.11', node: 'b' }, { dst: '10.42.2.0/24', via: '172.30.5.12', node: 'c' }],
  },
  {
    name: 'nodes without a pod CIDR or without an IPv4 InternalIP get none',
    self: 'a',
    nodes: [node('a', '10.42.0.0/24', '172.30.5.10'), node('b', undefined, '172.30.5.11'), node('c', '10.42.2.0/24', undefined), node('d', '10.42.3.0/24', 'fd00::3')],
    want: [],
  },
  {
    name: 'pod CIDRs outside the cluster CIDR are refused (a Node cannot steer the default route)',
    self: 'a',
    nodes: [node('a', '10.42.0.0/24', '172.30.5.10'), node('b', '0.0.0.0/0', '172.30.5.11'), node('c', '192.168.0.0/24', '172.30.5.12'), node('d', '10.42.4.0/24', '172.30.5.13')],
    want: [{ dst: '10.42.4.0/24', via: '172.30.5.13', node: 'd' }],
  },
  {
    name: 'a pod CIDR claimed twice goes to the first node by name; the own CIDR never gets a route',
    self: 'a',
    nodes: [node('z', '10.42.1.0/24', '172.30.5.20'), node('b', '10.42.1.0/24', '172.30.5.11'), node('c', '10.42.0.0/24', '172.30.5.12'), node('a', '10.42.0.0/24', '172.30.5.10')],
    want: [{ dst: '10.42.1.0/24', via: '172.30.5.11', node: 'b' }],
  },
  {
    name: 'dual-stack pod CIDRs: the IPv4 ones only; a node at the own address is skipped',
    self: 'a',
    nodes: [node('a', '10.42.0.0/24', '172.30.5.10'), node('b', ['10.42.1.0/24', 'fd00:42:1::/64'], '172.30.5.11'), node('ghost', '10.42.9.0/24', '172.30.5.10')],
    want: [{ dst: '10.42.1.0/24', via: '172.30.5.11', node: 'b' }],
  },
  {
    name: 'several cluster CIDRs',
    self: 'a',
    clusters: ['10.42.0.0/16', '10.60.0.0/16'],
    nodes: [node('b', '10.60.1.0/24', '172.30.5.11'), node('c', '10.61.1.0/24', '172.30.5.12')],
    want: [{ dst: '10.60.1.0/24', via: '172.30.5.11', node: 'b' }],
  },
];
for (const s of scenarios) {
  test(`desiredRoutes: ${s.name}`, () => {
    assert.deepEqual(desiredRoutes(s.nodes, s.self, s.clusters ?? ['10.42.0.0/16']), s.want);
  });
}

test('parseInstalledRoutes keeps only our protocol, as canonical CIDRs', () => {
  const json = JSON.stringify([
    { dst: '10.42.1.0/24', gateway: '172.30.5.11', dev: 'eth0', protocol: String(ROUTE_PROTOCOL), flags: [] },
    { dst: '10.42.0.0/24', dev: 'capstan0', protocol: 'kernel', scope: 'link', prefsrc: '10.42.0.1', flags: [] },
    { dst: 'default', gateway: '172.30.5.1', dev: 'eth0', flags: [] },
    { dst: '10.42.7.3', gateway: '172.30.5.13', dev: 'eth0', protocol: '67', flags: [] },
  ]);
  assert.deepEqual(parseInstalledRoutes(json), [{ dst: '10.42.1.0/24', via: '172.30.5.11' }, { dst: '10.42.7.3/32', via: '172.30.5.13' }]);
  assert.deepEqual(parseInstalledRoutes(''), []);
  assert.deepEqual(parseInstalledRoutes('[]'), []);
});

test('diffRoutes: add new, repoint moved, remove stale, keep the rest; routeBatch writes ip -batch lines', () => {
  const desired = [{ dst: '10.42.1.0/24', via: '172.30.5.11', node: 'b' }, { dst: '10.42.2.0/24', via: '172.30.5.22', node: 'c' }, { dst: '10.42.3.0/24', via: '172.30.5.13', node: 'd' }];
  const installed = [{ dst: '10.42.1.0/24', via: '172.30.5.11' }, { dst: '10.42.2.0/24', via: '172.30.5.12' }, { dst: '10.42.9.0/24', via: '172.30.5.19' }];
  const changes = diffRoutes(desired, installed);
  assert.deepEqual(changes, { replace: [desired[1], desired[2]], remove: ['10.42.9.0/24'] });
  assert.equal(routeBatch(changes), [
    'route del 10.42.9.0/24 proto 67',
    'route replace 10.42.2.0/24 via 172.30.5.22 proto 67',
    'route replace 10.42.3.0/24 via 172.30.5.13 proto 67',
    '',
  ].join('\n'));
  assert.deepEqual(diffRoutes(desired, desired), { replace: [], remove: [] });
  assert.equal(routeBatch({ replace: [], remove: [] }), '');
});
