// The node lifecycle controller's passes on a ManualClock, against in-memory caches and a
// recording API client: silence past the grace period writes Unknown conditions and the
// unreachable taint; a second failing node in the same zone waits for the zone's rate limit; a
// node reporting Ready again loses its taint at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Lease, Node } from '../../api/index.js';
import { CacheStore, ManualClock, microTime, type ResourceRef } from '../../client/index.js';
import type { ControllerContext } from '../controller.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TAINT_UNREACHABLE } from './health.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function harness() {
  const stores = new Map<string, CacheStore>();
  const storeFor = (ref: ResourceRef) => {
    let s = stores.get(ref.plural);
    if (!s) stores.set(ref.plural, (s = new CacheStore()));
    return s;
  };
  const writes: { verb: string; obj: Node }[] = [];
  const clock = new ManualClock(T0);
  // Writes land in the cache at once, as if the informer had seen them.
  const write = (verb: string) => async (_ns: string, obj: Node) => {
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(writes.length + 2) } };
    writes.push({ verb, obj: stored });
    storeFor({ plural: 'nodes' } as ResourceRef).put(stored as KubeObject);
    return stored;
  };
  const ctx = {
    clock,
    config: { nodeMonitorGracePeriodMs: 40_000, nodeMonitorPeriodMs: 5_000 },
    informers: { informerFor: (ref: ResourceRef) => ({ store: storeFor(ref), addEventHandler() {} }) },
    client: { resource: () => ({ updateStatus: write('updateStatus'), update: write('update'), patch: async () => ({}) }) },
    recorder: () => ({ event() {}, flush: async () => {} }),
    onError: (e: unknown) => { throw e; },
  } as unknown as ControllerContext;
  const nlc = new NodeLifecycleController(ctx);
  const nodes = storeFor({ plural: 'nodes' } as ResourceRef);
  const leases = storeFor({ plural: 'leases' } as ResourceRef);
  const addNode = (name: string) => {
    nodes.put({
      metadata: { name, resourceVersion: '1', creationTimestamp: iso(T0 - 60_000) },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: iso(T0), lastTransitionTime: iso(T0 - 60_000) }] },
    } as Node as KubeObject);
  };
  const renew = (name: string) => leases.put({ metadata: { name, namespace: 'kube-node-lease' }, spec: { renewTime: microTime(clock.now()) } } as Lease as KubeObject);
  const node = (name: string) => nodes.getByName('', name) as Node;
  return { nlc, clock, writes, addNode, renew, node, nodes };
}

const readyOf = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');
const tainted = (n: Node) => (n.spec?.taints ?? []).some((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute');

test('renewed leases keep nodes Ready; silence past 40 s marks Unknown and taints; zone limits the second taint', async () => {
  const h = harness();
  for (const n of ['a', 'b', 'c', 'd']) { h.addNode(n); h.renew(n); }
  const pass = async () => { h.nlc.monitorPass(); for (const n of ['a', 'b', 'c', 'd']) await h.nlc.sync(n); };
  await pass();
  for (let t = 0; t < 8; t++) {
    h.clock.advance(5_000);
    for (const n of ['a', 'b', 'c', 'd']) h.renew(n);
    await pass();
  }
  assert.deepEqual(h.writes, [], 'healthy nodes are left alone');

  // a and b go silent; c and d keep renewing.
  for (let t = 0; t < 8; t++) {
    h.clock.advance(5_000);
    h.renew('c'); h.renew('d');
    await pass();
  }
  assert.equal(readyOf(h.node('a'))?.status, 'True', '40 s of silence is not yet past the grace period');
  h.clock.advance(5_000);
  h.renew('c'); h.renew('d');
  await pass();
  for (const n of ['a', 'b']) {
    assert.equal(readyOf(h.node(n))?.status, 'Unknown');
    assert.equal(readyOf(h.node(n))?.reason, 'NodeStatusUnknown');
  }
  assert.equal(readyOf(h.node('c'))?.status, 'True');
  // One taint per 10 s per zone (burst 1): the first silent node is tainted now, the other later.
  assert.deepEqual(['a', 'b'].map((n) => tainted(h.node(n))), [true, false]);
  h.clock.advance(5_000);
  await pass();
  assert.equal(tainted(h.node('b')), false);
  h.clock.advance(5_000);
  await pass();
  assert.equal(tainted(h.node('b')), true);

  // a reports Ready again: the taint goes at once.
  const a = h.node('a');
  h.nodes.put({ ...a, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: iso(h.clock.now()) }] } } as KubeObject);
  h.renew('a');
  await h.nlc.sync('a');
  assert.equal(tainted(h.node('a')), false);
  assert.equal(tainted(h.node('b')), true);
});
