import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeConflist, egressMasqueradeMatch, parseCIDR, DEFAULT_POD_CIDR, LOOPBACK_CONFLIST } from './bridge-conflist.js';

test('the built-in list: bridge (gateway, no masquerade, hairpin) with host-local over the pod CIDR, then portmap', () => {
  assert.deepEqual(bridgeConflist({ podCIDRs: ['10.42.3.0/24'], ipamDataDir: '/var/lib/capstan/agent/cni/networks' }), {
    cniVersion: '1.0.0',
    name: 'capstan',
    plugins: [
      {
        type: 'bridge', bridge: 'capstan0', isGateway: true, ipMasq: false, hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: '10.42.3.0/24', gateway: '10.42.3.1' }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: '/var/lib/capstan/agent/cni/networks',
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  });
});

test('names and CIDRs are the caller\'s; a node without a pod CIDR gets the first /24 of 10.42.0.0/16', () => {
  const list = bridgeConflist({ podCIDRs: [], bridgeName: 'cpt-t0', networkName: 'cpt-t', ipamDataDir: '/d' });
  assert.equal(list.name, 'cpt-t');
  assert.equal(list.plugins[0]!.bridge, 'cpt-t0');
  assert.equal(DEFAULT_POD_CIDR, '10.42.0.0/24');
  assert.deepEqual((list.plugins[0]!.ipam as { ranges: unknown }).ranges, [[{ subnet: '10.42.0.0/24', gateway: '10.42.0.1' }]]);
});

test('dual-stack pod CIDRs: one range set and one default route per family', () => {
  const ipam = bridgeConflist({ podCIDRs: ['10.42.1.0/24', 'fd00:42:1::/64'], ipamDataDir: '/d' }).plugins[0]!.ipam as { ranges: unknown; routes: unknown };
  assert.deepEqual(ipam.ranges, [[{ subnet: '10.42.1.0/24', gateway: '10.42.1.1' }], [{ subnet: 'fd00:42:1::/64', gateway: 'fd00:42:1::1' }]]);
  assert.deepEqual(ipam.routes, [{ dst: '0.0.0.0/0' }, { dst: '::/0' }]);
});

test('parseCIDR clears host bits and rejects malformed or too small CIDRs', () => {
  assert.deepEqual(parseCIDR('10.250.7.9/24'), { family: 4, subnet: '10.250.7.0/24', firstAddress: '10.250.7.1', prefix: 24 });
  assert.deepEqual(parseCIDR('10.42.0.0/16'), { family: 4, subnet: '10.42.0.0/16', firstAddress: '10.42.0.1', prefix: 16 });
  assert.equal(parseCIDR('fd00::5/120').subnet, 'fd00::/120');
  assert.equal(parseCIDR('2001:db8:0:0:1:0:0:0/64').subnet, '2001:db8::/64');
  for (const bad of ['10.0.0.0/33', '10.0.0/24', '300.0.0.0/8', 'x/8', '10.0.0.0', '10.0.0.0/31', 'fd00::/129', '1:2:3/64']) {
    assert.throws(() => parseCIDR(bad), /CIDR/, bad);
  }
});

test('the loopback network is a list of one loopback plugin', () => {
  assert.deepEqual(LOOPBACK_CONFLIST, { cniVersion: '1.0.0', name: 'cni-loopback', plugins: [{ type: 'loopback' }] });
});

test('the egress masquerade hook: pod CIDR sources, cluster CIDR destinations and the bridge excluded', () => {
  assert.deepEqual(egressMasqueradeMatch(['10.42.3.0/24'], ['10.42.0.0/16']), { sourceCIDRs: ['10.42.3.0/24'], excludedDestinationCIDRs: ['10.42.0.0/16'], excludedOutInterface: 'capstan0' });
});
