// NodeStatusManager against an in-process API server, driven step by step on a ManualClock:
// registration (create, or adopt and reconcile), the status cadence (post on change, else every
// 5 min), condition transitions from the host signals and readiness checks, and the Lease.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loopbackTransport, ManualClock } from '../../src/client/index.js';
import type { Lease, Node } from '../../src/api/index.js';
import { DEFAULT_EVICTION_HARD, NodeStatusManager, parseEvictionThresholds, type HostSample, type NodeStatusManagerOptions } from '../../src/kubelet/index.js';
import type { ImageInfo } from '../../src/runtime/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { LEASES, NODES } from '../support/resources.js';

const Gi = 2 ** 30;
const Mi = 2 ** 20;
let srv: TestServer;
let client: Client;

before(async () => {
  srv = await startTestServer({ memory: true });
  client = new Client(loopbackTransport(srv.api.loopback.bind(srv.api)));
});
after(async () => {
  client?.close();
  await srv?.stop();
});

const healthySample = (): HostSample => ({
  cpus: 4, memoryTotalBytes: 16 * Gi, memoryAvailableBytes: 8 * Gi,
  nodefs: { capacityBytes: 200 * Gi, availableBytes: 100 * Gi, inodes: 10_000, inodesFree: 5_000 },
  hugepages: { '2Mi': 0, '1Gi': 0 }, pidMax: 32768, threads: 300,
});

const image = (i: number): ImageInfo => ({ id: `sha256:${i}`, repoTags: [`img${i}:latest`], repoDigests: [`img${i}@sha256:${i}`], size: i * 1000, layerDirs: [] });

function manager(name: string, clock: ManualClock, sample: { current: HostSample }, notReady: { reason?: string }, extra: Partial<NodeStatusManagerOptions> = {}): NodeStatusManager {
  return new NodeStatusManager({
    client, nodeName: name, clock,
    identity: { machineID: 'm', systemUUID: 'u', bootID: 'b', kernelVersion: '6.1.0', osImage: 'Test OS', hostname: name },
    sample: async () => sample.current,
    runtimeVersion: { runtimeName: 'runc', runtimeVersion: '1.1.5' }, kubeletVersion: 'v1.31.0+capstan',
    images: { listImages: async () => Array.from({ length: 60 }, (_, i) => image(i + 1)) },
    readinessChecks: [() => notReady.reason],
    nodeIP: '10.0.0.5', labels: { pool: 'a' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }],
    evictionHard: parseEvictionThresholds(DEFAULT_EVICTION_HARD),
    ...extra,
  });
}

const cond = (n: Node | undefined, type: string) => n?.status?.conditions?.find((c) => c.type === type);
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

