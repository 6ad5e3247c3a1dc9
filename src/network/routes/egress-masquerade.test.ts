import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteNodeTableRuleset, egressMasqueradeRuleset } from './egress-masquerade.js';

test('egress masquerade: cluster CIDR to outside it only, replacing the whole table in one transaction', () => {
  assert.equal(egressMasqueradeRuleset(['10.42.0.0/16']), [
    'table ip capstan-node {}',
    'delete table ip capstan-node',
    'table ip capstan-node {',
    '\tchain postrouting {',
    '\t\ttype nat hook postrouting priority srcnat; policy accept;',
    '\t\tip saddr 10.42.0.0/16 ip daddr != 10.42.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random',
    '\t}',
    '}',
    '',
  ].join('\n'));
});

test('egress masquerade: several cluster CIDRs are one anonymous set; host bits are cleared', () => {
  assert.match(egressMasqueradeRuleset(['10.42.0.0/16', '10.60.7.1/16']), /ip saddr \{ 10\.42\.0\.0\/16, 10\.60\.0\.0\/16 \} ip daddr != \{ 10\.42\.0\.0\/16, 10\.60\.0\.0\/16 \}/);
});

test('egress masquerade: a CIDR that is not IPv4 is refused', () => {
  assert.throws(() => egressMasqueradeRuleset(['fd00::/48']), /invalid IPv4 cluster CIDR/);
  assert.throws(() => egressMasqueradeRuleset(['10.42.0.0']), /invalid IPv4 cluster CIDR/);
});

test('the cleanup text deletes the table even when it does not exist', () => {
  assert.equal(deleteNodeTableRuleset(), 'table ip capstan-node {}\ndelete table ip capstan-node\n');
});
