// Grace-period arithmetic of the node lifecycle controller (upstream tryUpdateNodeHealth and
// doNoExecuteTaintingPass), on a ManualClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease, Node } from '../../api/index.js';
import { ManualClock, microTime } from '../../client/index.js';
import {
  gracePeriodFor, isNodeSilent, observeNodeHealth, taintsWithConditions, taintsWithReadiness, unknownConditions, wantedNoExecuteTaint,
  DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS, TAINT_NOT_READY, TAINT_UNREACHABLE, type NodeHealth,
} from './health.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function node(ready?: { status: string; heartbeat: number }): Node {
  return {
    metadata: { name: 'n1', creationTimestamp: iso(T0 - 3_600_000) },
    status: {
      conditions: ready ? [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: iso(ready.heartbeat), lastTransitionTime: iso(T0 - 3_600_000), reason: 'KubeletHasSufficientMemory' },
        { type: 'Ready', status: ready.status, lastHeartbeatTime: iso(ready.heartbeat), lastTransitionTime: iso(T0 - 3_600_000), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ] : [],
    },
  };
}
const lease = (renew: number): Lease => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: microTime(renew) } });

test('a renewed lease keeps a node alive; silence past the grace period does not', () => {
  const clock = new ManualClock(T0);
  const grace = 40_000;
  const n = node({ status: 'True', heartbeat: T0 });
  let h: NodeHealth = observeNodeHealth(undefined, n, lease(T0), clock.now());
  for (let i = 0; i < 10; i++) {
    clock.advance(10_000);
    h = observeNodeHealth(h, n, lease(clock.now()), clock.now());
    assert.equal(isNodeSilent(h, grace, clock.now()), false);
  }
  const last = clock.now();
  clock.advance(40_000);
  h = observeNodeHealth(h, n, lease(last), clock.now());
  assert.equal(isNodeSilent(h, grace, clock.now()), false, 'exactly the grace period is not yet silent');
  clock.advance(1);
  h = observeNodeHealth(h, n, lease(last), clock.now());
  assert.equal(isNodeSilent(h, grace, clock.now()), true);
});

test('a new Ready heartbeat counts as life too, timed by our clock not the kubelet\'s', () => {
  const clock = new ManualClock(T0);
  let h = observeNodeHealth(undefined, node({ status: 'True', heartbeat: T0 - 999_000 }), undefined, clock.now());
  clock.advance(30_000);
  h = observeNodeHealth(h, node({ status: 'True', heartbeat: T0 - 500_000 }), undefined, clock.now());
  assert.equal(h.probeTimestamp, T0 + 30_000);
  clock.advance(45_000);
  assert.equal(isNodeSilent(h, 50_000, clock.now()), false);
  clock.advance(5_001);
  assert.equal(isNodeSilent(h, 50_000, clock.now()), true);
});

test('a node that never posted Ready gets the startup grace period from its creation', () => {
  const n = node();
  assert.equal(gracePeriodFor(n, 40_000), DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS);
  const h = observeNodeHealth(undefined, n, undefined, T0);
  assert.equal(h.probeTimestamp, T0 - 3_600_000);
  assert.equal(isNodeSilent(h, gracePeriodFor(n, 40_000), T0), true);
});

test('silent: kubelet conditions become Unknown, heartbeats kept, missing ones NeverUpdated', () => {
  const n = node({ status: 'True', heartbeat: T0 });
  const conds = unknownConditions(n, T0 + 60_000)!;
  const ready = conds.find((c) => c.type === 'Ready')!;
  assert.deepEqual(ready, {
    type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.',
    lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0 + 60_000),
  });
  assert.equal(conds.find((c) => c.type === 'MemoryPressure')?.status, 'Unknown');
  const disk = conds.find((c) => c.type === 'DiskPressure')!;
  assert.equal(disk.reason, 'NodeStatusNeverUpdated');
  assert.equal(disk.message, 'Kubelet never posted node status.');
  assert.equal(unknownConditions({ ...n, status: { conditions: conds } }, T0 + 70_000), undefined, 'already Unknown: nothing to write');
});

test('Ready picks the NoExecute taint; swaps keep other taints; Ready=True removes it', () => {
  assert.equal(wantedNoExecuteTaint(node({ status: 'Unknown', heartbeat: T0 })), TAINT_UNREACHABLE);
  assert.equal(wantedNoExecuteTaint(node({ status: 'False', heartbeat: T0 })), TAINT_NOT_READY);
  assert.equal(wantedNoExecuteTaint(node({ status: 'True', heartbeat: T0 })), undefined);
  const other = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  const added = taintsWithReadiness([other], TAINT_UNREACHABLE, T0)!;
  assert.deepEqual(added, [other, { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: iso(T0) }]);
  assert.equal(taintsWithReadiness(added, TAINT_UNREACHABLE, T0 + 5000), undefined);
  const swapped = taintsWithReadiness(added, TAINT_NOT_READY, T0 + 5000)!;
  assert.deepEqual(swapped.map((t) => t.key), ['dedicated', TAINT_NOT_READY]);
  assert.deepEqual(taintsWithReadiness(swapped, undefined, T0 + 9000), [other]);
  assert.equal(taintsWithReadiness([other], undefined, T0), undefined);
});

test('conditions pick NoSchedule taints (unreachable, pressure, unschedulable); others and NoExecute ones stay', () => {
  const noExec = { key: TAINT_UNREACHABLE, effect: 'NoExecute' as const, timeAdded: iso(T0) };
  const other = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  const unknown = node({ status: 'Unknown', heartbeat: T0 });
  const tainted = taintsWithConditions([other, noExec], unknown)!;
  assert.deepEqual(tainted, [other, noExec, { key: TAINT_UNREACHABLE, effect: 'NoSchedule' }]);
  assert.equal(taintsWithConditions(tainted, unknown), undefined, 'already tainted: nothing to write');
  const pressured: Node = { ...node({ status: 'True', heartbeat: T0 }), spec: { unschedulable: true } };
  pressured.status!.conditions![0]!.status = 'True'; // MemoryPressure
  pressured.status!.conditions!.push({ type: 'DiskPressure', status: 'False' });
  assert.deepEqual(taintsWithConditions(tainted, pressured), [other, noExec,
    { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
  assert.deepEqual(taintsWithConditions(tainted, node({ status: 'True', heartbeat: T0 })), [other, noExec], 'Ready again: the NoSchedule taint goes');
});
