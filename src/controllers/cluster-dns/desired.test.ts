// The cluster DNS Service and slice as data: labelled nodes in, endpoints out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice, Node, Service } from '../../api/index.js';
import {
  CLUSTER_DNS_NODE_LABEL, desiredDNSService, desiredDNSSlice, dnsEndpoint, dnsEndpoints, sliceDiffers,
} from './desired.js';

const node = (name: string, opts: { dns?: boolean; ready?: 'True' | 'False' | 'Unknown'; ips?: string[]; zone?: string } = {}): Node => ({
  metadata: {
    name,
    labels: {
      ...(opts.dns === false ? {} : { [CLUSTER_DNS_NODE_LABEL]: 'true' }),
      ...(opts.zone ? { 'topology.kubernetes.io/zone': opts.zone } : {}),
    },
  },
  status: {
    addresses: [{ type: 'Hostname', address: name }, ...(opts.ips ?? ['10.0.0.1']).map((address) => ({ type: 'InternalIP', address }))],
    conditions: opts.ready ? [{ type: 'Ready', status: opts.ready }] : [],
  },
}) as Node;

const svc = { metadata: { name: 'kube-dns', namespace: 'kube-system', uid: 'svc-uid' }, spec: { ipFamilies: ['IPv4'] } } as Service;

test('the kube-dns Service: static IP, dns/dns-tcp on 53, no selector, internalTrafficPolicy Local', () => {
  const s = desiredDNSService('10.43.0.10');
  assert.equal(s.metadata?.namespace, 'kube-system');
  assert.equal(s.metadata?.name, 'kube-dns');
  assert.equal(s.metadata?.labels?.['k8s-app'], 'kube-dns');
  assert.equal(s.metadata?.labels?.['kubernetes.io/cluster-service'], 'true');
  assert.equal(s.spec?.clusterIP, '10.43.0.10');
  assert.deepEqual(s.spec?.clusterIPs, ['10.43.0.10']);
  assert.equal(s.spec?.selector, undefined);
  assert.equal(s.spec?.internalTrafficPolicy, 'Local');
  assert.deepEqual(s.spec?.ports, [
    { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
  ]);
});

test('a labelled node is an endpoint at its InternalIP, ready and serving only while Ready=True', () => {
  assert.deepEqual(dnsEndpoint(node('a', { ready: 'True', ips: ['10.0.0.5'], zone: 'z1' })), {
    addresses: ['10.0.0.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'a', zone: 'z1',
  });
  for (const ready of ['False', 'Unknown', undefined] as const) {
    assert.deepEqual(dnsEndpoint(node('a', { ready }))?.conditions, { ready: false, serving: false, terminating: false }, `Ready=${ready}`);
  }
});

test('unlabelled nodes, and nodes without an address of the family, are not endpoints', () => {
  assert.equal(dnsEndpoint(node('a', { dns: false, ready: 'True' })), undefined);
  assert.equal(dnsEndpoint(node('a', { ready: 'True', ips: [] })), undefined);
  assert.equal(dnsEndpoint(node('a', { ready: 'True', ips: ['fd00::1'] })), undefined);
  assert.deepEqual(dnsEndpoint(node('a', { ready: 'True', ips: ['fd00::1', '10.0.0.2'] }))?.addresses, ['10.0.0.2']);
  assert.deepEqual(dnsEndpoint(node('a', { ready: 'True', ips: ['10.0.0.2', 'fd00::1'] }), 'IPv6')?.addresses, ['fd00::1']);
  const off = node('b', { ready: 'True' });
  off.metadata!.labels![CLUSTER_DNS_NODE_LABEL] = 'false';
  assert.equal(dnsEndpoint(off), undefined);
});

test('endpoints come in node name order whatever the cache order', () => {
  const eps = dnsEndpoints([node('c', { ips: ['10.0.0.3'] }), node('a', { ips: ['10.0.0.1'] }), node('x', { dns: false }), node('b', { ips: ['10.0.0.2'] })]);
  assert.deepEqual(eps.map((e) => e.nodeName), ['a', 'b', 'c']);
});

test('the slice: fixed name, our labels, owned by the Service, dns ports; others\' labels and owners kept', () => {
  const fresh = desiredDNSSlice(svc, [node('a', { ready: 'True' })]);
  assert.equal(fresh.metadata?.name, 'kube-dns-nodes');
  assert.equal(fresh.addressType, 'IPv4');
  assert.deepEqual(fresh.metadata?.labels, { 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'cluster-dns.capstan.dev' });
  assert.deepEqual(fresh.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'kube-dns', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(fresh.ports, [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);

  const existing = {
    ...fresh,
    metadata: {
      ...fresh.metadata, resourceVersion: '7', uid: 'slice-uid', labels: { ...fresh.metadata?.labels, team: 'x' },
      // A stale controller ref to a deleted kube-dns is replaced; a non-controller owner stays.
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'kube-dns', uid: 'old-uid', controller: true }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'm', uid: 'cm' }],
    },
  } as EndpointSlice;
  const next = desiredDNSSlice(svc, [node('a', { ready: 'True' })], existing);
  assert.equal(next.metadata?.resourceVersion, '7');
  assert.equal(next.metadata?.labels?.team, 'x');
  assert.deepEqual(next.metadata?.ownerReferences?.map((r) => r.uid), ['cm', 'svc-uid']);
  assert.ok(sliceDiffers(existing, next), 'owner changed');
});

test('sliceDiffers: only our fields count', () => {
  const nodes = [node('a', { ready: 'True' }), node('b', { ready: 'True', ips: ['10.0.0.2'] })];
  const cur = { ...desiredDNSSlice(svc, nodes), metadata: { ...desiredDNSSlice(svc, nodes).metadata, resourceVersion: '3', annotations: { a: 'b' } } } as EndpointSlice;
  assert.equal(sliceDiffers(cur, desiredDNSSlice(svc, nodes, cur)), false);
  assert.equal(sliceDiffers(cur, desiredDNSSlice(svc, [nodes[0]!], cur)), true, 'a node left');
  assert.equal(sliceDiffers(cur, desiredDNSSlice(svc, [nodes[0]!, node('b', { ready: 'False', ips: ['10.0.0.2'] })], cur)), true, 'readiness');
  assert.equal(sliceDiffers({ ...cur, ports: [] }, desiredDNSSlice(svc, nodes, cur)), true, 'ports');
});
