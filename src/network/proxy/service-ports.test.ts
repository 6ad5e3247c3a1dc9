// Scenarios for service-ports.ts: Services + EndpointSlices in, ServicePortInfos out, each pinning
// an upstream kube-proxy behaviour (servicechangetracker.go / endpointslicecache.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildServicePorts, familiesOfCIDRs, servicePortsFor, shouldSkipService, sliceServiceKey, type EndpointSliceLike, type ServiceLike } from './service-ports.js';
import { clusterEndpoints, externalEndpoints } from './model.js';

const me = { nodeName: 'node-a' };

function svc(name: string, spec: ServiceLike['spec'], extra: Partial<ServiceLike> = {}): ServiceLike {
  return { metadata: { namespace: 'default', name }, spec: { type: 'ClusterIP', clusterIP: '10.43.0.5', clusterIPs: ['10.43.0.5'], ...spec }, ...extra };
}

function slice(name: string, service: string, ports: EndpointSliceLike['ports'], endpoints: EndpointSliceLike['endpoints'], addressType = 'IPv4', namespace = 'default'): EndpointSliceLike {
  return { metadata: { namespace, name, labels: { 'kubernetes.io/service-name': service } }, addressType, ports, endpoints };
}

test('one ServicePortInfo per port, endpoints matched by port name and protocol', () => {
  const s = svc('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns', port: 53, protocol: 'TCP' }] });
  const sl = slice('web-1', 'web', [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }], [
    { addresses: ['10.42.0.2'], conditions: { ready: true }, nodeName: 'node-a' },
    { addresses: ['10.42.1.2'], conditions: { ready: true }, nodeName: 'node-b' },
  ]);
  const ports = servicePortsFor(s, [sl], me);
  assert.deepEqual(ports.map((p) => p.key), ['default/web:http/TCP', 'default/web:dns/UDP', 'default/web:dns/TCP']);
  assert.deepEqual(ports[0]!.endpoints.map((e) => `${e.ip}:${e.port}:${e.isLocal}`), ['10.42.0.2:8080:true', '10.42.1.2:8080:false']);
  assert.deepEqual(ports[1]!.endpoints.map((e) => `${e.ip}:${e.port}`), ['10.42.0.2:5353', '10.42.1.2:5353']);
  assert.deepEqual(ports[2]!.endpoints, [], 'no slice port dns/TCP: no endpoints');
  assert.equal(ports[0]!.port, 80);
  assert.deepEqual(ports[0]!.clusterIPs, ['10.43.0.5']);
});

test('an unnamed port matches the slice port with an empty or absent name; protocol defaults to TCP', () => {
  const s = svc('one', { ports: [{ port: 80 }] });
  const sl = slice('one-x', 'one', [{ port: 9000 }], [{ addresses: ['10.42.0.9'] }]);
  const [p] = servicePortsFor(s, [sl], me);
  assert.equal(p!.key, 'default/one:/TCP');
  assert.deepEqual(p!.endpoints.map((e) => e.port), [9000]);
});

test('endpoints merge over every slice of the Service, dedup by ip:port, other Services ignored', () => {
  const s = svc('web', { ports: [{ name: 'http', port: 80 }] });
  const a = slice('web-a', 'web', [{ name: 'http', port: 8080 }], [{ addresses: ['10.42.0.2'], nodeName: 'node-b' }, { addresses: ['10.42.0.3'] }]);
  const b = slice('web-b', 'web', [{ name: 'http', port: 8080 }], [{ addresses: ['10.42.0.2'], nodeName: 'node-a' }, { addresses: ['10.42.0.4'] }]);
  const other = slice('api-a', 'api', [{ name: 'http', port: 8080 }], [{ addresses: ['10.42.0.99'] }]);
  const otherNs = slice('web-z', 'web', [{ name: 'http', port: 8080 }], [{ addresses: ['10.42.0.98'] }], 'IPv4', 'prod');
  const [p] = servicePortsFor(s, [b, a, other, otherNs], me);
  assert.deepEqual(p!.endpoints.map((e) => e.ip), ['10.42.0.2', '10.42.0.3', '10.42.0.4']);
  assert.equal(p!.endpoints[0]!.isLocal, true, 'the local copy of a duplicate wins');
  assert.equal(p!.endpoints[0]!.nodeName, 'node-a');
});

test('the same address on two target ports (a targetPort rollout) is two endpoints', () => {
  const s = svc('web', { ports: [{ name: 'http', port: 80 }] });
  const a = slice('web-a', 'web', [{ name: 'http', port: 8080 }], [{ addresses: ['10.42.0.2'] }]);
  const b = slice('web-b', 'web', [{ name: 'http', port: 8081 }], [{ addresses: ['10.42.0.2'] }]);
  assert.deepEqual(servicePortsFor(s, [a, b], me)[0]!.endpoints.map((e) => e.port), [8080, 8081]);
});

