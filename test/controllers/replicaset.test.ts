// The ReplicaSet controller alone (no scheduler, no nodes: pods stay Pending) through the API:
// pods carry the controller reference and the template's labels; orphans matching the selector
// are adopted instead of new pods being created; a pod whose labels stop matching is released
// and replaced; expectations keep a large ReplicaSet from over-creating; and of two controller
// managers only the lease holder acts, with no duplicate pods across the hand-over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loopbackTransport, type KubeList } from '../../src/client/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { Event, KubeObject, Pod, ReplicaSet } from '../../src/api/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { PODS, EVENTS, REPLICASETS } from '../support/resources.js';

const NS = 'default';

const loopback = (srv: TestServer) => new Client(loopbackTransport(srv.api.loopback.bind(srv.api)));

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(v).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function replicaSet(name: string, replicas: number, app = name): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels: { app, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  } as KubeObject;
}

async function withManager(fn: (client: Client, srv: TestServer) => Promise<void>): Promise<void> {
  const srv = await startTestServer({ memory: true });
  const stop = new AbortController();
  const running = new ControllerManager({ client: loopback(srv), leaderElect: false }).start(stop.signal);
  try {
    await fn(loopback(srv), srv);
  } finally {
    stop.abort();
    await running;
    await srv.stop();
  }
}

const podsOf = async (client: Client, app: string) => ((await client.resource(PODS).list(NS, { labelSelector: `app=${app}` })) as KubeList).items as Pod[];

test('pods get the controller reference, template labels and generateName; status counts them', () => withManager(async (client) => {
  const rs = await client.resource(REPLICASETS).create(NS, replicaSet('front', 3)) as ReplicaSet;
  const pods = await until('3 pods', () => podsOf(client, 'front'), (l) => l.length === 3);
  for (const p of pods) {
    assert.match(p.metadata?.name ?? '', /^front-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata?.labels, { app: 'front', tier: 'web' });
    assert.deepEqual(p.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'front', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
  }
  const status = await until('status', async () => (await client.resource(REPLICASETS).get(NS, 'front') as ReplicaSet).status,
    (s) => s?.replicas === 3 && s.observedGeneration === rs.metadata?.generation);
  assert.deepEqual([status?.fullyLabeledReplicas, status?.readyReplicas ?? 0, status?.availableReplicas ?? 0], [3, 0, 0]);
}));

test('an orphan matching the selector is adopted, not duplicated; a pod that stops matching is released and replaced', () => withManager(async (client) => {
  await client.resource(PODS).create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as KubeObject);
  const rs = await client.resource(REPLICASETS).create(NS, replicaSet('adopt', 2)) as ReplicaSet;
  const pods = await until('2 pods, the stray adopted', () => podsOf(client, 'adopt'),
    (l) => l.length === 2 && l.every((p) => p.metadata?.ownerReferences?.[0]?.uid === rs.metadata?.uid));
  assert.ok(pods.some((p) => p.metadata?.name === 'stray'));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await podsOf(client, 'adopt')).length, 2, 'no extra pod');

  await client.resource(PODS).patch(NS, 'stray', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
  const released = await until('stray released', async () => await client.resource(PODS).get(NS, 'stray') as Pod, (p) => !p.metadata?.ownerReferences?.length);
  assert.equal(released.metadata?.labels?.app, 'elsewhere');
  await until('a replacement', () => podsOf(client, 'adopt'), (l) => l.length === 2 && !l.some((p) => p.metadata?.name === 'stray'));
}));

test('expectations: a ReplicaSet of 40 creates exactly 40 pods', () => withManager(async (client) => {
  await client.resource(REPLICASETS).create(NS, replicaSet('many', 40));
  await until('40 pods', () => podsOf(client, 'many'), (l) => l.length === 40);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await podsOf(client, 'many')).length, 40);
  const events = ((await client.resource(EVENTS).list(NS)) as KubeList).items as Event[];
  assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject?.name === 'many').length, 40);
  // Scaling down deletes the surplus and only that.
  await client.resource(REPLICASETS).patch(NS, 'many', 'merge', { spec: { replicas: 25 } });
  await until('25 live pods', async () => (await podsOf(client, 'many')).filter((p) => !p.metadata?.deletionTimestamp), (l) => l.length === 25);
}));

test('of two controller managers only the lease holder acts; the other takes over without duplicates', async () => {
  const srv = await startTestServer({ memory: true });
  const client = loopback(srv);
  const leading = new Set<string>();
  const start = (identity: string) => {
    const stop = new AbortController();
    const manager = new ControllerManager({
      client: loopback(srv), identity, leaseDurationSeconds: 3, renewDeadlineMs: 2000, retryPeriodMs: 500,
      onLeading: (id, on) => { if (on) leading.add(id); else leading.delete(id); },
    });
    return { manager, stop, running: manager.start(stop.signal) };
  };
  const a = start('cm-a');
  const b = start('cm-b');
  try {
    await until('a leader', async () => leading.size, (n) => n === 1);
    const first = [...leading][0]!;
    const [leader, follower] = first === 'cm-a' ? [a, b] : [b, a];
    assert.equal(follower.manager.controllers, undefined, 'the follower runs no controllers');
    await client.resource(REPLICASETS).create(NS, replicaSet('ha', 5));
    await until('5 pods', () => podsOf(client, 'ha'), (l) => l.length === 5);

    leader.stop.abort();
    await leader.running;
    await until('the other leads', async () => [...leading], (l) => l.length === 1 && l[0] !== first, 30_000);
    await client.resource(REPLICASETS).patch(NS, 'ha', 'merge', { spec: { replicas: 8 } });
    await until('8 pods', () => podsOf(client, 'ha'), (l) => l.length === 8);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await podsOf(client, 'ha')).length, 8, 'no duplicate pods across the hand-over');
    const events = ((await client.resource(EVENTS).list(NS)) as KubeList).items as Event[];
    const creators = events.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject?.name === 'ha').map((e) => e.reportingInstance);
    assert.deepEqual(creators.sort(), [...Array(5).fill(first), ...Array(3).fill(follower.manager.identity)].sort());
  } finally {
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.running, b.running]);
    await srv.stop();
  }
});