test('registers with status, posts on change or every 5 min, and follows the signals', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const sample = { current: healthySample() };
  const ready: { reason?: string } = {};
  const events: string[] = [];
  const m = manager('n-status', clock, sample, ready, { recordEvent: (type, reason) => events.push(`${type} ${reason}`) });
  await m.register();
  let node = await client.resource(NODES).get('', 'n-status') as Node;
  assert.equal(node.metadata?.labels?.pool, 'a');
  assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'n-status');
  assert.deepEqual(node.spec?.taints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]);
  assert.equal(node.status?.capacity?.cpu, '4');
  assert.equal(node.status?.capacity?.memory, '16Gi');
  assert.equal(node.status?.allocatable?.memory, `${16 * 1024 - 100}Mi`);
  assert.equal(node.status?.nodeInfo?.containerRuntimeVersion, 'runc://1.1.5');
  assert.equal(node.status?.images?.length, 50);
  assert.deepEqual(node.status?.images?.[0], { names: ['img60@sha256:60', 'img60:latest'], sizeBytes: 60_000 });
  assert.equal(cond(node, 'Ready')?.status, 'True');
  assert.deepEqual(events.splice(0), ['Normal NodeHasSufficientMemory', 'Normal NodeHasNoDiskPressure', 'Normal NodeHasSufficientPID', 'Normal NodeReady']);
  const t0 = iso(clock.now());

  clock.advance(10_000);
  assert.equal(await m.syncStatus(), false, 'unchanged status is not posted before 5 min');

  sample.current = { ...healthySample(), memoryAvailableBytes: 50 * Mi };
  clock.advance(10_000);
  assert.equal(await m.syncStatus(), true);
  node = await client.resource(NODES).get('', 'n-status') as Node;
  assert.deepEqual([cond(node, 'MemoryPressure')?.status, cond(node, 'MemoryPressure')?.reason], ['True', 'KubeletHasInsufficientMemory']);
  assert.equal(cond(node, 'MemoryPressure')?.lastTransitionTime, iso(clock.now()));
  assert.equal(cond(node, 'DiskPressure')?.lastTransitionTime, t0);
  assert.equal(cond(node, 'DiskPressure')?.lastHeartbeatTime, iso(clock.now()));

  ready.reason = 'container runtime is down: connection refused';
  sample.current = { ...healthySample(), threads: 32_000 };
  clock.advance(10_000);
  assert.equal(await m.syncStatus(), true);
  node = await client.resource(NODES).get('', 'n-status') as Node;
  assert.deepEqual([cond(node, 'Ready')?.status, cond(node, 'Ready')?.reason, cond(node, 'Ready')?.message], ['False', 'KubeletNotReady', 'container runtime is down: connection refused']);
  assert.equal(cond(node, 'PIDPressure')?.status, 'True');
  assert.deepEqual(events.splice(0), ['Normal NodeHasInsufficientMemory', 'Normal NodeHasInsufficientPID', 'Normal NodeNotReady']);
  // Memory recovered but the pressure is held for the transition period.
  assert.equal(cond(node, 'MemoryPressure')?.status, 'True');

  ready.reason = undefined;
  sample.current = healthySample();
  clock.advance(10_000);
  assert.equal(await m.syncStatus(), true);
  const readyAgain = iso(clock.now());
  clock.advance(4 * 60_000);
  assert.equal(await m.syncStatus(), false);
  clock.advance(60_000);
  assert.equal(await m.syncStatus(), true, 'pressures released after 5 min, and the report is due');
  node = await client.resource(NODES).get('', 'n-status') as Node;
  assert.equal(cond(node, 'Ready')?.lastTransitionTime, readyAgain);
  assert.deepEqual(node.status?.conditions?.map((c) => c.status), ['False', 'False', 'False', 'True']);
  clock.advance(10_000);
  assert.equal(await m.syncStatus(), false);
  clock.advance(5 * 60_000);
  assert.equal(await m.syncStatus(), true, 'unchanged status is posted every 5 min');
});

test('the Lease is created owned by the Node and renewed on the clock', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 2));
  const m = manager('n-lease', clock, { current: healthySample() }, {});
  await m.register();
  await m.renewLease();
  const first = await client.resource(LEASES).get('kube-node-lease', 'n-lease') as Lease;
  assert.equal(first.metadata?.ownerReferences?.[0]?.uid, m.node?.metadata?.uid);
  assert.equal(first.spec?.leaseDurationSeconds, 40);
  clock.advance(10_000);
  await m.renewLease();
  const second = await client.resource(LEASES).get('kube-node-lease', 'n-lease') as Lease;
  assert.equal(Date.parse(second.spec!.renewTime!) - Date.parse(first.spec!.renewTime!), 10_000);
  // Deleted behind its back: the next renewal fails, the one after recreates it.
  await client.resource(LEASES).delete('kube-node-lease', 'n-lease');
  await assert.rejects(m.renewLease());
  await m.renewLease();
  assert.equal((await client.resource(LEASES).get('kube-node-lease', 'n-lease') as Lease).spec?.holderIdentity, 'n-lease');
});

test('an existing Node is adopted: default and --node-labels reconciled, taints left alone', async () => {
  await client.resource(NODES).create('', {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'n-adopt', labels: { 'kubernetes.io/hostname': 'stale', keep: 'me' } },
    spec: { taints: [{ key: 'admin', effect: 'NoExecute' }] },
  });
  const clock = new ManualClock(Date.UTC(2026, 0, 3));
  const m = manager('n-adopt', clock, { current: healthySample() }, {});
  await m.register();
  const node = await client.resource(NODES).get('', 'n-adopt') as Node;
  assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'n-adopt');
  assert.equal(node.metadata?.labels?.pool, 'a');
  assert.equal(node.metadata?.labels?.keep, 'me');
  assert.deepEqual(node.spec?.taints, [{ key: 'admin', effect: 'NoExecute' }]);
  assert.equal(cond(node, 'Ready')?.status, 'True');
  assert.equal(m.registered, true);
});
