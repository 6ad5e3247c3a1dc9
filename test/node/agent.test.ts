// `capstan agent` against a real `capstan server`, both child processes: the agent joins with
// the server's token (CA pinned by hash, CSRs signed with the join secret), registers its Node
// with the host's real capacity, renews its Lease, and is held to its own objects by the Node
// authorizer and NodeRestriction. Restarts reuse the credentials; wrong tokens are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { isStatusError, parseQuantity, quantityValue, type Lease, type Node } from '../../src/api/index.js';
import { spawnServer, tempDir, type ServerProcess } from '../support/server.js';
import { spawnAgent, type AgentProcess } from '../support/agent.js';
import { kubectl, kubectlAvailable } from '../support/kubectl.js';
import { poll } from '../support/poll.js';
import { EVENTS, LEASES, NODES, PODS } from '../support/resources.js';

const dir = tempDir('capstan-agent-');
const agentDir = join(dir.path, 'agent-host');
const NODE = 'worker-1';
let server: ServerProcess;
let admin: Client;
let token: string;
let url: string;
const agents: AgentProcess[] = [];

function startAgent(extra: string[] = [], dataDir = agentDir, withToken = token): AgentProcess {
  const a = spawnAgent(['--server', url, '--token', withToken, '--data-dir', dataDir, '--node-name', NODE, '--node-ip', '127.0.0.1', '--node-labels', 'pool=blue', '--register-with-taints', 'dedicated=agents:NoSchedule', ...extra]);
  agents.push(a);
  return a;
}

before(async () => {
  server = await spawnServer(join(dir.path, 'server-host'), 0, ['--disable-scheduler', '--disable-controller-manager']);
  url = `https://127.0.0.1:${server.port}`;
  admin = new Client(transportFromKubeconfig(server.kubeconfig));
  token = readFileSync(join(server.dataDir, 'token'), 'utf8').trim();
});

after(async () => {
  await Promise.all(agents.map((a) => a.terminate()));
  admin?.close();
  await server?.terminate();
  dir.remove();
});

const condition = (n: Node, type: string) => n.status?.conditions?.find((c) => c.type === type);

test('the server writes a k3s-style token whose hash pins its CA', () => {
  assert.match(token, /^K10[0-9a-f]{64}::server:[0-9a-f]{64}$/);
  assert.equal(readFileSync(join(server.dataDir, 'server', 'token'), 'utf8').trim(), token);
});

test('the agent joins and registers its Node with the real capacity, Ready=True', async () => {
  const agent = startAgent();
  await agent.waitForLog(/ready: node worker-1 registered/);
  assert.match(agent.logs(), /obtained node credentials/);
  const node = await poll('Node Ready', () => admin.resource(NODES).get('', NODE) as Promise<Node>, (n) => condition(n, 'Ready')?.status === 'True');
  const ready = condition(node, 'Ready')!;
  assert.equal(ready.reason, 'KubeletReady');
  assert.equal(ready.message, 'kubelet is posting ready status');
  for (const [type, reason] of [['MemoryPressure', 'KubeletHasSufficientMemory'], ['DiskPressure', 'KubeletHasNoDiskPressure'], ['PIDPressure', 'KubeletHasSufficientPID']]) {
    assert.equal(condition(node, type!)?.status, 'False', type);
    assert.equal(condition(node, type!)?.reason, reason);
  }
  const cap = node.status!.capacity!;
  const online = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim().split(',')
    .reduce((n, r) => n + (r.includes('-') ? Number(r.split('-')[1]) - Number(r.split('-')[0]) + 1 : 1), 0);
  assert.equal(cap.cpu, String(online));
  const memTotalKi = Number(/MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
  assert.equal(quantityValue(parseQuantity(cap.memory!)), memTotalKi * 1024);
  assert.equal(quantityValue(parseQuantity(node.status!.allocatable!.memory!)), memTotalKi * 1024 - 100 * 2 ** 20);
  const fs = statfsSync(agentDir);
  assert.equal(quantityValue(parseQuantity(cap['ephemeral-storage']!)), fs.blocks * fs.bsize);
  assert.equal(cap.pods, '110');
  assert.ok('hugepages-2Mi' in cap && 'hugepages-1Gi' in cap);
  assert.deepEqual(node.status!.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: NODE }]);
  assert.equal(node.status!.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
  assert.equal(node.status!.nodeInfo?.machineID, readFileSync('/etc/machine-id', 'utf8').trim());
  assert.equal(node.status!.nodeInfo?.containerRuntimeVersion, 'fake://1.0');
  assert.equal(node.status!.nodeInfo?.kubeletVersion, 'v1.31.0+capstan');
  assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], NODE);
  assert.equal(node.metadata?.labels?.pool, 'blue');
  assert.deepEqual(node.spec?.taints, [{ key: 'dedicated', value: 'agents', effect: 'NoSchedule' }]);
  // The kubelet's node events, as `kubectl describe node` lists them.
  const events = await poll('node events', () => admin.resource(EVENTS).list('default'), (l) => l.items.some((e) => (e as { reason?: string }).reason === 'NodeReady'));
  const mine = events.items.filter((e) => (e as { involvedObject?: { kind?: string; name?: string } }).involvedObject?.name === NODE).map((e) => (e as { reason?: string }).reason);
  for (const r of ['Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']) assert.ok(mine.includes(r), `${r} in ${mine.join(',')}`);
});

