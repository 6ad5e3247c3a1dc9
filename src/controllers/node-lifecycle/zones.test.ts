// Zone states and tainting rates (upstream ComputeZoneState, setLimiterInZone, handleDisruption).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeZoneState, taintRate, TokenBucket, zoneKey, NODE_EVICTION_RATE, SECONDARY_NODE_EVICTION_RATE } from './zones.js';

test('zone states', () => {
  assert.equal(computeZoneState(3, 0), 'Normal');
  assert.equal(computeZoneState(2, 1), 'Normal');
  assert.equal(computeZoneState(0, 1), 'FullDisruption');
  assert.equal(computeZoneState(2, 2), 'Normal', 'at most 2 not-ready nodes never make a partial disruption');
  assert.equal(computeZoneState(2, 3), 'PartialDisruption');
  assert.equal(computeZoneState(10, 3), 'Normal');
});

test('rates: secondary only for large partially disrupted zones; nothing when all zones are down', () => {
  assert.equal(taintRate('Normal', 3, false), NODE_EVICTION_RATE);
  assert.equal(taintRate('PartialDisruption', 10, false), 0);
  assert.equal(taintRate('PartialDisruption', 51, false), SECONDARY_NODE_EVICTION_RATE);
  assert.equal(taintRate('FullDisruption', 3, false), NODE_EVICTION_RATE);
  assert.equal(taintRate('FullDisruption', 3, true), 0);
});

test('token bucket: burst 1, then one per 1/qps seconds', () => {
  const b = new TokenBucket(0.1, 0);
  assert.equal(b.tryAccept(0), true);
  assert.equal(b.tryAccept(9_999), false);
  assert.equal(b.tryAccept(10_000), true, 'the refused attempt at 9.999 s did not lose time');
  assert.equal(b.tryAccept(19_000), false);
  assert.equal(b.tryAccept(20_000), true);
  assert.equal(new TokenBucket(0, 0).tryAccept(0), false);
});

test('zone keys from the topology labels', () => {
  assert.equal(zoneKey({ metadata: { labels: {} } }), '');
  assert.equal(zoneKey({ metadata: { labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'a' } } }), 'r:\x00:a');
});
