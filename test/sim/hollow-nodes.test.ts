// Hollow nodes against a real in-process API server over HTTPS (the kubeconfig it writes):
// registration, leases, pod lifecycle, kill/revive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../client/helpers.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { leases, nodes, pods, type KubeObject, type Lease, type Node, type Pod } from '../../src/api/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';

let server: TestServer;
let admin: Client;
let simClient: Client;
let sim: HollowNodes;
const stop = new AbortController();
let running: Promise<void>;
const errors: unknown[] = [];

before(async () => {
  server = await startTestServer({ memory: true });
  admin = new Client(transportFromKubeconfig(server.kubeconfig));
  simClient = new Client(transportFromKubeconfig(server.kubeconfig));
  sim = new HollowNodes(simClient, {
    count: 5, cpu: '8', memory: '16Gi', pods: '50',
    labels: { 'topology.kubernetes.io/zone': 'zone-a' },
    taints: [{ key: 'sim', value: 'true', effect: 'NoSchedule' }],
    leaseRenewIntervalMs: 300, podStartDelayMs: 200, statusReportIntervalMs: 600,
    onError: (e) => errors.push(e),
  });
  running = sim.start(stop.signal);
  await sim.whenRegistered();
});

after(async () => {
  stop.abort();
  await running;
  if (process.env.SIM_DEBUG) console.error(errors);
  simClient.close();
  admin.close();
  await server.stop();
});

const nodeApi = () => admin.resource(nodes);
const leaseApi = () => admin.resource(leases);
const podApi = () => admin.resource(pods);

async function renewTime(name: string): Promise<string | undefined> {
  try {
    return ((await leaseApi().get('kube-node-lease', name)) as Lease).spec?.renewTime;
  } catch {
    return undefined;
  }
}

test('N nodes register with capacity, labels, taints, conditions and node info', async () => {
  const list = await nodeApi().list('');
  const names = list.items.map((n) => n.metadata!.name).sort();
  assert.deepEqual(names, ['hollow-0', 'hollow-1', 'hollow-2', 'hollow-3', 'hollow-4']);
  const n = (await nodeApi().get('', 'hollow-3')) as Node;
  assert.deepEqual(n.status?.capacity, { cpu: '8', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16Gi', pods: '50' });
  assert.deepEqual(n.status?.allocatable, n.status?.capacity);
  const labels = n.metadata!.labels!;
  assert.equal(labels['kubernetes.io/hostname'], 'hollow-3');
  assert.equal(labels['kubernetes.io/os'], 'linux');
  assert.ok(labels['kubernetes.io/arch']);
  assert.equal(labels['node.kubernetes.io/instance-type'], 'hollow');
  assert.equal(labels['topology.kubernetes.io/zone'], 'zone-a');
  assert.deepEqual(n.spec?.taints, [{ key: 'sim', value: 'true', effect: 'NoSchedule' }]);
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'True');
  assert.equal(ready?.reason, 'KubeletReady');
  assert.deepEqual(n.status?.conditions?.map((c) => c.type), ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
  assert.equal(n.status?.nodeInfo?.containerRuntimeVersion, 'fake://1.0');
  assert.match(n.status?.nodeInfo?.kubeletVersion ?? '', /^v1\./);
  assert.deepEqual(n.status?.addresses?.map((a) => a.type), ['InternalIP', 'Hostname']);
});

test('each node has a Lease in kube-node-lease, owned by its Node, that keeps being renewed', async () => {
  await until('leases exist', async () => (await leaseApi().list('kube-node-lease')).items.length === 5);
  const lease = (await leaseApi().get('kube-node-lease', 'hollow-0')) as Lease;
  const node = await nodeApi().get('', 'hollow-0');
  assert.equal(lease.spec?.holderIdentity, 'hollow-0');
  assert.equal(lease.spec?.leaseDurationSeconds, 40);
  assert.deepEqual(lease.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['Node', 'hollow-0', node.metadata!.uid]]);
  const first = lease.spec?.renewTime;
  await until('renewTime moves', async () => (await renewTime('hollow-0')) !== first);
});

test('node status is reported again after the report interval (Ready heartbeat moves, transition stays)', async () => {
  const ready = async () => ((await nodeApi().get('', 'hollow-0')) as Node).status?.conditions?.find((c) => c.type === 'Ready');
  const first = await ready();
  await until('heartbeat moves', async () => (await ready())?.lastHeartbeatTime !== first?.lastHeartbeatTime);
  assert.equal((await ready())?.lastTransitionTime, first?.lastTransitionTime);
  assert.ok(sim.stats().nodeStatusWrites >= 1);
});

test('a pod bound to a hollow node becomes Running and Ready, and goes when deleted', async () => {
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'b', image: 'busybox' }, { name: 'a', image: 'nginx:1.27' }], initContainers: [{ name: 'init', image: 'busybox' }] },
  };
  await podApi().create('default', pod);
  const bound = Date.now();
  await podApi().create('default', 'web', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: 'hollow-2' } } as KubeObject);
  let p: Pod | undefined;
  await until('pod Running', async () => {
    p = (await podApi().get('default', 'web')) as Pod;
    return p.status?.phase === 'Running';
  });
  assert.ok(Date.now() - bound >= 150, 'the start delay is honoured');
  const s = p!.status!;
  assert.deepEqual(s.conditions?.map((c) => [c.type, c.status]), [
    ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
  ]);
  assert.equal(s.hostIP, '172.16.0.3');
  assert.deepEqual(s.hostIPs, [{ ip: '172.16.0.3' }]);
  assert.match(s.podIP ?? '', /^100\.64\.2\.\d+$/);
  assert.deepEqual(s.podIPs, [{ ip: s.podIP }]);
  assert.ok(s.startTime);
  assert.equal(s.qosClass, 'BestEffort');
  assert.deepEqual(s.containerStatuses?.map((c) => c.name), ['a', 'b']);
  for (const c of s.containerStatuses ?? []) {
    assert.equal(c.ready, true);
    assert.equal(c.started, true);
    assert.equal(c.restartCount, 0);
    assert.ok(c.state?.running?.startedAt);
    assert.match(c.containerID ?? '', /^fake:\/\/[0-9a-f]{64}$/);
    assert.match(c.imageID ?? '', /^fake:\/\/sha256:[0-9a-f]{64}$/);
  }
  assert.equal(s.containerStatuses?.[0]?.image, 'nginx:1.27');
  assert.equal(s.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');

  await podApi().delete('default', 'web');
  await until('pod removed', async () => (await podApi().list('default')).items.every((x) => x.metadata?.name !== 'web'));
});

