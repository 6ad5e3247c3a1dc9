import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EVICTION_HARD, nodeResources, parseEvictionThresholds, parseReservation, thresholdAmount } from './node-resources.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

test('parseEvictionThresholds reads quantities and percentages', () => {
  const t = parseEvictionThresholds(DEFAULT_EVICTION_HARD);
  assert.deepEqual(t.find((x) => x.signal === 'memory.available'), { signal: 'memory.available', quantity: 100 * Mi });
  assert.deepEqual(t.find((x) => x.signal === 'nodefs.available'), { signal: 'nodefs.available', percentage: 0.1 });
  assert.equal(thresholdAmount(t.find((x) => x.signal === 'imagefs.available')!, 1000), 150);
  assert.throws(() => parseEvictionThresholds('memory.free<1Gi'), /unknown signal/);
  assert.throws(() => parseEvictionThresholds('memory.available>1Gi'), /want signal<value/);
  assert.throws(() => parseEvictionThresholds('nodefs.available<120%'), /percentage/);
});

test('parseReservation accepts cpu, memory, ephemeral-storage and pid only', () => {
  assert.deepEqual(parseReservation('cpu=100m, memory=256Mi', '--system-reserved'), { cpu: '100m', memory: '256Mi' });
  assert.deepEqual(parseReservation(undefined, '--kube-reserved'), {});
  assert.throws(() => parseReservation('gpu=1', '--kube-reserved'), /--kube-reserved entry "gpu=1"/);
  assert.throws(() => parseReservation('cpu=lots', '--kube-reserved'), /not a non-negative quantity/);
});

test('allocatable = capacity − kube-reserved − system-reserved − hard eviction (upstream defaults)', () => {
  const r = nodeResources(
    { cpus: 2, memoryBytes: 8 * Gi, nodefsBytes: 100 * Gi, maxPods: 110, hugepages: { '2Mi': 64 * Mi } },
    { cpu: '100m', memory: '256Mi' }, { cpu: '150m', 'ephemeral-storage': '1Gi' },
    parseEvictionThresholds(DEFAULT_EVICTION_HARD),
  );
  assert.deepEqual(r.capacity, {
    cpu: '2', 'ephemeral-storage': '100Gi', memory: '8Gi', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '64Mi',
  });
  // memory: 8Gi − 256Mi − 100Mi (eviction) − 64Mi (hugepages) = 7772Mi
  // storage: 100Gi − 1Gi − 10% of 100Gi = 89Gi
  assert.deepEqual(r.allocatable, {
    cpu: '1750m', 'ephemeral-storage': '89Gi', memory: '7772Mi', pods: '110', 'hugepages-1Gi': '0', 'hugepages-2Mi': '64Mi',
  });
});

test('allocatable never goes negative', () => {
  const r = nodeResources({ cpus: 1, memoryBytes: 50 * Mi, nodefsBytes: Gi, maxPods: 5, hugepages: {} }, { cpu: '2' }, {}, parseEvictionThresholds('memory.available<100Mi'));
  assert.equal(r.allocatable.cpu, '0');
  assert.equal(r.allocatable.memory, '0');
  assert.equal(r.allocatable.pods, '5');
});