test('conditions default as upstream: ready unset → true, serving unset → true, terminating unset → false', () => {
  const s = svc('web', { ports: [{ port: 80 }] });
  const sl = slice('web-a', 'web', [{ port: 80 }], [
    { addresses: ['10.42.0.1'] },
    { addresses: ['10.42.0.2'], conditions: { ready: false } },
    { addresses: ['10.42.0.3'], conditions: { ready: false, serving: true, terminating: true } },
    { addresses: ['10.42.0.4'], conditions: { ready: false, serving: false, terminating: true } },
    { addresses: [] },
  ]);
  const eps = servicePortsFor(s, [sl], me)[0]!.endpoints;
  assert.deepEqual(eps.map((e) => [e.ip, e.ready, e.serving, e.terminating]), [
    ['10.42.0.1', true, true, false],
    ['10.42.0.2', false, true, false],
    ['10.42.0.3', false, true, true],
    ['10.42.0.4', false, false, true],
  ]);
  assert.deepEqual(clusterEndpoints(servicePortsFor(s, [sl], me)[0]!).map((e) => e.ip), ['10.42.0.1']);
});

test('terminating fallback: with no ready endpoint, serving+terminating ones are used (model.ts picks)', () => {
  const s = svc('web', { ports: [{ port: 80 }] });
  const sl = slice('web-a', 'web', [{ port: 80 }], [
    { addresses: ['10.42.0.3'], conditions: { ready: false, serving: true, terminating: true } },
    { addresses: ['10.42.0.4'], conditions: { ready: false, serving: false, terminating: true } },
  ]);
  assert.deepEqual(clusterEndpoints(servicePortsFor(s, [sl], me)[0]!).map((e) => e.ip), ['10.42.0.3']);
});

test('headless, ExternalName and cluster-IP-less Services get no ports', () => {
  assert.deepEqual(servicePortsFor(svc('h', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] }), [], me), []);
  assert.deepEqual(servicePortsFor(svc('e', { type: 'ExternalName', clusterIP: undefined, clusterIPs: undefined, ports: [{ port: 80 }] }), [], me), []);
  assert.equal(shouldSkipService({ spec: { clusterIP: '' } }), true);
  assert.deepEqual(servicePortsFor(undefined, [], me), []);
});

test('NodePort and LoadBalancer carry nodePort; ClusterIP does not', () => {
  const np = servicePortsFor(svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), [], me)[0]!;
  assert.equal(np.nodePort, 30080);
  const lb = servicePortsFor(svc('lb', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30081 }] }), [], me)[0]!;
  assert.equal(lb.nodePort, 30081);
  const lbNoNP = servicePortsFor(svc('lb2', { type: 'LoadBalancer', ports: [{ port: 80 }] }), [], me)[0]!;
  assert.equal(lbNoNP.nodePort, undefined, 'allocateLoadBalancerNodePorts: false');
  const cip = servicePortsFor(svc('c', { ports: [{ port: 80, nodePort: 30082 }] }), [], me)[0]!;
  assert.equal(cip.nodePort, undefined);
});

test('LoadBalancer ingress IPs (not hostnames, not ipMode Proxy) and externalIPs', () => {
  const lb = servicePortsFor(svc('lb', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30081 }], externalIPs: ['192.0.2.10'] }, {
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { hostname: 'lb.example' }, { ip: '192.0.2.2', ipMode: 'Proxy' }, { ip: '192.0.2.3', ipMode: 'VIP' }] } },
  }), [], me)[0]!;
  assert.deepEqual(lb.loadBalancerIPs, ['192.0.2.1', '192.0.2.3']);
  assert.deepEqual(lb.externalIPs, ['192.0.2.10']);
  const notLB = servicePortsFor(svc('c', { ports: [{ port: 80 }] }, { status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } } }), [], me)[0]!;
  assert.deepEqual(notLB.loadBalancerIPs, [], 'ingress of a non-LoadBalancer Service is ignored');
});

test('sessionAffinity ClientIP: default timeout 10800, or the configured one; None: unset', () => {
  assert.equal(servicePortsFor(svc('a', { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }), [], me)[0]!.sessionAffinityTimeoutSeconds, 10800);
  assert.equal(servicePortsFor(svc('b', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] }), [], me)[0]!.sessionAffinityTimeoutSeconds, 60);
  assert.equal(servicePortsFor(svc('c', { sessionAffinity: 'None', ports: [{ port: 80 }] }), [], me)[0]!.sessionAffinityTimeoutSeconds, undefined);
});

