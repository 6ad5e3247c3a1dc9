// Events expire after the event TTL (upstream's --event-ttl): the store deletes them through
// their lease, and watchers see the deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/server.js';
import { ApiClient, credentialsFrom } from './support/http.js';

test('events expire after the event TTL; other objects do not', { timeout: 30_000 }, async () => {
  const server = await startTestServer({ eventTTLSeconds: 1 });
  const c = new ApiClient(credentialsFrom(server.kubeconfig));
  try {
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Test', message: 'm', type: 'Normal',
    };
    const created = await c.request('POST', '/api/v1/namespaces/default/events', ev);
    assert.equal(created.status, 201, created.body);
    const deleted: string[] = [];
    const w = c.watch(`/api/v1/namespaces/default/events?watch=true&resourceVersion=${created.json().metadata.resourceVersion}`, (e) => {
      if (e.type === 'DELETED') deleted.push(e.object.metadata.name);
    });
    await c.request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stays' } });
    // The lease is the TTL plus the lease reuse window (5% of it), rounded up to whole seconds.
    const deadline = Date.now() + 25_000;
    while (!deleted.includes('e1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    w.stop();
    assert.deepEqual(deleted, ['e1']);
    assert.equal((await c.request('GET', '/api/v1/namespaces/default/events/e1')).status, 404);
    assert.equal((await c.request('GET', '/api/v1/namespaces/default/configmaps/stays')).status, 200);
  } finally {
    c.close();
    await server.stop();
  }
});
