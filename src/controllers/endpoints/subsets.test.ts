// The endpoints controller's pure core: which pods become addresses, how ports resolve, how
// subsets repack and truncate (upstream endpoints_controller_test.go cases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from '../../api/index.js';
import { endpointSubsets, repackSubsets, truncateSubsets, MAX_ENDPOINTS_CAPACITY } from './subsets.js';
import { findPort, shouldPodBeInEndpoints } from './pod-endpoints.js';

function pod(name: string, ip: string | undefined, opts: { ready?: boolean; ports?: { name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }[]; deleting?: boolean; phase?: string; restartPolicy?: 'Always' | 'Never' | 'OnFailure'; hostname?: string; subdomain?: string } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: 'node-1', restartPolicy: opts.restartPolicy, hostname: opts.hostname, subdomain: opts.subdomain,
      containers: [{ name: 'c', image: 'nginx', ports: opts.ports }],
    },
    status: {
      phase: opts.phase ?? 'Running', podIP: ip,
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    },
  } as Pod;
}

function svc(spec: Service['spec'] = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid' }, spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ...spec } } as Service;
}

test('findPort resolves named target ports by name and protocol, numbers as they are, absent as the service port', () => {
  const p = pod('a', '10.0.0.1', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  assert.equal(findPort(p, { port: 80, targetPort: 'http', protocol: 'TCP' }), 8080);
  assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
  assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' }), undefined, 'protocol must match');
  assert.equal(findPort(p, { port: 80, targetPort: 'nope' }), undefined);
  assert.equal(findPort(p, { port: 80, targetPort: 9090 }), 9090);
  assert.equal(findPort(p, { port: 80 }), 80);
});

test('shouldPodBeInEndpoints: an IP is needed; terminating only when tolerated; finished pods never', () => {
  assert.equal(shouldPodBeInEndpoints(pod('a', undefined), true), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { deleting: true }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { deleting: true }), true), true);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { phase: 'Succeeded', restartPolicy: 'Never' }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { phase: 'Failed', restartPolicy: 'OnFailure' }), false), true);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', { phase: 'Succeeded', restartPolicy: 'OnFailure' }), false), false);
});

test('ready pods are addresses, unready ones notReadyAddresses, in one subset per port set', () => {
  const ports = [{ name: 'http', containerPort: 8080 }];
  const { subsets, truncated } = endpointSubsets(svc({ ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }), [
    pod('b', '10.0.0.2', { ports }), pod('a', '10.0.0.1', { ports }), pod('c', '10.0.0.3', { ports, ready: false }), pod('d', undefined, { ports }),
  ]);
  assert.equal(truncated, false);
  assert.deepEqual(subsets, [{
    addresses: [
      { ip: '10.0.0.1', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' } },
      { ip: '10.0.0.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' } },
    ],
    notReadyAddresses: [{ ip: '10.0.0.3', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'c', uid: 'uid-c' } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }]);
});

test('pods resolving a named port differently land in different subsets; a pod lacking it is left out of that port', () => {
  const service = svc({ ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
  const { subsets } = endpointSubsets(service, [
    pod('a', '10.0.0.1', { ports: [{ name: 'http', containerPort: 8080 }] }),
    pod('b', '10.0.0.2', { ports: [{ name: 'http', containerPort: 9090 }] }),
    pod('c', '10.0.0.3', { ports: [] }),
  ]);
  assert.deepEqual(subsets.map((s) => [s.ports?.[0]?.port, s.addresses?.map((a) => a.ip)]), [[8080, ['10.0.0.1']], [9090, ['10.0.0.2']]]);
});

test('publishNotReadyAddresses lists unready and terminating pods as ready; hostname only under its own subdomain', () => {
  const service = svc({ publishNotReadyAddresses: true, clusterIP: 'None', ports: [{ port: 80 }] });
  const { subsets } = endpointSubsets(service, [
    pod('a', '10.0.0.1', { ready: false, hostname: 'a', subdomain: 'web' }),
    pod('b', '10.0.0.2', { deleting: true, hostname: 'b', subdomain: 'other' }),
  ]);
  assert.equal(subsets.length, 1);
  assert.deepEqual(subsets[0]!.addresses!.map((a) => [a.ip, a.hostname]), [['10.0.0.1', 'a'], ['10.0.0.2', undefined]]);
  assert.equal(subsets[0]!.notReadyAddresses, undefined);
});

test('a terminating pod is dropped without publishNotReadyAddresses; a headless service without ports lists bare addresses', () => {
  const { subsets } = endpointSubsets(svc({ clusterIP: 'None' }), [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { deleting: true })]);
  assert.deepEqual(subsets.map((s) => [s.addresses?.map((a) => a.ip), s.ports]), [[['10.0.0.1'], undefined]]);
});

test('repackSubsets merges subsets of equal port sets and prefers ready over not-ready for the same address', () => {
  const a = { ip: '10.0.0.1', targetRef: { kind: 'Pod', uid: 'u1' } };
  const b = { ip: '10.0.0.2', targetRef: { kind: 'Pod', uid: 'u2' } };
  const port = { name: 'p', port: 80, protocol: 'TCP' as const };
  assert.deepEqual(repackSubsets([
    { addresses: [b], ports: [port] }, { notReadyAddresses: [a], ports: [port] }, { addresses: [a], ports: [port] },
  ]), [{ addresses: [a, b], ports: [port] }]);
});

test('more than 1000 addresses are truncated, ready ones kept first and cut in proportion', () => {
  const addrs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 250)}.${i % 250}` }));
  const subsets = [
    { addresses: addrs('10.1', 900), notReadyAddresses: addrs('10.2', 300), ports: [{ port: 1 }] },
  ];
  assert.equal(truncateSubsets(subsets, MAX_ENDPOINTS_CAPACITY), true);
  assert.equal(subsets[0]!.addresses!.length, 900);
  assert.equal(subsets[0]!.notReadyAddresses!.length, 100);

  const big = [{ addresses: addrs('10.1', 900), ports: [{ port: 1 }] }, { addresses: addrs('10.3', 300), notReadyAddresses: addrs('10.2', 5), ports: [{ port: 2 }] }];
  assert.equal(truncateSubsets(big, MAX_ENDPOINTS_CAPACITY), true);
  assert.equal(big[0]!.addresses!.length, 750);
  assert.equal(big[1]!.addresses!.length, 250);
  assert.equal(big[1]!.notReadyAddresses, undefined);
  assert.equal(truncateSubsets([{ addresses: addrs('10.1', 1000) }], MAX_ENDPOINTS_CAPACITY), false);
});

test('endpointSubsets reports truncation of a service with more than 1000 pods', () => {
  const pods = Array.from({ length: 1001 }, (_, i) => pod(`p${i}`, `10.${Math.floor(i / 250)}.${i % 250}.1`));
  const r = endpointSubsets(svc({ ports: [{ port: 80 }] }), pods);
  assert.equal(r.truncated, true);
  assert.equal(r.total, 1001);
  assert.equal(r.subsets[0]!.addresses!.length, 1000);
});