test('traffic policies: internal Local always applies; external Local only when externally accessible', () => {
  const eps = [slice('t-a', 't', [{ port: 80 }], [{ addresses: ['10.42.0.1'], nodeName: 'node-a' }, { addresses: ['10.42.1.1'], nodeName: 'node-b' }])];
  const itp = servicePortsFor(svc('t', { internalTrafficPolicy: 'Local', ports: [{ port: 80 }] }), eps, me)[0]!;
  assert.equal(itp.internalTrafficLocal, true);
  assert.deepEqual(clusterEndpoints(itp).map((e) => e.ip), ['10.42.0.1']);
  assert.deepEqual(externalEndpoints(itp).map((e) => e.ip), ['10.42.0.1', '10.42.1.1']);
  const etpCluster = servicePortsFor(svc('t', { externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }), eps, me)[0]!;
  assert.equal(etpCluster.externalTrafficLocal, false, 'a plain ClusterIP Service is not externally accessible');
  const etpNP = servicePortsFor(svc('t', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30000 }] }), eps, me)[0]!;
  assert.equal(etpNP.externalTrafficLocal, true);
  assert.deepEqual(externalEndpoints(etpNP).map((e) => e.ip), ['10.42.0.1']);
  assert.deepEqual(clusterEndpoints(etpNP).map((e) => e.ip), ['10.42.0.1', '10.42.1.1']);
  const etpExt = servicePortsFor(svc('t', { externalIPs: ['192.0.2.7'], externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }), eps, me)[0]!;
  assert.equal(etpExt.externalTrafficLocal, true);
});

test('IP families: an IPv4 proxy drops IPv6 slices, cluster IPs and external IPs; a dual-stack one keeps both', () => {
  const s = svc('d', { clusterIPs: ['10.43.0.5', 'fd00:43::5'], externalIPs: ['192.0.2.1', '2001:db8::1'], ports: [{ port: 80 }] });
  const v4 = slice('d-v4', 'd', [{ port: 80 }], [{ addresses: ['10.42.0.1'] }]);
  const v6 = slice('d-v6', 'd', [{ port: 80 }], [{ addresses: ['fd00:42::1'] }], 'IPv6');
  const fqdn = slice('d-fqdn', 'd', [{ port: 80 }], [{ addresses: ['example.com'] }], 'FQDN');
  const only4 = servicePortsFor(s, [v4, v6, fqdn], me)[0]!;
  assert.deepEqual(only4.clusterIPs, ['10.43.0.5']);
  assert.deepEqual(only4.externalIPs, ['192.0.2.1']);
  assert.deepEqual(only4.endpoints.map((e) => e.ip), ['10.42.0.1']);
  const dual = servicePortsFor(s, [v4, v6, fqdn], { nodeName: 'node-a', families: familiesOfCIDRs(['10.42.0.0/16', 'fd00:42::/56']) })[0]!;
  assert.deepEqual(dual.clusterIPs, ['10.43.0.5', 'fd00:43::5']);
  assert.deepEqual(dual.endpoints.map((e) => e.ip), ['10.42.0.1', 'fd00:42::1']);
  assert.deepEqual(familiesOfCIDRs([]), ['IPv4']);
});

test('slice ports without a number and unlabelled slices are ignored', () => {
  const s = svc('web', { ports: [{ port: 80 }] });
  const noNum = slice('web-a', 'web', [{ name: '' }], [{ addresses: ['10.42.0.1'] }]);
  const unlabelled: EndpointSliceLike = { metadata: { namespace: 'default', name: 'web-b' }, addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [{ addresses: ['10.42.0.2'] }] };
  assert.equal(sliceServiceKey(unlabelled), undefined);
  assert.deepEqual(servicePortsFor(s, [noNum, unlabelled], me)[0]!.endpoints, []);
});

test('buildServicePorts: every Service, slices routed by label', () => {
  const services = [svc('a', { clusterIP: '10.43.0.1', clusterIPs: ['10.43.0.1'], ports: [{ port: 80 }] }), svc('b', { clusterIP: '10.43.0.2', clusterIPs: ['10.43.0.2'], ports: [{ port: 81 }] }), svc('h', { clusterIP: 'None', ports: [{ port: 80 }] })];
  const slices = [slice('a-1', 'a', [{ port: 80 }], [{ addresses: ['10.42.0.1'] }]), slice('b-1', 'b', [{ port: 81 }], [{ addresses: ['10.42.0.2'] }]), slice('h-1', 'h', [{ port: 80 }], [{ addresses: ['10.42.0.3'] }])];
  const all = buildServicePorts(services, slices, me);
  assert.deepEqual([...all.keys()], ['default/a:/TCP', 'default/b:/TCP']);
  assert.deepEqual(all.get('default/b:/TCP')!.endpoints.map((e) => e.ip), ['10.42.0.2']);
});
