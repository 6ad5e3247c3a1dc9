// Upstream API semantics through HTTPS: generateName, generation, dryRun, finalizers and
// deletionTimestamp, graceful pod deletion, Service IP/NodePort allocation, selectors,
// resourceVersion read modes, compaction (410 Expired), bookmarks and watch transitions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, tempDir, type TestServer } from './support/server.js';
import { ApiClient, credentialsFrom } from './support/http.js';

let server: TestServer;
let c: ApiClient;
const NS = '/api/v1/namespaces/sem';

const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } });

before(async () => {
  server = await startTestServer({ bookmarkIntervalMs: 200 });
  c = new ApiClient(credentialsFrom(server.kubeconfig));
  assert.equal((await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sem' } })).status, 201);
});
after(async () => {
  c?.close();
  await server?.stop();
});

/** Collects watch events until `until` is true or the deadline passes. */
async function watchUntil(path: string, until: (events: any[]) => boolean, ms = 5000): Promise<any[]> {
  const events: any[] = [];
  const w = c.watch(path, (e) => events.push(e));
  const deadline = Date.now() + ms;
  while (!until(events) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  w.stop();
  await w.done.catch(() => undefined);
  return events;
}

describe('object metadata', () => {
  test('generateName, uid, creationTimestamp; resourceVersion must be empty on create', async () => {
    const r = await c.request('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    assert.equal(r.status, 201);
    const m = r.json().metadata;
    assert.match(m.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.match(m.uid, /^[0-9a-f-]{36}$/);
    assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const bad = await c.request('POST', `${NS}/configmaps`, cm('rv', { resourceVersion: '12' }));
    assert.equal(bad.status, 400);
  });

  test('generation moves with spec changes only; no-op updates keep the resourceVersion', async () => {
    const dep = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'g' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
    };
    const created = (await c.request('POST', '/apis/apps/v1/namespaces/sem/deployments', dep)).json();
    assert.equal(created.metadata.generation, 1);
    const merge = { 'content-type': 'application/merge-patch+json' };
    const labelled = (await c.request('PATCH', '/apis/apps/v1/namespaces/sem/deployments/g', { metadata: { labels: { x: 'y' } } }, merge)).json();
    assert.equal(labelled.metadata.generation, 1, 'metadata changes keep the generation');
    const scaled = (await c.request('PATCH', '/apis/apps/v1/namespaces/sem/deployments/g', { spec: { replicas: 3 } }, merge)).json();
    assert.equal(scaled.metadata.generation, 2);
    const same = (await c.request('PATCH', '/apis/apps/v1/namespaces/sem/deployments/g', { spec: { replicas: 3 } }, merge)).json();
    assert.equal(same.metadata.resourceVersion, scaled.metadata.resourceVersion, 'a no-op patch writes nothing');
    const status = await c.request('PATCH', '/apis/apps/v1/namespaces/sem/deployments/g/status', { status: { replicas: 7 }, spec: { replicas: 9 } }, merge);
    assert.equal(status.status, 200);
    assert.equal(status.json().status.replicas, 7);
    assert.equal(status.json().spec.replicas, 3, 'the status subresource changes only status');
    const main = await c.request('PATCH', '/apis/apps/v1/namespaces/sem/deployments/g', { status: { replicas: 1 } }, merge);
    assert.equal(main.json().status.replicas, 7, 'the main resource ignores status');
  });

  test('dryRun=All validates and answers without storing', async () => {
    const r = await c.request('POST', `${NS}/configmaps?dryRun=All`, cm('dry'));
    assert.equal(r.status, 201);
    assert.equal((await c.request('GET', `${NS}/configmaps/dry`)).status, 404);
    const invalid = await c.request('POST', `${NS}/configmaps?dryRun=All`, cm('Not_Valid'));
    assert.equal(invalid.status, 422);
  });

  test('finalizers hold a deleted object (202) until they are removed', async () => {
    await c.request('POST', `${NS}/configmaps`, cm('fin', { finalizers: ['example.com/hold'] }));
    const del = await c.request('DELETE', `${NS}/configmaps/fin`);
    assert.equal(del.status, 202);
    const held = (await c.request('GET', `${NS}/configmaps/fin`)).json();
    assert.ok(held.metadata.deletionTimestamp);
    const released = await c.request('PATCH', `${NS}/configmaps/fin`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(released.status, 200);
    assert.equal((await c.request('GET', `${NS}/configmaps/fin`)).status, 404);
  });

  test('propagationPolicy Orphan and Foreground become the garbage collector finalizers', async () => {
    await c.request('POST', `${NS}/configmaps`, cm('orph'));
    const r = await c.request('DELETE', `${NS}/configmaps/orph`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' });
    assert.equal(r.status, 202);
    assert.deepEqual(r.json().metadata.finalizers, ['orphan']);
    const bad = await c.request('DELETE', `${NS}/configmaps/orph`, { propagationPolicy: 'Sideways' });
    assert.equal(bad.status, 422);
  });
});

describe('pods and services', () => {
  const pod = (name: string, nodeName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] } });

  test('pods are defaulted, and a bound pod is deleted gracefully', async () => {
    const p = (await c.request('POST', `${NS}/pods`, pod('p1'))).json();
    assert.equal(p.spec.restartPolicy, 'Always');
    assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(p.spec.terminationGracePeriodSeconds, 30);
    assert.equal(p.spec.containers[0].imagePullPolicy, 'Always');
    assert.equal(p.status.phase, 'Pending');
    assert.equal(p.status.qosClass, 'BestEffort');
    assert.equal((await c.request('DELETE', `${NS}/pods/p1`)).status, 200, 'an unscheduled pod goes at once');
    await c.request('POST', `${NS}/pods`, pod('p2'));
    const bind = await c.request('POST', `${NS}/pods/p2/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p2' }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(bind.status, 201, bind.body);
    const again = await c.request('POST', `${NS}/pods/p2/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p2' }, target: { kind: 'Node', name: 'n2' } });
    assert.equal(again.status, 409);
    const graceful = await c.request('DELETE', `${NS}/pods/p2`);
    assert.equal(graceful.status, 202);
    assert.equal(graceful.json().metadata.deletionGracePeriodSeconds, 30);
    assert.equal((await c.request('GET', `${NS}/pods/p2`)).status, 200, 'the kubelet removes it after the grace period');
    const force = await c.request('DELETE', `${NS}/pods/p2?gracePeriodSeconds=0`);
    assert.equal(force.status, 200);
    assert.equal((await c.request('GET', `${NS}/pods/p2`)).status, 404);
  });

  test('cluster IPs and node ports are allocated without duplicates and released on delete', async () => {
    const svc = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', selector: { a: name }, ports: [{ port: 80 }], ...extra } });
    const ips = new Set<string>();
    const ports = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const s = (await c.request('POST', `${NS}/services`, svc(`s${i}`))).json();
      assert.match(s.spec.clusterIP, /^10\.43\./);
      assert.deepEqual(s.spec.clusterIPs, [s.spec.clusterIP]);
      assert.ok(s.spec.ports[0].nodePort >= 30000 && s.spec.ports[0].nodePort <= 32767);
      ips.add(s.spec.clusterIP);
      ports.add(s.spec.ports[0].nodePort);
    }
    assert.equal(ips.size, 20);
    assert.equal(ports.size, 20);
    const taken = [...ips][0]!;
    const dup = await c.request('POST', `${NS}/services`, svc('dup', { clusterIP: taken }));
    assert.equal(dup.status, 422);
    assert.match(dup.json().message, /provided IP is already allocated/);
    const list = (await c.request('GET', `${NS}/services`)).json().items as any[];
    const holder = list.find((s) => s.spec.clusterIP === taken);
    assert.equal((await c.request('DELETE', `${NS}/services/${holder.metadata.name}`)).status, 200);
    const reuse = await c.request('POST', `${NS}/services`, svc('reuse', { clusterIP: taken }));
    assert.equal(reuse.status, 201, 'a released IP can be taken again');
    const put = (await c.request('GET', `${NS}/services/reuse`)).json();
    delete put.spec.clusterIP;
    delete put.spec.clusterIPs;
    delete put.spec.ports[0].nodePort;
    const updated = await c.request('PUT', `${NS}/services/reuse`, put);
    assert.equal(updated.status, 200, updated.body);
    assert.equal(updated.json().spec.clusterIP, taken, 'an update that omits allocated values keeps them');
  });
});

describe('lists, selectors and read modes', () => {
  test('label selectors (=, !=, in, notin, exists, !key) and field selectors', async () => {
    await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sel' } });
    const labels = [{ app: 'a', tier: 'web' }, { app: 'b', tier: 'db' }, { app: 'c' }];
    for (let i = 0; i < labels.length; i++) await c.request('POST', '/api/v1/namespaces/sel/configmaps', cm(`l${i}`, { labels: labels[i] }));
    const names = async (q: string) => (await c.request('GET', `/api/v1/namespaces/sel/configmaps?${q}`)).json().items.map((i: any) => i.metadata.name).filter((n: string) => n.startsWith('l'));
    assert.deepEqual(await names('labelSelector=app%3Da'), ['l0']);
    assert.deepEqual(await names('labelSelector=app%3D%3Db'), ['l1']);
    assert.deepEqual(await names('labelSelector=app!%3Da'), ['l1', 'l2']);
    assert.deepEqual(await names('labelSelector=app%20in%20(a,c)'), ['l0', 'l2']);
    assert.deepEqual(await names('labelSelector=app%20notin%20(a,c)'), ['l1']);
    assert.deepEqual(await names('labelSelector=tier'), ['l0', 'l1']);
    assert.deepEqual(await names('labelSelector=!tier'), ['l2']);
    assert.deepEqual(await names('labelSelector=tier,app!%3Db'), ['l0']);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dl1'), ['l1']);
    assert.deepEqual(await names('fieldSelector=metadata.name!%3Dl1'), ['l0', 'l2']);
    const pods = await c.request('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,status.phase%3DPending');
    assert.equal(pods.status, 200);
  });

  test('resourceVersion: unset, 0, NotOlderThan, Exact; paginated lists are one snapshot', async () => {
    await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rv' } });
    for (let i = 0; i < 6; i++) await c.request('POST', '/api/v1/namespaces/rv/configmaps', cm(`c${i}`));
    const all = (await c.request('GET', '/api/v1/namespaces/rv/configmaps')).json();
    const rv = Number(all.metadata.resourceVersion);
    assert.equal(all.items.length, 6);
    assert.equal((await c.request('GET', '/api/v1/namespaces/rv/configmaps?resourceVersion=0')).json().items.length, 6);
    assert.equal((await c.request('GET', `/api/v1/namespaces/rv/configmaps?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`)).json().items.length, 6);
    const page1 = (await c.request('GET', '/api/v1/namespaces/rv/configmaps?limit=4')).json();
    assert.equal(page1.items.length, 4);
    assert.equal(page1.metadata.remainingItemCount, 2);
    await c.request('POST', '/api/v1/namespaces/rv/configmaps', cm('c9-later'));
    await c.request('DELETE', '/api/v1/namespaces/rv/configmaps/c5');
    const page2 = (await c.request('GET', `/api/v1/namespaces/rv/configmaps?limit=4&continue=${page1.metadata.continue}`)).json();
    assert.deepEqual(page2.items.map((i: any) => i.metadata.name), ['c4', 'c5'], 'the second page sees the snapshot of the first');
    assert.equal(page2.metadata.continue, undefined);
    const exact = (await c.request('GET', `/api/v1/namespaces/rv/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`)).json();
    assert.deepEqual(exact.items.map((i: any) => i.metadata.name), ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);

    // After compaction the old revision is gone: 410 Expired for Exact reads, continue tokens and watches.
    const current = await server.store.currentRevision();
    await server.store.compact(current);
    const gone = await c.request('GET', `/api/v1/namespaces/rv/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    assert.equal(gone.status, 410);
    assert.equal(gone.json().reason, 'Expired');
    const cont = await c.request('GET', `/api/v1/namespaces/rv/configmaps?limit=4&continue=${page1.metadata.continue}`);
    assert.equal(cont.status, 410);
    assert.equal(cont.json().reason, 'Expired');
  });
});

describe('watch', () => {
  test('resumes from a resourceVersion, reports filter transitions, sends bookmarks', async () => {
    await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w' } });
    const start = (await c.request('GET', '/api/v1/namespaces/w/configmaps')).json().metadata.resourceVersion;
    const a = (await c.request('POST', '/api/v1/namespaces/w/configmaps', cm('a', { labels: { keep: 'yes' } }))).json();
    await c.request('PATCH', '/api/v1/namespaces/w/configmaps/a', { metadata: { labels: { keep: 'no' } } }, { 'content-type': 'application/merge-patch+json' });
    await c.request('DELETE', '/api/v1/namespaces/w/configmaps/a');
    const events = await watchUntil(`/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=${start}&labelSelector=keep%3Dyes&allowWatchBookmarks=true`,
      (es) => es.some((e) => e.type === 'BOOKMARK'));
    const changes = events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type}:${e.object.metadata.name}`);
    assert.deepEqual(changes, ['ADDED:a', 'DELETED:a'], 'leaving the selector is a DELETED; the real delete is not seen again');
    assert.equal(events.find((e) => e.type === 'ADDED').object.metadata.resourceVersion, a.metadata.resourceVersion);
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    assert.ok(bookmark, 'a bookmark arrives');
    assert.equal(bookmark.object.kind, 'ConfigMap');
    assert.ok(Number(bookmark.object.metadata.resourceVersion) >= Number(a.metadata.resourceVersion));
  });

  test('a watch from a compacted resourceVersion older than the cache ends with 410 Expired', async () => {
    // The watch cache serves its own window even after the store compacts (as upstream's cacher);
    // a restarted server's window starts at its start, so older versions come from the store.
    const dir = tempDir('capstan-compact-');
    let s2 = await startTestServer({ dataDir: dir.path });
    try {
      const c2 = new ApiClient(credentialsFrom(s2.kubeconfig));
      const first = (await c2.request('POST', '/api/v1/namespaces/default/configmaps', cm('old'))).json();
      await c2.request('POST', '/api/v1/namespaces/default/configmaps', cm('new'));
      await c2.request('POST', '/api/v1/namespaces/default/configmaps', cm('newer'));
      c2.close();
      await s2.store.compact(await s2.store.currentRevision());
      await s2.stop();
      s2 = await startTestServer({ dataDir: dir.path });
      const c3 = new ApiClient(credentialsFrom(s2.kubeconfig));
      const events: any[] = [];
      const w = c3.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.metadata.resourceVersion}`, (e) => events.push(e));
      for (let i = 0; i < 100 && !events.length; i++) await new Promise((r) => setTimeout(r, 20));
      w.stop();
      c3.close();
      assert.equal(events[0]?.type, 'ERROR');
      assert.equal(events[0].object.code, 410);
      assert.equal(events[0].object.reason, 'Expired');
      assert.match(events[0].object.message, /too old resource version/);
    } finally {
      await s2.stop();
      dir.remove();
    }
  });

  test('sendInitialEvents streams the current state, then a bookmark marking its end', async () => {
    await c.request('POST', '/api/v1/namespaces/w/configmaps', cm('present'));
    const events = await watchUntil('/api/v1/namespaces/w/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
      (es) => es.some((e) => e.type === 'BOOKMARK'));
    assert.equal(events[0].type, 'ADDED');
    const end = events.find((e) => e.type === 'BOOKMARK');
    assert.equal(end.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
  });
});
