import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlices, type EndpointSlice } from './endpoint-slice.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('endpointslice defaults and valid slice', () => {
  const s: EndpointSlice = { addressType: 'IPv4', endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }], ports: [{ port: 80 }] };
  endpointSlices.defaults!(s);
  assert.deepEqual(s.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.deepEqual(endpointSlices.validate!(s, ctx), []);
});

test('endpointslice validation as upstream', () => {
  const cases: [EndpointSlice, string[]][] = [
    [{}, ['addressType: Required value']],
    [{ addressType: 'IP' }, ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']],
    [{ addressType: 'IPv4', endpoints: [{ addresses: [] }] }, ['endpoints[0].addresses: Required value: must contain at least 1 address']],
    [{ addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1'] }] }, ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']],
    [{ addressType: 'IPv4', ports: [{ name: 'http', protocol: 'TCP' }, { name: 'http', protocol: 'TCP' }] }, ['ports[1].name: Duplicate value: "http"']],
    [{ addressType: 'IPv4', endpoints: Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] })) }, ['endpoints: Too many: 1001: must have at most 1000 items']],
    [{ addressType: 'IPv4', ports: Array.from({ length: 101 }, (_, i) => ({ name: `p${i}`, protocol: 'TCP' })) }, ['ports: Too many: 101: must have at most 100 items']],
  ];
  for (const [s, want] of cases) assert.deepEqual(show(endpointSlices.validate!(s, ctx)), want);
  assert.deepEqual(show(endpointSlices.validateUpdate!({ addressType: 'IPv6' }, { addressType: 'IPv4' }, ctx)), ['addressType: Invalid value: "IPv6": field is immutable']);
});
