// Acceptance: acknowledged writes survive kill -9, and a watch resumed from the last seen
// resourceVersion after the restart gets every later event exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnServer, tempDir } from './support/server.js';
import { ApiClient, credentialsFrom } from './support/http.js';

const ROUNDS = 20;
const WRITERS = 16;

test(`${ROUNDS} rounds of kill -9 during a write storm lose no acknowledged write`, { timeout: 300_000 }, async () => {
  const dir = tempDir('capstan-durability-');
  let server = await spawnServer(dir.path);
  const port = server.port;
  try {
    const client0 = new ApiClient(credentialsFrom(server.kubeconfig));
    const created = await client0.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'storm' } });
    assert.equal(created.status, 201, created.body);
    client0.close();

    /** name → resourceVersion acknowledged to a client. */
    const acked = new Map<string, number>();
    let lastSeenByWatch = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const client = new ApiClient(credentialsFrom(server.kubeconfig));
      // A watcher that remembers the last resourceVersion it saw before the crash.
      const seen: number[] = [];
      const w = client.watch(`/api/v1/namespaces/storm/configmaps?watch=true&resourceVersion=${lastSeenByWatch || ''}`, (e) => {
        if (e.type === 'ADDED' || e.type === 'MODIFIED') seen.push(Number(e.object.metadata.resourceVersion));
      });
      let stop = false;
      let n = 0;
      const writers = Array.from({ length: WRITERS }, async (_, wi) => {
        while (!stop) {
          const name = `r${round}-w${wi}-${n++}`;
          try {
            const r = await client.request('POST', '/api/v1/namespaces/storm/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { round: String(round) } });
            if (r.status === 201) acked.set(name, Number(r.json().metadata.resourceVersion));
          } catch {
            return; // the server died mid-request: not acknowledged
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 350));
      await server.kill9();
      stop = true;
      await Promise.all(writers);
      w.stop();
      await w.done.catch(() => undefined);
      client.close();
      if (seen.length) lastSeenByWatch = Math.max(lastSeenByWatch, ...seen);

      server = await spawnServer(dir.path, port);
      const check = new ApiClient(credentialsFrom(server.kubeconfig));
      const list = await check.request('GET', '/api/v1/namespaces/storm/configmaps');
      assert.equal(list.status, 200);
      const stored = new Map<string, number>(list.json().items.map((i: any) => [i.metadata.name, Number(i.metadata.resourceVersion)]));
      for (const [name, rv] of acked) {
        assert.equal(stored.get(name), rv, `round ${round}: acknowledged ${name}@${rv} missing or changed after kill -9`);
      }

      // Resume a watch from the last version the watcher saw: every later object exactly once, in order.
      const listRv = Number(list.json().metadata.resourceVersion);
      const expected = [...stored.values()].filter((rv) => rv > lastSeenByWatch).sort((a, b) => a - b);
      const got: number[] = [];
      const resumed = check.watch(`/api/v1/namespaces/storm/configmaps?watch=true&resourceVersion=${lastSeenByWatch}`, (e) => {
        got.push(Number(e.object.metadata.resourceVersion));
      });
      const deadline = Date.now() + 10_000;
      while (got.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 50));
      resumed.stop();
      await resumed.done.catch(() => undefined);
      check.close();
      assert.deepEqual(got, expected, `round ${round}: resumed watch from ${lastSeenByWatch} (list at ${listRv})`);
      lastSeenByWatch = listRv;
    }
    assert.ok(acked.size > ROUNDS, `the storm acknowledged writes (${acked.size})`);
  } finally {
    await server.kill9().catch(() => undefined);
    dir.remove();
  }
});
