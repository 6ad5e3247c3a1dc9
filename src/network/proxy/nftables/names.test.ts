import { test } from 'node:test';
import assert from 'node:assert/strict';
import { affinitySetName, externalChainName, serviceChainName, shortHash } from './names.js';
import { servicePort } from './test-fixtures.js';

test('names are upstream-shaped: prefix, 8-character base32 hash, namespace/name/protocol/portName', () => {
  const sp = servicePort('web', { key: 'ns1/web:/UDP', namespace: 'ns1', portName: '', protocol: 'UDP' });
  assert.match(serviceChainName(sp), /^service-[A-Z2-7]{8}-ns1\/web\/udp\/$/);
  assert.match(externalChainName(sp), /^external-[A-Z2-7]{8}-ns1\/web\/udp\/$/);
  assert.equal(shortHash('x'), shortHash('x'));
  assert.notEqual(shortHash('x'), shortHash('y'));
});

test('names stay parseable and under the kernel limit for the longest API names', () => {
  const long = 'a'.repeat(63);
  const sp = servicePort(long, { key: `${long}/${long}:${'p'.repeat(15)}/SCTP`, namespace: long, portName: 'p'.repeat(15), protocol: 'SCTP' });
  for (const name of [serviceChainName(sp), externalChainName(sp), affinitySetName(sp, '255.255.255.255', 65535)]) {
    assert.ok(name.length < 256, `${name.length}`);
    assert.match(name, /^[a-z][A-Za-z0-9_./-]*$/);
  }
  // anything odd in a name is replaced, never passed to nft
  assert.match(serviceChainName(servicePort('we b;x', { key: 'k' })), /^service-[A-Z2-7]{8}-default\/we_b_x\/tcp\/http$/);
});
