import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portmapCleanupPlan } from './portmap-chains.js';

// `iptables -t nat -S` after portmap ADDs of network "capstan" (container c1) and "other" (c2).
const shared = [
  '-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT',
  '-N CNI-DN-aaaa', '-N CNI-DN-bbbb', '-N CNI-HOSTPORT-DNAT', '-N CNI-HOSTPORT-MASQ', '-N CNI-HOSTPORT-SETMARK',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
  '-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
  '-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
  '-A CNI-DN-aaaa -s 10.42.0.0/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK',
  '-A CNI-DN-aaaa -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.42.0.2:80',
  '-A CNI-DN-bbbb -p tcp -m tcp --dport 9090 -j DNAT --to-destination 10.99.0.2:80',
  '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"capstan\\" id: \\"c1\\"" -m multiport --dports 8080 -j CNI-DN-aaaa',
  '-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"other\\" id: \\"c2\\"" -m multiport --dports 9090 -j CNI-DN-bbbb',
  '-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE',
  '-A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000',
];

test('removes only our network\'s per-container chains while another network still maps ports', () => {
  assert.equal(portmapCleanupPlan(shared.join('\n'), ['capstan']), [
    '*nat',
    '-D CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"capstan\\" id: \\"c1\\"" -m multiport --dports 8080 -j CNI-DN-aaaa',
    '-F CNI-DN-aaaa', '-X CNI-DN-aaaa',
    'COMMIT', '',
  ].join('\n'));
});

test('removes the shared chains and their hooks once no other network uses them', () => {
  const plan = portmapCleanupPlan(shared.join('\n'), ['capstan', 'other']);
  assert.deepEqual(plan.trim().split('\n'), [
    '*nat',
    '-D CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"capstan\\" id: \\"c1\\"" -m multiport --dports 8080 -j CNI-DN-aaaa',
    '-D CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"other\\" id: \\"c2\\"" -m multiport --dports 9090 -j CNI-DN-bbbb',
    '-F CNI-DN-aaaa', '-X CNI-DN-aaaa', '-F CNI-DN-bbbb', '-X CNI-DN-bbbb',
    '-D PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
    '-D OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
    '-D POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
    '-F CNI-HOSTPORT-DNAT', '-F CNI-HOSTPORT-SETMARK', '-F CNI-HOSTPORT-MASQ',
    '-X CNI-HOSTPORT-DNAT', '-X CNI-HOSTPORT-SETMARK', '-X CNI-HOSTPORT-MASQ',
    'COMMIT',
  ]);
});

test('keeps the shared chains while an orphaned chain of another network still jumps into them; nothing to do is an empty plan', () => {
  const orphan = shared.filter((l) => !l.includes('dnat name: \\"other\\"'))
    .map((l) => l.replace('-A CNI-DN-bbbb -p tcp -m tcp --dport 9090 -j DNAT --to-destination 10.99.0.2:80', '-A CNI-DN-bbbb -s 10.99.0.0/24 -j CNI-HOSTPORT-SETMARK'));
  const plan = portmapCleanupPlan(orphan.join('\n'), ['capstan']);
  assert.ok(plan.includes('-X CNI-DN-aaaa'));
  assert.ok(!plan.includes('CNI-HOSTPORT-SETMARK'), plan);
  assert.equal(portmapCleanupPlan(['-P PREROUTING ACCEPT', '-P OUTPUT ACCEPT'].join('\n'), ['capstan']), '');
});
