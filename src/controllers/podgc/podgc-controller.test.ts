// PodGC's quarantine of missing nodes (upstream gcOrphaned with quarantineTime), on a ManualClock,
// against in-memory caches and a recording API client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, type KubeObject, type Node, type Pod } from '../../api/index.js';
import { CacheStore, ManualClock, type ResourceRef } from '../../client/index.js';
import type { ControllerContext } from '../controller.js';
import { PodGCController } from './podgc-controller.js';

function harness(serverNodes: Set<string>, threshold?: number) {
  const stores = new Map<string, CacheStore>();
  const storeFor = (ref: ResourceRef) => {
    let s = stores.get(ref.plural);
    if (!s) stores.set(ref.plural, (s = new CacheStore()));
    return s;
  };
  const calls: string[] = [];
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const ctx = {
    clock,
    config: threshold === undefined ? undefined : { terminatedPodGCThreshold: threshold },
    informers: { informerFor: (ref: ResourceRef) => ({ store: storeFor(ref), addEventHandler() {} }) },
    client: {
      resource: (ref: ResourceRef) => ({
        get: async (_ns: string, name: string) => {
          calls.push(`get ${ref.plural} ${name}`);
          if (ref.plural === 'nodes' && !serverNodes.has(name)) throw errors.notFound({ group: '', resource: 'nodes' }, name);
          return { metadata: { name } };
        },
        patch: async (ns: string, name: string, _t: string, body: { status: { phase: string; conditions?: { reason: string }[] } }) => {
          calls.push(`patch ${ns}/${name} ${body.status.phase} ${body.status.conditions?.[0]?.reason ?? ''}`.trim());
          return {};
        },
        delete: async (ns: string, name: string, opts: { gracePeriodSeconds?: number }) => {
          calls.push(`delete ${ns}/${name} grace=${opts.gracePeriodSeconds}`);
          return {};
        },
      }),
    },
    recorder: () => ({ event() {}, flush: async () => {} }),
    onError: (e: unknown) => { throw e; },
  } as unknown as ControllerContext;
  const gc = new PodGCController(ctx);
  const pods = storeFor({ group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' });
  const nodes = storeFor({ group: '', version: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' });
  return { gc, clock, calls, pods, nodes };
}

const pod = (name: string, nodeName: string, phase = 'Running'): Pod => ({
  metadata: { name, namespace: 'default', uid: name, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { nodeName, containers: [] } as unknown as Pod['spec'],
  status: { phase },
});

test('pods of a node missing from the cache go after the 40 s quarantine, once the server confirms', async () => {
  const h = harness(new Set(['late']));
  h.nodes.put({ metadata: { name: 'here' } } as Node as KubeObject);
  for (const p of [pod('a', 'gone'), pod('b', 'here'), pod('c', 'late')]) h.pods.put(p as KubeObject);
  await h.gc.gc();
  assert.deepEqual(h.calls, [], 'first sighting only starts the quarantine');
  h.clock.advance(39_000);
  await h.gc.gc();
  assert.deepEqual(h.calls, []);
  h.clock.advance(1_000);
  await h.gc.gc();
  assert.deepEqual(h.calls, [
    'get nodes gone', 'get nodes late',
    'patch default/a Failed DeletionByPodGC', 'delete default/a grace=0',
  ], '"late" exists on the server (cache lag): its pod stays');
});

test('terminated pods beyond the threshold are force-deleted without a status patch', async () => {
  const h = harness(new Set(['n']), 1);
  h.nodes.put({ metadata: { name: 'n' } } as Node as KubeObject);
  h.pods.put(pod('done1', 'n', 'Succeeded') as KubeObject);
  h.pods.put(pod('done2', 'n', 'Failed') as KubeObject);
  h.pods.put(pod('live', 'n') as KubeObject);
  await h.gc.gc();
  assert.equal(h.calls.length, 1);
  assert.match(h.calls[0], /^delete default\/done[12] grace=0$/);
});
