import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints } from '../../api/index.js';
import { mirroredGroups } from './mirror.js';

test('each subset mirrors to a group per address type: ready and not-ready addresses, invalid IPs skipped', () => {
  const ep = {
    metadata: { name: 'ext', namespace: 'ns' },
    subsets: [
      { addresses: [{ ip: '192.0.2.1', hostname: 'one' }, { ip: 'not-an-ip' }, { ip: '2001:db8::1' }], notReadyAddresses: [{ ip: '192.0.2.2' }], ports: [{ name: 'http', port: 80 }] },
      { addresses: [{ ip: '192.0.2.3' }], ports: [{ port: 53, protocol: 'UDP' }] },
    ],
  } as Endpoints;
  const groups = mirroredGroups(ep);
  assert.deepEqual(groups.map((g) => [g.addressType, g.ports, g.endpoints.map((e) => [e.addresses?.[0], e.conditions?.ready])]), [
    ['IPv4', [{ name: 'http', port: 80, protocol: 'TCP' }], [['192.0.2.1', true], ['192.0.2.2', false]]],
    ['IPv6', [{ name: 'http', port: 80, protocol: 'TCP' }], [['2001:db8::1', true]]],
    ['IPv4', [{ name: '', port: 53, protocol: 'UDP' }], [['192.0.2.3', true]]],
  ]);
  assert.equal(groups[0]!.endpoints[0]!.hostname, 'one');
});

test('at most maxEndpointsPerSubset addresses of a subset are mirrored, ready ones first', () => {
  const addrs = (n: number, third: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.${third}.${Math.floor(i / 250)}.${i % 250}` }));
  const groups = mirroredGroups({ subsets: [{ addresses: addrs(8, 1), notReadyAddresses: addrs(5, 2), ports: [{ port: 1 }] }] } as Endpoints, 10);
  assert.equal(groups[0]!.endpoints.length, 10);
  assert.equal(groups[0]!.endpoints.filter((e) => e.conditions?.ready).length, 8);
});
