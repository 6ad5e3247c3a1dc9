// pods/eviction against an in-process server (upstream eviction.go semantics): no budget deletes
// the pod; a budget with room is decremented and records the pod in disruptedPods before the
// delete; a spent or unprocessed budget answers 429 with the DisruptionBudget cause; two budgets
// are a 500; terminal or pending pods bypass budgets; dryRun changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, type KubeObject, type PodDisruptionBudget } from '../src/api/index.js';
import { Client, loopbackTransport } from '../src/client/index.js';
import { startTestServer, type TestServer } from './support/server.js';
import { checkAndDecrement } from '../src/apiserver/registry/eviction.js';
import { PODS } from './support/resources.js';

const PDBS = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', namespaced: true, kind: 'PodDisruptionBudget' };
const NS = 'default';

async function withServer(fn: (client: Client) => Promise<void>): Promise<void> {
  const srv: TestServer = await startTestServer({ memory: true });
  const client = new Client(loopbackTransport(srv.api.loopback.bind(srv.api)));
  try {
    await fn(client);
  } finally {
    await srv.stop();
  }
}

async function runningPod(client: Client, name: string, app: string, phase = 'Running', ready = true): Promise<KubeObject> {
  const p = await client.resource(PODS).create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
  return client.resource(PODS).updateStatus(NS, { ...p, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } } as KubeObject);
}

async function budget(client: Client, name: string, app: string, status: { allowed: number; healthy: number; desired: number }): Promise<PodDisruptionBudget> {
  const pdb = await client.resource(PDBS).create(NS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: status.desired, selector: { matchLabels: { app } } } } as KubeObject);
  return await client.resource(PDBS).updateStatus(NS, {
    ...pdb, status: { disruptionsAllowed: status.allowed, currentHealthy: status.healthy, desiredHealthy: status.desired, expectedPods: status.healthy, observedGeneration: 1 },
  } as KubeObject) as PodDisruptionBudget;
}

const evict = (client: Client, pod: string, body: Record<string, unknown> = {}, query = '') =>
  client.requestJSON<{ kind: string; status: string; code: number }>('POST', `/api/v1/namespaces/${NS}/pods/${pod}/eviction${query}`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod }, ...body });
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected a failure'), (e: unknown) => e);
const podGone = (client: Client, name: string) => failure(client.resource(PODS).get(NS, name));

