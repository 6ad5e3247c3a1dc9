// The slice planner (upstream reconciler_test.go's scenarios): chunking at the per-slice maximum,
// in-place updates, filling before creating, reuse of emptied slices, the placeholder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../../api/index.js';
import { planSlices, type EndpointGroup, type SliceEndpoint } from './reconcile.js';

const ports = [{ name: 'http', port: 8080, protocol: 'TCP' as const }];
const ep = (i: number, ready = true): SliceEndpoint => ({
  addresses: [`10.0.${Math.floor(i / 250)}.${i % 250}`], conditions: { ready, serving: ready, terminating: false },
  targetRef: { kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${i}` },
});
const range = (from: number, to: number, ready = true) => Array.from({ length: to - from }, (_, k) => ep(from + k, ready));
const group = (endpoints: SliceEndpoint[]): EndpointGroup => ({ addressType: 'IPv4', ports, endpoints });
const slice = (name: string, endpoints: SliceEndpoint[], p = ports): EndpointSlice =>
  ({ metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1' }, addressType: 'IPv4', ports: p, endpoints }) as EndpointSlice;
const opts = { maxEndpointsPerSlice: 100, placeholderAddressType: 'IPv4' as const };

test('250 endpoints from nothing: 3 new slices of 100, 100 and 50', () => {
  const plan = planSlices([], [group(range(0, 250))], opts);
  assert.deepEqual(plan.create.map((c) => c.endpoints.length), [100, 100, 50]);
  assert.deepEqual([plan.update.length, plan.delete.length], [0, 0]);
  assert.equal(new Set(plan.create.flatMap((c) => c.endpoints.map((e) => e.targetRef?.uid))).size, 250);
});

test('nothing changed: nothing written', () => {
  const plan = planSlices([slice('a', range(0, 100)), slice('b', range(100, 150))], [group(range(0, 150))], opts);
  assert.deepEqual([plan.create.length, plan.update.length, plan.delete.length, plan.unchanged.length], [0, 0, 0, 2]);
});

test('a readiness change updates only the slice holding that endpoint', () => {
  const desired = range(0, 150);
  desired[120] = ep(120, false);
  const plan = planSlices([slice('a', range(0, 100)), slice('b', range(100, 150))], [group(desired)], opts);
  assert.deepEqual(plan.update.map((s) => s.metadata?.name), ['b']);
  assert.equal(plan.update[0]!.endpoints![20]!.conditions?.ready, false);
  assert.deepEqual(plan.unchanged.map((s) => s.metadata?.name), ['a']);
});

test('a new endpoint goes into the fullest slice with room, not a new slice', () => {
  const plan = planSlices([slice('a', range(0, 100)), slice('b', range(100, 150)), slice('c', range(150, 160))], [group(range(0, 161))], opts);
  assert.deepEqual(plan.create, []);
  assert.deepEqual(plan.update.map((s) => [s.metadata?.name, s.endpoints?.length]), [['b', 51]]);
});

test('removed endpoints empty a slice: it is deleted, or reused rather than creating one', () => {
  let plan = planSlices([slice('a', range(0, 100)), slice('b', range(100, 150))], [group(range(0, 100))], opts);
  assert.deepEqual(plan.delete.map((s) => s.metadata?.name), ['b']);
  // b's endpoints all replaced by 60 new ones: b is rewritten in place.
  plan = planSlices([slice('a', range(0, 100)), slice('b', range(100, 150))], [group([...range(0, 100), ...range(500, 560)])], opts);
  assert.deepEqual([plan.create.length, plan.delete.length], [0, 0]);
  assert.deepEqual(plan.update.map((s) => [s.metadata?.name, s.endpoints?.length]), [['b', 60]]);
});

test('a slice of a port set no longer wanted goes; the new port set gets its own slices', () => {
  const old = slice('old', range(0, 10), [{ name: 'http', port: 80, protocol: 'TCP' }]);
  const plan = planSlices([old], [group(range(0, 10))], opts);
  assert.deepEqual(plan.delete.map((s) => s.metadata?.name), ['old']);
  assert.deepEqual(plan.create.map((c) => c.endpoints.length), [10]);
});

test('no endpoints: one empty placeholder slice, kept once it exists; none without the option', () => {
  let plan = planSlices([slice('a', range(0, 3))], [], opts);
  assert.deepEqual(plan.delete.map((s) => s.metadata?.name), ['a']);
  assert.deepEqual(plan.create, [{ addressType: 'IPv4', ports: [], endpoints: [] }]);
  const placeholder = { ...slice('p', []), ports: [] } as EndpointSlice;
  plan = planSlices([placeholder], [], opts);
  assert.deepEqual([plan.create.length, plan.delete.length, plan.unchanged.length], [0, 0, 1]);
  plan = planSlices([placeholder], [group(range(0, 1))], opts);
  assert.deepEqual(plan.delete.map((s) => s.metadata?.name), ['p']);
  assert.equal(plan.create.length, 1);
  plan = planSlices([slice('a', range(0, 3))], [], { maxEndpointsPerSlice: 100 });
  assert.deepEqual([plan.create.length, plan.delete.length], [0, 1]);
});

test('an over-full slice (smaller maximum) is trimmed and the rest placed elsewhere', () => {
  const plan = planSlices([slice('a', range(0, 150))], [group(range(0, 150))], opts);
  assert.deepEqual(plan.update.map((s) => s.endpoints?.length), [100]);
  assert.deepEqual(plan.create.map((c) => c.endpoints.length), [50]);
});