test('kubectl shows the node Ready', { skip: !kubectlAvailable('1.33') && 'kubectl 1.33 not installed' }, async () => {
  const k = kubectl('1.33', server.kubeconfig, join(dir.path, 'kubectl-cache'));
  const out = await poll('kubectl get node', () => k.ok(['get', 'node', NODE, '--no-headers']), (o) => /\bReady\b/.test(o));
  assert.match(out, /^worker-1\s+Ready\s+<none>\s+\S+\s+v1\.31\.0\+capstan/);
});

test('the Lease is owned by the Node and renews', async () => {
  const node = await admin.resource(NODES).get('', NODE) as Node;
  const first = await poll('Lease', () => admin.resource(LEASES).get('kube-node-lease', NODE) as Promise<Lease>, () => true);
  assert.equal(first.spec?.holderIdentity, NODE);
  assert.equal(first.spec?.leaseDurationSeconds, 40);
  assert.deepEqual(first.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['Node', NODE, node.metadata?.uid]]);
  await poll('Lease renewal', () => admin.resource(LEASES).get('kube-node-lease', NODE) as Promise<Lease>, (l) => l.spec?.renewTime !== first.spec?.renewTime);
});

test("the node's certificate writes its own Node but not another's", async () => {
  await admin.resource(NODES).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'other' } });
  await admin.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' }, spec: { nodeName: 'other', containers: [{ name: 'c', image: 'busybox' }] } });
  const nodeClient = new Client(transportFromKubeconfig(join(agentDir, 'agent', 'kubelet.kubeconfig')));
  try {
    await nodeClient.resource(NODES).patch('', NODE, 'merge', { metadata: { labels: { touched: 'yes' } } });
    const forbidden = async (what: string, p: Promise<unknown>, message: RegExp) => {
      await assert.rejects(p, (e: unknown) => {
        assert.ok(isStatusError(e), `${what}: ${String(e)}`);
        assert.equal(e.code, 403, what);
        assert.match(e.status.message ?? '', message, what);
        return true;
      });
    };
    await forbidden('patch other node', nodeClient.resource(NODES).patch('', 'other', 'merge', { metadata: { labels: { x: 'y' } } }),
      /^nodes "other" is forbidden: User "system:node:worker-1" cannot patch resource "nodes" in API group "" at the cluster scope$/);
    await forbidden('other node status', nodeClient.resource(NODES).patch('', 'other', 'merge', { status: { capacity: { cpu: '1' } } }, 'status'), /cannot patch resource "nodes\/status"/);
    await forbidden('create node under another name', nodeClient.resource(NODES).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'impostor' } }),
      /node "worker-1" is not allowed to modify node "impostor"/);
    await forbidden("another node's lease", nodeClient.resource(LEASES).create('kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'other' }, spec: {} }),
      /can only access node lease with the same name as the requesting node/);
    await forbidden('pod bound elsewhere', nodeClient.resource(PODS).patch('default', 'elsewhere', 'merge', { status: { phase: 'Failed' } }, 'status'),
      /node "worker-1" can only update pod status for pods with spec.nodeName set to itself/);
    await forbidden('create a pod', nodeClient.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mine' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }),
      /cannot create resource "pods"/);
    await forbidden('list deployments', nodeClient.resource({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true, kind: 'Deployment' }).list('default'), /cannot list resource "deployments"/);
    // Reads a kubelet needs are allowed.
    assert.ok((await nodeClient.resource(PODS).list('')).items.length >= 1);
    const other = await admin.resource(NODES).get('', 'other') as Node;
    assert.equal(other.metadata?.labels?.x, undefined);
    assert.equal((await admin.resource(NODES).get('', NODE) as Node).metadata?.labels?.touched, 'yes');
  } finally {
    nodeClient.close();
  }
});

