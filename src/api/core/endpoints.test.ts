import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpoints, type Endpoints } from './endpoints.js';
import { events, type Event } from './event.js';
import { serviceAccounts } from './service-account.js';

const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('endpoints: port protocol defaults to TCP; addresses and ports validated', () => {
  const ep: Endpoints = { subsets: [{ addresses: [{ ip: '10.42.0.5' }], ports: [{ port: 80 }] }] };
  endpoints.defaults!(ep);
  assert.equal(ep.subsets?.[0]?.ports?.[0]?.protocol, 'TCP');
  assert.deepEqual(endpoints.validate!(ep, { namespace: 'default' }), []);
  const bad: Endpoints = { subsets: [{ addresses: [{ ip: 'nope' }], ports: [{ port: 0, protocol: 'TCP' }, { port: 81, protocol: 'TCP', name: 'b' }] }] };
  assert.deepEqual(show(endpoints.validate!(bad, { namespace: 'default' })), [
    'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].ports[0].name: Required value',
    'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(endpoints.shortNames, ['ep']);
});

test('core/v1 events: namespace must match the involved object (legacy validation)', () => {
  const ok: Event = { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n1' }, reason: 'Starting' };
  assert.deepEqual(events.validate!(ok, { namespace: 'default' }), []);
  const bad: Event = { metadata: { name: 'e', namespace: 'team' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } };
  assert.deepEqual(show(events.validate!(bad, { namespace: 'team' })), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  const newStyle: Event = { metadata: { name: 'e', namespace: 'team' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'team' }, eventTime: '2026-01-01T00:00:00.000000Z' };
  // As upstream, an empty reportingController is also reported as an invalid qualified name.
  const got = events.validate!(newStyle, { namespace: 'team' });
  assert.deepEqual([...new Set(got.map((e) => e.field))], ['reportingController', 'reportingInstance', 'action', 'reason']);
  assert.deepEqual(show(got.filter((e) => e.type === 'FieldValueRequired')), [
    'reportingController: Required value',
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
  assert.equal(events.selectableFields!['involvedObject.kind']!(ok), 'Node');
  assert.equal(events.selectableFields!.source!({ source: { component: 'kubelet' } }), 'kubelet');
});

test('serviceaccounts declare the token subresource', () => {
  assert.deepEqual(serviceAccounts.subresources, [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }]);
  assert.deepEqual(serviceAccounts.shortNames, ['sa']);
});
