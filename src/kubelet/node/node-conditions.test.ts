import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import { conditionsChanged, conditionTransitionEvents, nodeConditions, observePressure, PressureTracker, type NodeSignals } from './node-conditions.js';
import { DEFAULT_EVICTION_HARD, parseEvictionThresholds } from './node-resources.js';

const Gi = 2 ** 30;
const Mi = 2 ** 20;
const hard = parseEvictionThresholds(DEFAULT_EVICTION_HARD);
const healthy: NodeSignals = {
  memoryCapacityBytes: 8 * Gi, memoryAvailableBytes: 4 * Gi,
  nodefs: { capacityBytes: 100 * Gi, availableBytes: 50 * Gi, inodes: 1000, inodesFree: 500 },
  pidMax: 32768, pidAvailable: 32000,
};

test('observePressure compares each signal with its hard threshold', () => {
  assert.deepEqual(observePressure(healthy, hard), { memory: false, disk: false, pid: false });
  assert.equal(observePressure({ ...healthy, memoryAvailableBytes: 99 * Mi }, hard).memory, true);
  assert.equal(observePressure({ ...healthy, memoryAvailableBytes: 100 * Mi }, hard).memory, false);
  assert.equal(observePressure({ ...healthy, nodefs: { ...healthy.nodefs, availableBytes: 9 * Gi } }, hard).disk, true);
  assert.equal(observePressure({ ...healthy, nodefs: { ...healthy.nodefs, inodesFree: 49 } }, hard).disk, true);
  // imagefs.available<15% on its own filesystem
  assert.equal(observePressure({ ...healthy, imagefs: { capacityBytes: 100, availableBytes: 14, inodes: 10, inodesFree: 10 } }, hard).disk, true);
  assert.equal(observePressure({ ...healthy, pidAvailable: 1000 }, hard).pid, true);
  assert.deepEqual(observePressure({ ...healthy, memoryAvailableBytes: 0 }, []), { memory: false, disk: false, pid: false });
});

test('conditions: upstream reasons; heartbeat every report, transition only on change; pressure held 5 min', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const tracker = new PressureTracker();
  const t0 = '2026-01-01T00:00:00Z';
  let c = nodeConditions(clock.now(), [], tracker.observe(clock.now(), observePressure(healthy, hard)), []);
  assert.deepEqual(c.map((x) => [x.type, x.status, x.reason]), [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
    ['Ready', 'True', 'KubeletReady'],
  ]);
  assert.equal(c[3]!.message, 'kubelet is posting ready status');
  assert.ok(c.every((x) => x.lastHeartbeatTime === t0 && x.lastTransitionTime === t0));

  clock.advance(10_000);
  const low = observePressure({ ...healthy, memoryAvailableBytes: 50 * Mi }, hard);
  const next = nodeConditions(clock.now(), c, tracker.observe(clock.now(), low), []);
  assert.equal(next[0]!.status, 'True');
  assert.equal(next[0]!.reason, 'KubeletHasInsufficientMemory');
  assert.equal(next[0]!.lastTransitionTime, '2026-01-01T00:00:10Z');
  assert.equal(next[1]!.lastTransitionTime, t0);
  assert.equal(next[1]!.lastHeartbeatTime, '2026-01-01T00:00:10Z');
  assert.ok(conditionsChanged(c, next));
  c = next;

  // Memory recovers, but the condition is held for the transition period.
  clock.advance(4 * 60_000);
  c = nodeConditions(clock.now(), c, tracker.observe(clock.now(), observePressure(healthy, hard)), []);
  assert.equal(c[0]!.status, 'True');
  clock.advance(61_000);
  c = nodeConditions(clock.now(), c, tracker.observe(clock.now(), observePressure(healthy, hard)), []);
  assert.equal(c[0]!.status, 'False');
  assert.equal(c[0]!.reason, 'KubeletHasSufficientMemory');
  assert.equal(c[0]!.lastTransitionTime, isoAt(clock.now()));
});

test('Ready=False carries the failing checks, aggregated as upstream', () => {
  const none = { memory: false, disk: false, pid: false };
  const one = nodeConditions(0, [], none, ['container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:no CNI config']);
  assert.deepEqual([one[3]!.status, one[3]!.reason, one[3]!.message], ['False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:no CNI config']);
  const two = nodeConditions(0, [], none, ['a', 'b']);
  assert.equal(two[3]!.message, '[a, b]');
  const ready = nodeConditions(20_000, two, none, []);
  assert.equal(ready[3]!.lastTransitionTime, '1970-01-01T00:00:20Z');
  assert.equal(conditionsChanged(ready, nodeConditions(30_000, ready, none, [])), false);
});

function isoAt(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

test('condition transitions become upstream node status events', () => {
  const none = { memory: false, disk: false, pid: false };
  const first = nodeConditions(0, [], none, []);
  assert.deepEqual(conditionTransitionEvents('n1', [], first).map((e) => e.reason), ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']);
  assert.equal(conditionTransitionEvents('n1', [], first)[3]!.message, 'Node n1 status is now: NodeReady');
  assert.deepEqual(conditionTransitionEvents('n1', first, nodeConditions(10_000, first, none, [])), []);
  const sick = nodeConditions(20_000, first, { ...none, disk: true }, ['x']);
  assert.deepEqual(conditionTransitionEvents('n1', first, sick).map((e) => e.reason), ['NodeHasDiskPressure', 'NodeNotReady']);
});