test('restarting the agent reuses its credentials', async () => {
  const files = ['client-kubelet.crt', 'client-kubelet.key', 'serving-kubelet.crt', 'serving-kubelet.key', 'kubelet.kubeconfig', 'server-ca.crt'];
  const before = files.map((f) => readFileSync(join(agentDir, 'agent', f), 'utf8'));
  assert.equal(await agents[0]!.terminate(), 0);
  const lease = await admin.resource(LEASES).get('kube-node-lease', NODE) as Lease;
  const again = startAgent();
  await again.waitForLog(/ready: node worker-1 registered/);
  assert.match(again.logs(), /reusing node credentials/);
  assert.deepEqual(files.map((f) => readFileSync(join(agentDir, 'agent', f), 'utf8')), before);
  await poll('Lease renewed after restart', () => admin.resource(LEASES).get('kube-node-lease', NODE) as Promise<Lease>, (l) => l.spec?.renewTime !== lease.spec?.renewTime);
  const node = await admin.resource(NODES).get('', NODE) as Node;
  assert.equal(condition(node, 'Ready')?.status, 'True');
});

test('a new --node-ip gets a new serving certificate (same node password, same Node)', async () => {
  const servingBefore = readFileSync(join(agentDir, 'agent', 'serving-kubelet.crt'), 'utf8');
  assert.equal(await agents[agents.length - 1]!.terminate(), 0);
  const moved = startAgent(['--node-ip', '127.0.0.2']);
  await moved.waitForLog(/ready: node worker-1 registered/);
  assert.match(moved.logs(), /obtained node credentials/);
  assert.notEqual(readFileSync(join(agentDir, 'agent', 'serving-kubelet.crt'), 'utf8'), servingBefore);
  await poll('InternalIP updated', () => admin.resource(NODES).get('', NODE) as Promise<Node>,
    (n) => n.status?.addresses?.[0]?.address === '127.0.0.2');
});

test('another host cannot join under a node name already taken (node password)', async () => {
  const other = join(dir.path, 'impostor-host');
  const a = startAgent([], other);
  assert.notEqual(await a.exited, 0);
  assert.match(a.logs(), /\(403\): node password rejected for node "worker-1"/);
  assert.equal(existsSync(join(other, 'agent', 'client-kubelet.crt')), false);
  const secret = await admin.resource({ group: '', version: 'v1', plural: 'secrets', namespaced: true, kind: 'Secret' }).get('kube-system', 'worker-1.node-password.capstan');
  assert.equal((secret as { type?: string }).type, 'capstan.io/node-password');
});

test('a token with the wrong CA hash makes the agent refuse to join', async () => {
  const other = join(dir.path, 'wrong-hash');
  const bad = token.replace(/^K10([0-9a-f])/, (_m, c: string) => `K10${c === '0' ? '1' : '0'}`);
  const a = startAgent(['--node-name', 'wrong-hash'], other, bad);
  assert.notEqual(await a.exited, 0);
  assert.match(a.logs(), /does not match|refusing to join/);
  assert.equal(existsSync(join(other, 'agent', 'client-kubelet.crt')), false);
});

test('a wrong secret gets 401', async () => {
  const other = join(dir.path, 'wrong-secret');
  const bad = token.replace(/::server:.*$/, '::server:0123456789');
  const a = startAgent(['--node-name', 'wrong-secret'], other, bad);
  assert.notEqual(await a.exited, 0);
  assert.match(a.logs(), /rejected the join token \(401 Unauthorized\)/);
  assert.equal(existsSync(join(other, 'agent', 'client-kubelet.crt')), false);
  const ca = readFileSync(join(server.dataDir, 'server', 'tls', 'server-ca.crt'), 'utf8');
  const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}/v1-capstan/node-certificates`, { method: 'POST', ca, headers: { authorization: `Basic ${Buffer.from('node:nope').toString('base64')}`, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
  assert.equal(reply.status, 401);
  assert.equal((JSON.parse(reply.body) as { reason: string }).reason, 'Unauthorized');
});
