import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from '../../api/index.js';
import { desiredEndpointGroups } from './desired.js';

const pod = (name: string, ip: string, ready: boolean, deleting = false, containerPort = 8080): Pod => ({
  metadata: { name, namespace: 'ns', uid: `u-${name}`, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort }] }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
}) as Pod;
const svc = (publishNotReadyAddresses = false): Service => ({
  metadata: { name: 'web', namespace: 'ns' },
  spec: { selector: { app: 'web' }, publishNotReadyAddresses, ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] },
}) as Service;

test('conditions: ready = serving and not terminating; terminating pods stay listed', () => {
  const [g] = desiredEndpointGroups(svc(), [pod('a', '10.0.0.1', true), pod('b', '10.0.0.2', false), pod('c', '10.0.0.3', true, true)]);
  assert.deepEqual(g!.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
  assert.equal(g!.addressType, 'IPv4');
  assert.deepEqual(g!.endpoints.map((e) => [e.addresses?.[0], e.conditions]), [
    ['10.0.0.1', { ready: true, serving: true, terminating: false }],
    ['10.0.0.2', { ready: false, serving: false, terminating: false }],
    ['10.0.0.3', { ready: false, serving: true, terminating: true }],
  ]);
  assert.deepEqual(g!.endpoints[0]!.targetRef, { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'u-a' });
  assert.equal(g!.endpoints[0]!.nodeName, 'n1');
});

test('publishNotReadyAddresses makes every endpoint ready; differing target ports make separate groups', () => {
  const groups = desiredEndpointGroups(svc(true), [pod('a', '10.0.0.1', false), pod('b', '10.0.0.2', false, false, 9090)]);
  assert.deepEqual(groups.map((g) => [g.ports[0]!.port, g.endpoints.map((e) => e.conditions?.ready)]), [[8080, [true]], [9090, [true]]]);
});
