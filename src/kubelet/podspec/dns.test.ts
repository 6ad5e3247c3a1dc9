import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podDNSConfig, parseResolvConf, resolvConfText } from './dns.js';
import { testNode, testPod } from './test-fixtures.js';

const CLUSTER_SEARCH = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

test('parseResolvConf: comments, last search line wins, trailing dots trimmed, options merged', () => {
  assert.deepEqual(parseResolvConf('# c\n; c\nnameserver 1.1.1.1\nnameserver 8.8.8.8\nsearch a.example.\nsearch b.example . c.example.\noptions ndots:2 rotate\noptions ndots:3\n'), {
    servers: ['1.1.1.1', '8.8.8.8'], searches: ['b.example', 'c.example'], options: ['ndots:3', 'rotate'],
  });
});

test('ClusterFirst: cluster DNS only, cluster search domains then the host’s, ndots:5', () => {
  assert.deepEqual(podDNSConfig(testPod(), testNode()), {
    servers: ['10.43.0.10'], searches: [...CLUSTER_SEARCH, 'example.com', 'corp.example.com'], options: ['ndots:5'],
  });
});

test('ClusterFirst with hostNetwork falls back to Default; ClusterFirstWithHostNet keeps the cluster DNS', () => {
  const host = { servers: ['192.168.1.1'], searches: ['example.com', 'corp.example.com'], options: ['timeout:2'] };
  assert.deepEqual(podDNSConfig(testPod({ hostNetwork: true }), testNode()), host);
  assert.deepEqual(podDNSConfig(testPod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), testNode()).servers, ['10.43.0.10']);
  assert.deepEqual(podDNSConfig(testPod({ dnsPolicy: 'Default' }), testNode()), host);
});

test('Default without a host resolv.conf: localhost and search "."', () => {
  assert.deepEqual(podDNSConfig(testPod({ dnsPolicy: 'Default' }), testNode({ hostResolvConf: undefined })), { servers: ['127.0.0.1'], searches: ['.'], options: [] });
});

test('no cluster DNS: ClusterFirst falls back to Default with a MissingClusterDNS event', () => {
  const node = testNode({ clusterDNS: [] });
  assert.deepEqual(podDNSConfig(testPod(), node).servers, ['192.168.1.1']);
  assert.deepEqual(node.events.map((e) => e.reason), ['MissingClusterDNS']);
});

test('None uses only spec.dnsConfig; dnsConfig merges into other policies (options overridden by name)', () => {
  const dnsConfig = { nameservers: ['1.2.3.4'], searches: ['my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
  assert.deepEqual(podDNSConfig(testPod({ dnsPolicy: 'None', dnsConfig }), testNode()), { servers: ['1.2.3.4'], searches: ['my.dns.search.suffix'], options: ['ndots:2', 'edns0'] });
  assert.deepEqual(podDNSConfig(testPod({ dnsConfig: { ...dnsConfig, searches: ['svc.cluster.local', 'x.example'] } }), testNode()), {
    servers: ['10.43.0.10', '1.2.3.4'], searches: [...CLUSTER_SEARCH, 'example.com', 'corp.example.com', 'x.example'], options: ['ndots:2', 'edns0'],
  });
});

test('limits: 3 nameservers, 32 search domains, 2048 characters, with DNSConfigForming events', () => {
  const node = testNode({ hostResolvConf: undefined });
  const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
  const cfg = podDNSConfig(testPod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches: many } }), node);
  assert.deepEqual(cfg.servers, ['1.1.1.1', '2.2.2.2', '3.3.3.3']);
  assert.deepEqual(cfg.searches, many.slice(0, 32));
  assert.deepEqual(node.events.map((e) => e.message), [
    'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3',
    `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${many.slice(0, 32).join(' ')}`,
  ]);
  const long = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(250)}`);
  const cut = podDNSConfig(testPod({ dnsPolicy: 'None', dnsConfig: { searches: [...long, 'x'.repeat(254)] } }), node);
  assert.ok(cut.searches.join(' ').length <= 2048);
  assert.deepEqual(cut.searches, long.slice(0, 8));
});

test('resolv.conf text', () => {
  assert.equal(resolvConfText({ servers: ['10.43.0.10'], searches: CLUSTER_SEARCH, options: ['ndots:5'] }),
    'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.43.0.10\noptions ndots:5\n');
});
