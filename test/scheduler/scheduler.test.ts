// The scheduler against an in-process API server: placement (spread, resources, taints,
// nodeSelector), the upstream FailedScheduling/Scheduled events and PodScheduled condition, and
// retry after a failed binding. Nodes are written directly through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Transport } from '../../src/client/index.js';
import { Client, loopbackTransport } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createNode, createPod, getPod, listPods, loopbackClient, NODES, podEvents, podObject, until } from './helpers.js';

const NS = 'default';

async function withScheduler(fn: (srv: TestServer, client: Client) => Promise<void>, transport?: (srv: TestServer) => Transport): Promise<void> {
  const srv = await startTestServer({ memory: true });
  const client = loopbackClient(srv);
  const stop = new AbortController();
  const errors: unknown[] = [];
  const schedClient = transport ? new Client(transport(srv)) : loopbackClient(srv);
  const role = new SchedulerRole({ client: schedClient, leaderElect: false, onError: (e) => errors.push(e) });
  const running = role.start(stop.signal);
  try {
    await fn(srv, client);
  } finally {
    stop.abort();
    await running;
    await srv.stop();
  }
}

const boundTo = async (client: Client, name: string) => (await getPod(client, NS, name)).spec?.nodeName ?? '';

test('pods land on nodes and spread by least allocation; each gets a Scheduled event', async () => {
  await withScheduler(async (_srv, client) => {
    for (const n of ['node-1', 'node-2', 'node-3']) await createNode(client, n);
    for (let i = 0; i < 6; i++) await createPod(client, NS, podObject(`web-${i}`, { cpu: '500m' }));
    await until('all pods bound', async () => (await listPods(client, NS)).every((p) => p.spec?.nodeName));
    const perNode = new Map<string, number>();
    for (const p of await listPods(client, NS)) perNode.set(p.spec!.nodeName!, (perNode.get(p.spec!.nodeName!) ?? 0) + 1);
    assert.deepEqual([...perNode.values()], [2, 2, 2], `spread: ${JSON.stringify([...perNode])}`);
    const pod = await getPod(client, NS, 'web-0');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
    await until('Scheduled event', async () => (await podEvents(client, NS, 'web-0')).some((e) => e.reason === 'Scheduled'));
    const ev = (await podEvents(client, NS, 'web-0')).find((e) => e.reason === 'Scheduled')!;
    assert.equal(ev.message, `Successfully assigned default/web-0 to ${pod.spec!.nodeName}`);
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.source?.component, 'default-scheduler');
    assert.equal(ev.reportingComponent, 'default-scheduler');
    assert.equal(ev.involvedObject?.uid, pod.metadata?.uid);
    assert.equal(ev.involvedObject?.kind, 'Pod');
  });
});

