// The node CIDR allocator (upstream cidrset): no subnet handed out twice, rebuilt from existing
// nodes, released on delete, exhaustion reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CIDRSet, CIDRSetError, parseCIDR } from './cidr-set.js';

test('a /16 holds 256 /24s, handed out in order', () => {
  const s = new CIDRSet('10.42.0.0/16');
  assert.equal(s.size, 256);
  assert.equal(s.allocateNext(), '10.42.0.0/24');
  assert.equal(s.allocateNext(), '10.42.1.0/24');
  assert.equal(s.allocated, 2);
});

test('occupied subnets (existing nodes) are skipped; release frees; round-robin does not reuse at once', () => {
  const s = new CIDRSet('10.42.0.0/22');
  assert.equal(s.occupy('10.42.0.0/24'), true);
  assert.equal(s.occupy('10.42.2.0/24'), true);
  assert.equal(s.occupy('10.43.0.0/24'), false, 'outside the cluster CIDR');
  assert.equal(s.occupy('10.42.0.0/25'), false, 'not a node subnet');
  assert.equal(s.allocateNext(), '10.42.1.0/24');
  s.release('10.42.1.0/24');
  assert.equal(s.allocateNext(), '10.42.3.0/24');
  assert.equal(s.allocateNext(), '10.42.1.0/24');
  assert.equal(s.allocateNext(), undefined, 'exhausted');
  s.release('10.42.2.0/24');
  assert.equal(s.isUsed('10.42.2.0/24'), false);
  assert.equal(s.allocateNext(), '10.42.2.0/24');
});

test('never the same subnet twice across many allocations', () => {
  const s = new CIDRSet('10.0.0.0/8', 24);
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const c = s.allocateNext()!;
    assert.ok(!seen.has(c));
    seen.add(c);
  }
});

test('bad cluster CIDRs are rejected', () => {
  assert.throws(() => new CIDRSet('fd00::/48'), CIDRSetError);
  assert.throws(() => new CIDRSet('10.42.0.0/25'), /does not fit/);
  assert.deepEqual(parseCIDR('10.42.7.9/16'), [0x0a2a0000, 16]);
});
