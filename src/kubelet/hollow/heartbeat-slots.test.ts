import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import { HeartbeatSlots } from './heartbeat-slots.js';
import { HollowNode } from './hollow-node.js';
import { FakeRuntime } from '../../runtime/index.js';
import { handleControlCommand } from './control.js';

test('every node is visited once per interval, spread evenly over it', () => {
  const clock = new ManualClock(0);
  const visits: [number, string][] = [];
  const slots = new HeartbeatSlots(clock, 1_000, (n) => visits.push([clock.now(), n]), 10);
  for (let i = 0; i < 50; i++) slots.add(`n${i}`);
  slots.start();
  clock.advance(1_000);
  assert.equal(visits.length, 50);
  assert.equal(new Set(visits.map(([, n]) => n)).size, 50);
  const perTick = new Map<number, number>();
  for (const [t] of visits) perTick.set(t, (perTick.get(t) ?? 0) + 1);
  assert.deepEqual([...perTick.values()], Array(10).fill(5), 'five nodes per 100 ms tick, no burst');
  clock.advance(1_000);
  assert.equal(visits.length, 100);
  slots.stop();
  clock.advance(5_000);
  assert.equal(visits.length, 100);
  assert.equal(clock.pending, 0);
});

test('HollowNode hands out unique pod IPs in its range and reuses released ones', () => {
  const node = new HollowNode('n', 3, new FakeRuntime());
  assert.equal(node.hostIP, '172.16.0.4');
  const ips = Array.from({ length: 253 }, () => node.allocateIP());
  assert.equal(new Set(ips).size, 253);
  assert.ok(ips.every((ip) => ip.startsWith('100.64.3.')));
  assert.throws(() => node.allocateIP(), /no free pod IP/);
  node.releaseIP('100.64.3.77');
  assert.equal(node.allocateIP(), '100.64.3.77');
  const other = new HollowNode('m', 0, new FakeRuntime());
  other.usePodCIDR('10.42.7.0/24');
  assert.equal(other.allocateIP(), '10.42.7.2');
});

test('control commands: kill, revive, stats, errors', () => {
  const calls: string[] = [];
  const sim = {
    kill: (n: string) => { if (n === 'x') throw new Error('no hollow node named "x"'); calls.push(`kill ${n}`); },
    revive: (n: string) => { calls.push(`revive ${n}`); },
    stats: () => ({ nodes: 1 }) as never,
  };
  assert.equal(handleControlCommand(sim, 'kill hollow-1\r'), 'ok');
  assert.equal(handleControlCommand(sim, ' revive  hollow-1'), 'ok');
  assert.deepEqual(calls, ['kill hollow-1', 'revive hollow-1']);
  assert.equal(handleControlCommand(sim, 'stats'), '{"nodes":1}');
  assert.equal(handleControlCommand(sim, 'kill x'), 'error: no hollow node named "x"');
  assert.match(handleControlCommand(sim, 'explode'), /^error: unknown command "explode"/);
  assert.match(handleControlCommand(sim, 'kill'), /^error: unknown command/);
});
