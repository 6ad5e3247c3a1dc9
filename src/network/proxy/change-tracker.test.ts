// change-tracker.ts: which service-port keys a rebuild changed (added, removed, changed contents).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedServicePorts, ServicePortTracker } from './change-tracker.js';
import type { EndpointInfo, ServicePortInfo } from './model.js';

function sp(name: string, port: number, endpoints: Partial<EndpointInfo>[] = [], extra: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    key: `default/${name}:/TCP`, namespace: 'default', name, portName: '', protocol: 'TCP', clusterIPs: ['10.43.0.1'], port,
    externalIPs: [], loadBalancerIPs: [], internalTrafficLocal: false, externalTrafficLocal: false,
    endpoints: endpoints.map((e) => ({ ip: '10.42.0.1', port: 80, ready: true, serving: true, terminating: false, isLocal: false, ...e })),
    ...extra,
  };
}

const map = (...sps: ServicePortInfo[]) => new Map(sps.map((s) => [s.key, s]));

test('changedServicePorts: added, removed and changed keys; equal contents are unchanged', () => {
  const before = map(sp('a', 80, [{}]), sp('b', 80, [{}]), sp('c', 80));
  const after = map(sp('a', 80, [{}]), sp('b', 80, [{ ready: false }]), sp('d', 80));
  assert.deepEqual([...changedServicePorts(before, after)].sort(), ['default/b:/TCP', 'default/c:/TCP', 'default/d:/TCP']);
  assert.deepEqual([...changedServicePorts(after, after)], []);
});

test('every field counts as a change', () => {
  const base = sp('a', 80, [{}]);
  const variants: Partial<ServicePortInfo>[] = [
    { port: 81 }, { clusterIPs: ['10.43.0.2'] }, { nodePort: 30000 }, { externalIPs: ['192.0.2.1'] }, { loadBalancerIPs: ['192.0.2.2'] },
    { sessionAffinityTimeoutSeconds: 10800 }, { internalTrafficLocal: true }, { externalTrafficLocal: true },
    { endpoints: [{ ...base.endpoints[0]!, port: 81 }] }, { endpoints: [{ ...base.endpoints[0]!, isLocal: true }] },
    { endpoints: [{ ...base.endpoints[0]!, terminating: true }] }, { endpoints: [{ ...base.endpoints[0]!, serving: false }] },
    { endpoints: [{ ...base.endpoints[0]!, nodeName: 'n' }] }, { endpoints: [] },
  ];
  for (const v of variants) {
    assert.deepEqual([...changedServicePorts(map(base), map({ ...base, ...v }))], [base.key], JSON.stringify(v));
  }
});

test('ServicePortTracker.replaceService reports only what changed and forgets removed ports', () => {
  const t = new ServicePortTracker();
  const http = sp('web', 80, [{}], { key: 'default/web:http/TCP', portName: 'http' });
  const https = sp('web', 443, [{}], { key: 'default/web:https/TCP', portName: 'https' });
  assert.deepEqual([...t.replaceService('default/web', [http, https])].sort(), ['default/web:http/TCP', 'default/web:https/TCP']);
  assert.deepEqual([...t.replaceService('default/web', [{ ...http }, { ...https }])], [], 'same contents, new objects: no change');
  assert.deepEqual([...t.replaceService('default/web', [{ ...http, endpoints: [] }])].sort(), ['default/web:http/TCP', 'default/web:https/TCP']);
  assert.deepEqual([...t.servicePorts.keys()], ['default/web:http/TCP']);
  assert.deepEqual([...t.replaceService('default/web', [])], ['default/web:http/TCP']);
  assert.equal(t.servicePorts.size, 0);
});

test('ServicePortTracker.replaceAll diffs a full build against the current map', () => {
  const t = new ServicePortTracker();
  t.replaceService('default/a', [sp('a', 80)]);
  t.replaceService('default/b', [sp('b', 80)]);
  const changed = t.replaceAll(map(sp('b', 80), sp('c', 80, [{}])));
  assert.deepEqual([...changed].sort(), ['default/a:/TCP', 'default/c:/TCP']);
  assert.deepEqual([...t.servicePorts.keys()].sort(), ['default/b:/TCP', 'default/c:/TCP']);
  assert.deepEqual([...t.replaceAll(map(sp('b', 80), sp('c', 80, [{}])))], []);
});
