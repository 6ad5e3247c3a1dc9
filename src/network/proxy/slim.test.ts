// slim.ts: the informer transforms keep what the proxy reads (so building from slim objects gives
// the same ServicePortInfos as from full ones) and drop the rest; the Node's NodePort addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { nodeAddressesOf, slimEndpointSlice, slimNode, slimService } from './slim.js';
import { servicePortsFor, type EndpointSliceLike, type ServiceLike } from './service-ports.js';

const fullService = {
  apiVersion: 'v1', kind: 'Service',
  metadata: { namespace: 'default', name: 'web', resourceVersion: '42', uid: 'u1', annotations: { big: 'x'.repeat(1000) }, managedFields: [{ manager: 'kubectl' }], labels: { app: 'web' } },
  spec: {
    type: 'LoadBalancer', clusterIP: '10.43.0.9', clusterIPs: ['10.43.0.9'], selector: { app: 'web' }, externalIPs: ['192.0.2.9'],
    ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP', appProtocol: 'http' }],
    sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 30 } },
    internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Local', ipFamilies: ['IPv4'],
  },
  status: { loadBalancer: { ingress: [{ ip: '192.0.2.1', ports: [{ port: 80, protocol: 'TCP' }] }] } },
} as unknown as KubeObject;

const fullSlice = {
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { namespace: 'default', name: 'web-abc', resourceVersion: '43', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'x' }, ownerReferences: [{ kind: 'Service' }] },
  addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }],
  endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', hostname: 'web-0', targetRef: { kind: 'Pod', name: 'web-0' }, zone: 'z' }],
} as unknown as KubeObject;

test('slim objects build the same ServicePortInfos as the full ones', () => {
  const id = { nodeName: 'n1' };
  const full = servicePortsFor(fullService as ServiceLike, [fullSlice as EndpointSliceLike], id);
  const slim = servicePortsFor(slimService(fullService) as ServiceLike, [slimEndpointSlice(fullSlice) as EndpointSliceLike], id);
  assert.deepEqual(slim, full);
  assert.equal(full[0]!.sessionAffinityTimeoutSeconds, 30);
  assert.deepEqual(full[0]!.loadBalancerIPs, ['192.0.2.1']);
});

test('slim objects keep the informer metadata and drop the rest', () => {
  const s = slimService(fullService) as any;
  assert.deepEqual(s.metadata, { name: 'web', namespace: 'default', resourceVersion: '42' });
  assert.equal(s.spec.selector, undefined);
  const e = slimEndpointSlice(fullSlice) as any;
  assert.deepEqual(e.metadata.labels, { 'kubernetes.io/service-name': 'web' });
  assert.equal(e.endpoints[0].targetRef, undefined);
  assert.ok(JSON.stringify(s).length + JSON.stringify(e).length < (JSON.stringify(fullService).length + JSON.stringify(fullSlice).length) / 2);
});

test('nodeAddressesOf: InternalIPs first, then ExternalIPs, no hostnames, no duplicates', () => {
  const node = { metadata: { name: 'n1', resourceVersion: '1' }, status: { addresses: [
    { type: 'Hostname', address: 'n1' }, { type: 'ExternalIP', address: '198.51.100.1' }, { type: 'InternalIP', address: '192.0.2.1' },
    { type: 'InternalIP', address: '192.0.2.1' }, { type: 'InternalDNS', address: 'n1.local' },
  ] } } as unknown as KubeObject;
  assert.deepEqual(nodeAddressesOf(slimNode(node)), ['192.0.2.1', '198.51.100.1']);
  assert.deepEqual(nodeAddressesOf({}), []);
});