test('without a budget the pod is deleted (gracefully, marked DisruptionTarget)', () => withServer(async (client) => {
  await runningPod(client, 'a', 'free');
  const res = await evict(client, 'a');
  assert.deepEqual([res.kind, res.status, res.code], ['Status', 'Success', 201]);
  const pod = await client.resource(PODS).get(NS, 'a') as KubeObject & { status: { conditions: { type: string; status: string; reason?: string; message?: string }[] } };
  assert.ok(pod.metadata?.deletionTimestamp, 'graceful deletion started');
  const c = pod.status.conditions.find((x) => x.type === 'DisruptionTarget');
  assert.deepEqual([c?.status, c?.reason, c?.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
  // deleteOptions are honoured: grace 0 removes it at once.
  await runningPod(client, 'b', 'free');
  await evict(client, 'b', { deleteOptions: { gracePeriodSeconds: 0 } });
  assert.ok(isStatusError(await podGone(client, 'b'), 'NotFound'));
}));

test('a budget with room is spent and records the pod; a spent budget answers 429 with its cause', () => withServer(async (client) => {
  await runningPod(client, 'w1', 'web');
  await runningPod(client, 'w2', 'web');
  await budget(client, 'web', 'web', { allowed: 1, healthy: 2, desired: 1 });
  await evict(client, 'w1', { deleteOptions: { gracePeriodSeconds: 0 } });
  const pdb = await client.resource(PDBS).get(NS, 'web') as PodDisruptionBudget;
  assert.equal(pdb.status?.disruptionsAllowed, 0);
  assert.deepEqual(Object.keys(pdb.status?.disruptedPods ?? {}), ['w1']);
  assert.deepEqual(pdb.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'False', 'InsufficientPods']]);

  const refused = await failure(evict(client, 'w2'));
  assert.ok(isStatusError(refused, 'TooManyRequests'));
  assert.equal(refused.status.code, 429);
  assert.equal(refused.status.message, 'Cannot evict pod as it would violate the pod\'s disruption budget.');
  assert.deepEqual(refused.status.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 1 healthy pods and has 2 currently' }]);
  assert.equal((await client.resource(PODS).get(NS, 'w2')).metadata?.deletionTimestamp, undefined);
}));

test('terminal and pending pods bypass budgets; unready pods go when the budget is healthy', () => withServer(async (client) => {
  await budget(client, 'web', 'web', { allowed: 0, healthy: 1, desired: 1 });
  await runningPod(client, 'done', 'web', 'Succeeded', false);
  await runningPod(client, 'pending', 'web', 'Pending', false);
  await runningPod(client, 'unready', 'web', 'Running', false);
  for (const name of ['done', 'pending', 'unready']) await evict(client, name, { deleteOptions: { gracePeriodSeconds: 0 } });
  for (const name of ['done', 'pending', 'unready']) assert.ok(isStatusError(await podGone(client, name), 'NotFound'), name);
  assert.equal((await client.resource(PDBS).get(NS, 'web') as PodDisruptionBudget).status?.disruptionsAllowed, 0);
}));

test('two budgets are refused with 500; name mismatch is 400; dryRun and policy/v1beta1 bodies', () => withServer(async (client) => {
  await runningPod(client, 'x', 'web');
  await budget(client, 'one', 'web', { allowed: 1, healthy: 1, desired: 0 });
  await budget(client, 'two', 'web', { allowed: 1, healthy: 1, desired: 0 });
  const both = await failure(evict(client, 'x'));
  assert.ok(isStatusError(both, 'InternalError'));
  assert.equal(both.status.message, 'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  await client.resource(PDBS).delete(NS, 'two');

  const mismatch = await failure(client.requestJSON('POST', `/api/v1/namespaces/${NS}/pods/x/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'y' } }));
  assert.ok(isStatusError(mismatch, 'BadRequest'));
  assert.equal(mismatch.status.message, 'name in URL does not match name in Eviction object');

  await evict(client, 'x', {}, '?dryRun=All');
  await evict(client, 'x', { deleteOptions: { dryRun: ['All'] } });
  assert.equal((await client.resource(PDBS).get(NS, 'one') as PodDisruptionBudget).status?.disruptionsAllowed, 1);
  assert.equal((await client.resource(PODS).get(NS, 'x')).metadata?.deletionTimestamp, undefined);

  await client.requestJSON('POST', `/api/v1/namespaces/${NS}/pods/x/eviction`, { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'x' }, deleteOptions: { gracePeriodSeconds: 0 } });
  assert.ok(isStatusError(await podGone(client, 'x'), 'NotFound'));
}));

test('checkAndDecrement refuses a budget whose status predates its spec', () => {
  const pdb = { metadata: { name: 'web', generation: 2 }, status: { disruptionsAllowed: 3, currentHealthy: 3, desiredHealthy: 0, expectedPods: 3, observedGeneration: 1 } } as PodDisruptionBudget;
  assert.throws(() => checkAndDecrement(pdb, 'p', new Date()), (e: unknown) => isStatusError(e, 'TooManyRequests')
    && e.status.details?.causes?.[0]?.message === 'The disruption budget web is still being processed by the server.');
  const next = checkAndDecrement({ ...pdb, metadata: { name: 'web', generation: 1 } }, 'p', new Date('2026-01-01T00:00:00Z'));
  assert.equal(next.status?.disruptionsAllowed, 2);
  assert.deepEqual(next.status?.disruptedPods, { p: '2026-01-01T00:00:00Z' });
  assert.equal(pdb.status?.disruptionsAllowed, 3, 'the input is not modified');
});