test('a pod asking for more CPU than any node has stays Pending with PodScheduled=False and FailedScheduling', async () => {
  await withScheduler(async (_srv, client) => {
    for (const n of ['node-1', 'node-2', 'node-3']) await createNode(client, n, { cpu: '2' });
    await createPod(client, NS, podObject('huge', { cpu: '16' }));
    await until('PodScheduled=False', async () => (await getPod(client, NS, 'huge')).status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') ?? false);
    const pod = await getPod(client, NS, 'huge');
    const cond = pod.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    assert.equal(cond.reason, 'Unschedulable');
    assert.ok(cond.message!.startsWith('0/3 nodes are available: 3 Insufficient cpu.'), cond.message);
    assert.equal(pod.spec?.nodeName, undefined);
    assert.equal(pod.status?.phase, 'Pending');
    await until('FailedScheduling event', async () => (await podEvents(client, NS, 'huge')).some((e) => e.reason === 'FailedScheduling'));
    const ev = (await podEvents(client, NS, 'huge')).find((e) => e.reason === 'FailedScheduling')!;
    assert.equal(ev.type, 'Warning');
    assert.ok(ev.message!.startsWith('0/3 nodes are available: 3 Insufficient cpu.'), ev.message);
    assert.equal(ev.source?.component, 'default-scheduler');

    // A node that fits arrives: the unschedulable pod is moved and bound.
    await createNode(client, 'big', { cpu: '32' });
    await until('huge bound to big', async () => (await boundTo(client, 'huge')) === 'big');
  });
});

test('a tainted node only receives tolerating pods; nodeSelector is honoured', async () => {
  await withScheduler(async (_srv, client) => {
    await createNode(client, 'gpu', { cpu: '8', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await createNode(client, 'plain', { cpu: '8', labels: { disk: 'hdd' } });
    await createNode(client, 'fast', { cpu: '8', labels: { disk: 'ssd' } });
    for (let i = 0; i < 4; i++) await createPod(client, NS, podObject(`any-${i}`, { cpu: '100m' }));
    const toleration = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
    await createPod(client, NS, podObject('ml', { cpu: '100m', tolerations: [toleration], nodeSelector: { 'kubernetes.io/hostname': 'gpu' } }));
    for (let i = 0; i < 3; i++) await createPod(client, NS, podObject(`db-${i}`, { cpu: '100m', nodeSelector: { disk: 'ssd' } }));
    await createPod(client, NS, podObject('nowhere', { nodeSelector: { disk: 'nvme' } }));
    await until('all but one bound', async () => (await listPods(client, NS)).filter((p) => p.spec?.nodeName).length === 8);
    for (let i = 0; i < 4; i++) assert.notEqual(await boundTo(client, `any-${i}`), 'gpu');
    assert.equal(await boundTo(client, 'ml'), 'gpu');
    for (let i = 0; i < 3; i++) assert.equal(await boundTo(client, `db-${i}`), 'fast');
    await until('FailedScheduling for nowhere', async () => (await podEvents(client, NS, 'nowhere')).some((e) => e.reason === 'FailedScheduling'));
    const ev = (await podEvents(client, NS, 'nowhere')).find((e) => e.reason === 'FailedScheduling')!;
    // Upstream appends the PostFilter (preemption) message with its own trailing period, hence "..".
    assert.equal(ev.message, "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..");
  });
});

test('a pod whose binding fails because its node was deleted meanwhile is retried and lands elsewhere', async () => {
  const bindings: string[] = [];
  const failingFirstBinding = (srv: TestServer): Transport => {
    const inner = loopbackTransport(srv.api.loopback.bind(srv.api));
    return {
      async request(req) {
        if (req.method === 'POST' && req.path.includes('/binding')) {
          const target = (JSON.parse(String(req.body)) as { target: { name: string } }).target.name;
          bindings.push(target);
          if (bindings.length === 1) {
            // The chosen node disappears while the binding is in flight; the binding fails.
            await loopbackClient(srv).resource(NODES).delete('', target);
            return { status: 404, headers: {}, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `nodes "${target}" not found` }) };
          }
        }
        return inner.request(req);
      },
      watch: (req, onLine, signal) => inner.watch(req, onLine, signal),
    };
  };
  await withScheduler(async (_srv, client) => {
    await createNode(client, 'roomy', { cpu: '16' });
    await createNode(client, 'small', { cpu: '2' });
    await createPod(client, NS, podObject('mover', { cpu: '1' }));
    await until('mover bound', async () => !!(await boundTo(client, 'mover')), 45_000);
    assert.equal(bindings[0], 'roomy', 'least allocated picks the roomy node first');
    assert.equal(await boundTo(client, 'mover'), 'small');
    await until('events', async () => (await podEvents(client, NS, 'mover')).some((e) => e.reason === 'Scheduled'));
    const evs = await podEvents(client, NS, 'mover');
    assert.ok(evs.some((e) => e.reason === 'FailedScheduling' && /^Binding rejected: /.test(e.message ?? '')), JSON.stringify(evs.map((e) => e.message)));
    assert.equal(evs.find((e) => e.reason === 'Scheduled')!.message, 'Successfully assigned default/mover to small');
  }, failingFirstBinding);
});
