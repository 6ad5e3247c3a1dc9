// Acceptance: @kubernetes/client-node 1.4 works against Capstan: CRUD through the generated
// API, and a list+watch informer that sees create, update and delete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let kc: k8s.KubeConfig;

before(async () => {
  server = await startTestServer();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfig);
});
after(async () => {
  await server?.stop();
});

test('CRUD through the generated CoreV1Api and AppsV1Api', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: 'crud' } } });
  const created = await core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: { name: 'one', labels: { a: 'b' } }, data: { k: 'v' } } });
  assert.equal(created.metadata?.name, 'one');
  assert.ok(created.metadata?.uid);
  const read = await core.readNamespacedConfigMap({ namespace: 'crud', name: 'one' });
  assert.equal(read.data?.k, 'v');
  read.data = { k: 'w' };
  const replaced = await core.replaceNamespacedConfigMap({ namespace: 'crud', name: 'one', body: read });
  assert.equal(replaced.data?.k, 'w');
  assert.ok(Number(replaced.metadata?.resourceVersion) > Number(created.metadata?.resourceVersion));
  const list = await core.listNamespacedConfigMap({ namespace: 'crud', labelSelector: 'a=b' });
  assert.deepEqual(list.items.map((i) => i.metadata?.name), ['one']);
  await core.deleteNamespacedConfigMap({ namespace: 'crud', name: 'one' });
  await assert.rejects(core.readNamespacedConfigMap({ namespace: 'crud', name: 'one' }), (e: any) => e.code === 404);

  const dep = await apps.createNamespacedDeployment({
    namespace: 'crud',
    body: {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    },
  });
  assert.equal(dep.spec?.replicas, 1, 'defaulted');
  assert.equal(dep.spec?.template.spec?.containers[0]?.imagePullPolicy, 'Always', 'untagged image defaults to Always');
  await assert.rejects(
    apps.createNamespacedDeployment({ namespace: 'crud', body: { metadata: { name: 'd' }, spec: dep.spec! } }),
    (e: any) => e.code === 409,
  );
});

test('a list+watch informer sees create, update and delete', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'inf' } } });
  const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/configmaps', () => core.listNamespacedConfigMap({ namespace: 'inf' }));
  const events: string[] = [];
  const waitFor = async (want: string) => {
    for (let i = 0; i < 200 && !events.includes(want); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(events.includes(want), `expected ${want}, got ${events.join(', ')}`);
  };
  informer.on('add', (o) => events.push(`add:${o.metadata?.name}:${o.data?.v}`));
  informer.on('update', (o) => events.push(`update:${o.metadata?.name}:${o.data?.v}`));
  informer.on('delete', (o) => events.push(`delete:${o.metadata?.name}`));
  await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'before' }, data: { v: '0' } } });
  await informer.start();
  try {
    await waitFor('add:before:0');
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'x' }, data: { v: '1' } } });
    await waitFor('add:x:1');
    await core.patchNamespacedConfigMap({ namespace: 'inf', name: 'x', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await waitFor('update:x:2');
    await core.deleteNamespacedConfigMap({ namespace: 'inf', name: 'x' });
    await waitFor('delete:x');
    assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['before']);
  } finally {
    await informer.stop();
  }
});
