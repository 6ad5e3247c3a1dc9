import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeAllocator, ServiceAllocator, ipToNumber, staticBandSize } from './service-allocator.js';

test('the static band is min(max(16, size/16), 256), as upstream', () => {
  assert.equal(staticBandSize(10), 16);
  assert.equal(staticBandSize(254), 16);
  assert.equal(staticBandSize(2768), 173);
  assert.equal(staticBandSize(65534), 256);
});

test('dynamic allocation leaves the static band (where 10.43.0.10 lies) free until the rest is full', () => {
  const alloc = new ServiceAllocator({ serviceCidr: '10.43.0.0/24', nodePortRange: [30000, 30099] });
  const dnsIP = ipToNumber('10.43.0.10')!;
  const got: number[] = [];
  for (let i = 0; i < 254 - 16; i++) got.push(alloc.ips.next()!);
  assert.ok(got.every((n) => n > alloc.base + 16), 'every dynamic address is above the static band');
  assert.ok(!alloc.ips.isUsed(dnsIP));
  assert.ok(alloc.ips.reserve(dnsIP), 'the cluster DNS IP can still be reserved');
  // The dynamic band is full: the static band is used next, and then nothing is left.
  const rest: number[] = [];
  for (let n = alloc.ips.next(); n !== undefined; n = alloc.ips.next()) rest.push(n);
  assert.equal(rest.length, 15);
  assert.ok(rest.every((n) => n <= alloc.base + 16));
});

test('a range no larger than its static band allocates from all of it', () => {
  const r = new RangeAllocator(1, 4);
  const got = [r.next(), r.next(), r.next(), r.next()].sort();
  assert.deepEqual(got, [1, 2, 3, 4]);
  assert.equal(r.next(), undefined);
});
