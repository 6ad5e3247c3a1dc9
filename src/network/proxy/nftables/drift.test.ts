import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainsInListing, expectedChains, tableIntact } from './drift.js';
import { renderFull } from './ruleset.js';
import { proxyState, servicePort } from './test-fixtures.js';

/** `nft list chains ip` as nft 1.0.6 prints it, for our table and one of someone else. */
function listing(ours: Iterable<string> | undefined): string {
  const other = 'table ip nat {\n\tchain PREROUTING {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t}\n}\n';
  if (!ours) return other;
  const chains = [...ours].map((c) => `\tchain ${c} {\n\t}\n`).join('');
  return `${other}table ip capstan-proxy {\n${chains}}\n`;
}

test('reads only our table\'s chain names; an absent table is undefined', () => {
  assert.deepEqual(chainsInListing(listing(['services', 'service-ABCDEFGH-default/web/tcp/http'])), new Set(['services', 'service-ABCDEFGH-default/web/tcp/http']));
  assert.equal(chainsInListing(listing(undefined)), undefined);
});

test('intact means exactly the chains written: one missing or one foreign chain is drift', () => {
  const { written } = renderFull(proxyState([servicePort('web', { nodePort: 30080 })]));
  const expected = [...expectedChains(written)];
  assert.ok(expected.includes('nat-prerouting') && expected.some((c) => c.startsWith('external-')));
  assert.equal(tableIntact(listing(expected), written), true);
  assert.equal(tableIntact(listing(expected.slice(1)), written), false);
  assert.equal(tableIntact(listing([...expected, 'foreign']), written), false);
  assert.equal(tableIntact(listing(undefined), written), false);
});
