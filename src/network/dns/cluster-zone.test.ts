// The cluster zone's records and lookups, against the Kubernetes DNS-based service discovery
// specification (schema 1.1.0) and CoreDNS's kubernetes plugin behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice, Service } from '../../api/index.js';
import { ClusterZone } from './cluster-zone.js';
import { reverseName } from './names.js';

function svc(ns: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec } as Service;
}

function slice(ns: string, svcName: string, endpoints: NonNullable<EndpointSlice['endpoints']>, ports: EndpointSlice['ports'] = [], addressType: 'IPv4' | 'IPv6' = 'IPv4'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: ns, name: `${svcName}-abc`, labels: { 'kubernetes.io/service-name': svcName } },
    addressType, endpoints, ports,
  } as EndpointSlice;
}

function zone(): ClusterZone {
  const z = new ClusterZone({ nameserverIPs: ['10.43.0.10'] });
  z.setService('default/web', svc('default', 'web', { clusterIP: '10.43.0.20', clusterIPs: ['10.43.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 8080 }] }));
  z.setService('default/db', svc('default', 'db', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'pg', port: 5432 }] }), [
    slice('default', 'db', [
      { addresses: ['10.42.1.5'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.42.2.6'], conditions: { ready: true } },
      { addresses: ['10.42.2.7'], hostname: 'db-2', conditions: { ready: false } },
    ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
  ]);
  z.setService('other/ext', svc('other', 'ext', { type: 'ExternalName', externalName: 'Example.COM.' }));
  z.setService('other/dual', svc('other', 'dual', { clusterIP: '10.43.0.30', clusterIPs: ['10.43.0.30', 'fd00:43::30'] }));
  return z;
}

const data = (z: ClusterZone, name: string, type: string) => z.lookup(name, type)!.answers.map((a) => (a as { data: unknown }).data);

test('ClusterIP Service: A → cluster IP, TTL 5, authoritative NOERROR', () => {
  const a = zone().lookup('web.default.svc.cluster.local', 'A')!;
  assert.equal(a.rcode, 'NOERROR');
  assert.deepEqual(a.answers, [{ name: 'web.default.svc.cluster.local', type: 'A', ttl: 5, data: '10.43.0.20' }]);
});

test('dual-stack Service: A and AAAA', () => {
  const z = zone();
  assert.deepEqual(data(z, 'dual.other.svc.cluster.local', 'A'), ['10.43.0.30']);
  assert.deepEqual(data(z, 'dual.other.svc.cluster.local', 'AAAA'), ['fd00:43::30']);
});

test('existing name without the type is NODATA with the SOA; unknown names NXDOMAIN', () => {
  const z = zone();
  const nodata = z.lookup('web.default.svc.cluster.local', 'AAAA')!;
  assert.equal(nodata.rcode, 'NOERROR');
  assert.equal(nodata.answers.length, 0);
  assert.equal(nodata.authorities[0].type, 'SOA');
  assert.equal(nodata.authorities[0].name, 'cluster.local');
  const nx = z.lookup('nope.default.svc.cluster.local', 'A')!;
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.authorities[0].type, 'SOA');
  assert.equal(z.lookup('web.nons.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN');
  assert.equal(z.lookup('foo.cluster.local', 'A')!.rcode, 'NXDOMAIN');
});

test('empty non-terminals and well-known names are NODATA: <ns>.svc, svc, pod, _tcp.<svc>', () => {
  const z = zone();
  for (const n of ['default.svc.cluster.local', 'svc.cluster.local', 'pod.cluster.local', '_tcp.web.default.svc.cluster.local', 'default.pod.cluster.local']) {
    const a = z.lookup(n, 'A')!;
    assert.equal(a.rcode, 'NOERROR', n);
    assert.equal(a.answers.length, 0, n);
  }
  assert.equal(z.lookup('nons.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN');
});

test('SRV for named ports only, targeting the Service name, with the A record as additional', () => {
  const z = zone();
  const a = z.lookup('_http._tcp.web.default.svc.cluster.local', 'SRV')!;
  assert.deepEqual(a.answers.map((r) => (r as { data: unknown }).data), [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
  assert.deepEqual(a.additionals.map((r) => (r as { data: unknown }).data), ['10.43.0.20']);
  assert.equal(z.lookup('_8080._tcp.web.default.svc.cluster.local', 'SRV')!.rcode, 'NXDOMAIN');
  assert.equal(z.lookup('_http._udp.web.default.svc.cluster.local', 'SRV')!.rcode, 'NXDOMAIN');
});

test('headless Service: ready endpoint IPs, hostname and dashed-IP records, SRV per endpoint', () => {
  const z = zone();
  assert.deepEqual(data(z, 'db.default.svc.cluster.local', 'A').sort(), ['10.42.1.5', '10.42.2.6']);
  assert.deepEqual(data(z, 'db-0.db.default.svc.cluster.local', 'A'), ['10.42.1.5']);
  assert.deepEqual(data(z, '10-42-2-6.db.default.svc.cluster.local', 'A'), ['10.42.2.6']);
  assert.equal(z.lookup('db-2.db.default.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN', 'not-ready endpoints are not published');
  const srv = z.lookup('_pg._tcp.db.default.svc.cluster.local', 'SRV')!;
  assert.deepEqual(srv.answers.map((r) => (r as { data: { target: string } }).data.target).sort(), ['10-42-2-6.db.default.svc.cluster.local', 'db-0.db.default.svc.cluster.local']);
  assert.equal((srv.answers[0] as { data: { port: number; weight: number } }).data.port, 5432);
  assert.equal((srv.answers[0] as { data: { port: number; weight: number } }).data.weight, 50);
  assert.equal(srv.additionals.length, 2);
});

test('headless Service with publishNotReadyAddresses publishes every endpoint; with none ready it is NODATA', () => {
  const z = new ClusterZone();
  const eps = [{ addresses: ['10.42.0.9'], hostname: 'web-0', conditions: { ready: false } }];
  z.setService('ns/a', svc('ns', 'a', { clusterIP: 'None', publishNotReadyAddresses: true }), [slice('ns', 'a', eps)]);
  z.setService('ns/b', svc('ns', 'b', { clusterIP: 'None' }), [slice('ns', 'b', eps)]);
  assert.deepEqual(data(z, 'web-0.a.ns.svc.cluster.local', 'A'), ['10.42.0.9']);
  const b = z.lookup('b.ns.svc.cluster.local', 'A')!;
  assert.equal(b.rcode, 'NOERROR');
  assert.equal(b.answers.length, 0);
});

test('IPv6 headless endpoints: AAAA and dashed names', () => {
  const z = new ClusterZone();
  z.setService('ns/h', svc('ns', 'h', { clusterIP: 'None' }), [slice('ns', 'h', [{ addresses: ['fd00:42::5'] }], [], 'IPv6')]);
  assert.deepEqual(data(z, 'h.ns.svc.cluster.local', 'AAAA'), ['fd00:42::5']);
  assert.deepEqual(data(z, 'fd00-42--5.h.ns.svc.cluster.local', 'AAAA'), ['fd00:42::5']);
});

test('ExternalName: CNAME for any type, lowercased, without the trailing dot', () => {
  const z = zone();
  for (const t of ['A', 'AAAA', 'CNAME']) {
    assert.deepEqual(z.lookup('ext.other.svc.cluster.local', t)!.answers, [{ name: 'ext.other.svc.cluster.local', type: 'CNAME', ttl: 5, data: 'example.com' }]);
  }
});

test('pod records (insecure): a-b-c-d.<ns>.pod answers the IP; malformed ones NXDOMAIN', () => {
  const z = zone();
  assert.deepEqual(data(z, '10-42-0-7.anything.pod.cluster.local', 'A'), ['10.42.0.7']);
  assert.deepEqual(data(z, 'fd00--7.ns.pod.cluster.local', 'AAAA'), ['fd00::7']);
  assert.equal(z.lookup('10-42-0-7.ns.pod.cluster.local', 'AAAA')!.answers.length, 0);
  assert.equal(z.lookup('10-42-0-7.ns.pod.cluster.local', 'AAAA')!.rcode, 'NOERROR');
  assert.equal(z.lookup('10-42-0-999.ns.pod.cluster.local', 'A')!.rcode, 'NXDOMAIN');
});

test('PTR for cluster IPs and headless endpoints; unknown in-range IPs NXDOMAIN; others fall through', () => {
  const z = zone();
  assert.deepEqual(data(z, '20.0.43.10.in-addr.arpa', 'PTR'), ['web.default.svc.cluster.local']);
  assert.deepEqual(data(z, '5.1.42.10.in-addr.arpa', 'PTR'), ['db-0.db.default.svc.cluster.local']);
  assert.deepEqual(data(z, reverseName('fd00:43::30'), 'PTR'), ['dual.other.svc.cluster.local']);
  assert.equal(z.lookup('99.0.43.10.in-addr.arpa', 'PTR')!.rcode, 'NXDOMAIN');
  assert.equal(z.lookup('8.8.8.8.in-addr.arpa', 'PTR'), undefined);
  assert.equal(z.lookup('43.10.in-addr.arpa', 'PTR'), undefined);
});

test('zone apex SOA/NS, ns.dns A, dns-version TXT; names outside the zone are not ours', () => {
  const z = zone();
  const soa = z.lookup('cluster.local', 'SOA')!;
  assert.equal(soa.answers[0].type, 'SOA');
  assert.equal((soa.answers[0] as { data: { mname: string; minimum: number } }).data.mname, 'ns.dns.cluster.local');
  const ns = z.lookup('cluster.local', 'NS')!;
  assert.deepEqual(ns.answers.map((r) => (r as { data: unknown }).data), ['ns.dns.cluster.local']);
  assert.deepEqual(ns.additionals.map((r) => (r as { data: unknown }).data), ['10.43.0.10']);
  assert.deepEqual(data(z, 'ns.dns.cluster.local', 'A'), ['10.43.0.10']);
  assert.deepEqual(data(z, 'dns-version.cluster.local', 'TXT'), ['1.1.0']);
  assert.equal(z.lookup('example.com', 'A'), undefined);
  assert.equal(z.lookup('notcluster.local', 'A'), undefined);
});

test('updates replace and deletions remove records, bumping the generation', () => {
  const z = zone();
  const g0 = z.generation;
  z.setService('default/web', svc('default', 'web', { clusterIP: '10.43.0.21', clusterIPs: ['10.43.0.21'] }));
  assert.deepEqual(data(z, 'web.default.svc.cluster.local', 'A'), ['10.43.0.21']);
  assert.equal(z.lookup('_http._tcp.web.default.svc.cluster.local', 'SRV')!.rcode, 'NXDOMAIN');
  assert.equal(z.lookup('20.0.43.10.in-addr.arpa', 'PTR')!.rcode, 'NXDOMAIN');
  assert.ok(z.generation > g0);
  z.setService('default/web', undefined);
  z.setService('default/db', undefined);
  assert.equal(z.lookup('web.default.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN');
  assert.equal(z.lookup('default.svc.cluster.local', 'A')!.rcode, 'NXDOMAIN', 'namespace without Services is gone');
  assert.equal(z.lookup('svc.cluster.local', 'A')!.rcode, 'NOERROR');
  const g1 = z.generation;
  z.setService('default/none', undefined);
  assert.equal(z.generation, g1, 'removing an unknown Service changes nothing');
});

test('a custom domain', () => {
  const z = new ClusterZone({ domain: 'Corp.Example.' });
  z.setService('a/b', svc('a', 'b', { clusterIP: '10.43.1.1' }));
  assert.deepEqual(data(z, 'b.a.svc.corp.example', 'A'), ['10.43.1.1']);
  assert.equal(z.lookup('b.a.svc.cluster.local', 'A'), undefined);
});