test('a burst of bindings is absorbed by the work queue', async () => {
  const names = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
  await Promise.all(names.map((name) => podApi().create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'pause' }] } })));
  await Promise.all(names.map((name, i) => podApi().create('default', name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: `hollow-${i % 5}` } } as KubeObject)));
  await until('all Running', async () => (await podApi().list('default', { fieldSelector: 'status.phase=Running' })).items.length === 40);
  const ips = new Set((await podApi().list('default')).items.map((x) => (x as Pod).status?.podIP));
  assert.equal(ips.size, 40, 'pod IPs are unique');
  await podApi().deleteCollection('default');
  await until('all gone', async () => (await podApi().list('default')).items.length === 0);
});

test('kill stops lease renewals and pod work; revive resumes them', async () => {
  sim.kill('hollow-1');
  assert.equal(sim.isKilled('hollow-1'), true);
  await new Promise((r) => setTimeout(r, 400)); // let an in-flight renewal land
  const frozen = await renewTime('hollow-1');
  await new Promise((r) => setTimeout(r, 1000)); // > 3 renewal intervals
  assert.equal(await renewTime('hollow-1'), frozen, 'a killed node renews nothing');
  const other = await renewTime('hollow-4');
  await until('live nodes still renew', async () => (await renewTime('hollow-4')) !== other);

  await podApi().create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'on-dead' }, spec: { containers: [{ name: 'c', image: 'pause' }] } });
  await podApi().create('default', 'on-dead', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'on-dead' }, target: { kind: 'Node', name: 'hollow-1' } } as KubeObject);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(((await podApi().get('default', 'on-dead')) as Pod).status?.phase, 'Pending', 'a dead kubelet starts nothing');

  sim.revive('hollow-1');
  await until('renewals resume', async () => (await renewTime('hollow-1')) !== frozen);
  await until('its pod starts', async () => ((await podApi().get('default', 'on-dead')) as Pod).status?.phase === 'Running');
  assert.equal(sim.stats().killed, 0);
  assert.deepEqual(errors.map(String), [], 'no write failed');
  assert.throws(() => sim.kill('nope'), /no hollow node named "nope"/);
});
