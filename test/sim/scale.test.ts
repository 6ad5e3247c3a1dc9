// Scale smoke test: 500 hollow nodes register and hold their leases over HTTPS on one client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../support/server.js';
import { until } from '../client/helpers.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { leases, nodes } from '../../src/api/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';

const N = 500;

test(`${N} hollow nodes register within a bounded time and all get leases`, async () => {
  const server = await startTestServer({ memory: true });
  const client = new Client(transportFromKubeconfig(server.kubeconfig));
  const errors: unknown[] = [];
  const sim = new HollowNodes(client, { count: N, leaseRenewIntervalMs: 2_000, onError: (e) => errors.push(e) });
  const stop = new AbortController();
  const running = sim.start(stop.signal);
  try {
    const t0 = Date.now();
    await sim.whenRegistered();
    const registerMs = Date.now() - t0;
    assert.ok(registerMs < 30_000, `registered in ${registerMs} ms`);
    const listed = await client.resource(nodes).listAll('');
    assert.equal(listed.items.length, N);
    await until('every node has a lease', async () => (await client.resource(leases).listAll('kube-node-lease')).items.length === N, 30_000);
    // One renewal round is spread over the interval, not a burst: renewals keep coming.
    const before = sim.stats().leaseRenewals;
    await until('a second round of renewals', () => sim.stats().leaseRenewals >= before + N, 30_000);
    assert.deepEqual(errors.map(String), []);
    const s = sim.stats();
    assert.equal(s.registered, N);
    assert.equal(s.errors, 0);
  } finally {
    stop.abort();
    await running;
    client.close();
    await server.stop();
  }
});
