// Kernel test of the nftables backend: real nft, real packets, inside namespaces of its own
// (netns-fixture.ts). Needs root, nft, ip and socat; skips with the reason otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createNftablesBackend } from './backend.js';
import { kernelTestBlocker, run, VirtualNetwork } from './netns-fixture.js';
import { endpoint, proxyState, servicePort } from './test-fixtures.js';
import type { ProxyBackend, ServicePortInfo } from '../model.js';

const blocker = await kernelTestBlocker();
const net = new VirtualNetwork('nft');
let backend: ProxyBackend;
const logs: string[] = [];

before(async () => {
  if (blocker) return;
  try {
    await net.create(3);
    await net.listen(8080);
  } catch (e) {
    await net.destroy();
    throw e;
  }
  backend = createNftablesBackend({ netns: net.node, log: (m) => logs.push(m) });
});

after(async () => {
  if (blocker) return;
  try {
    await backend?.cleanup();
  } finally {
    await net.destroy();
  }
});

const opts = { skip: blocker };
const [pod1, pod2, pod3] = [0, 1, 2].map((i) => `10.42.0.${i + 2}`);

/** The service ports of the scenario; pod3 sits on "another node" (isLocal false). */
function ports(overrides: Partial<Record<string, Partial<ServicePortInfo>>> = {}): ServicePortInfo[] {
  const local = (ip: string) => endpoint(ip, { isLocal: ip !== pod3 });
  const base: ServicePortInfo[] = [
    servicePort('web', { clusterIPs: ['10.43.0.5'], nodePort: 30080, externalIPs: ['203.0.113.50'], endpoints: [local(pod1), local(pod2)] }),
    servicePort('empty', { clusterIPs: ['10.43.0.6'], nodePort: 30081, endpoints: [] }),
    servicePort('sticky', { clusterIPs: ['10.43.0.7'], sessionAffinityTimeoutSeconds: 300, endpoints: [local(pod1), local(pod2), local(pod3)] }),
    servicePort('local', { clusterIPs: ['10.43.0.8'], nodePort: 30082, externalTrafficLocal: true, endpoints: [local(pod1), local(pod3)] }),
    servicePort('self', { clusterIPs: ['10.43.0.9'], endpoints: [local(pod1)] }),
    servicePort('headless', { clusterIPs: [], endpoints: [local(pod1)] }),
  ];
  return base.map((sp) => ({ ...sp, ...overrides[sp.name] }));
}

async function answers(ns: string, host: string, port: number, times: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < times; i++) {
    const r = await net.connect(ns, host, port);
    assert.equal(r.code, 0, `${host}:${port} from ${ns}: ${r.stderr}`);
    out.push(r.stdout.trim());
  }
  return out;
}
const podsOf = (lines: string[]): Set<string> => new Set(lines.map((l) => l.split(' ')[0]));

test('first sync: a ClusterIP spreads over its endpoints from outside and from the node, off-cluster clients are masqueraded', opts, async () => {
  await backend.sync(proxyState(ports(), { nodeIPs: [net.nodeIP] }), 'all');
  const fromClient = await answers(net.client, '10.43.0.5', 80, 16);
  assert.deepEqual(podsOf(fromClient), new Set(['pod1', 'pod2']));
  for (const line of fromClient) assert.ok(line.endsWith(` ${net.bridgeIP}`), `not masqueraded: ${line}`);
  assert.deepEqual(podsOf(await answers(net.node, '10.43.0.5', 80, 12)), new Set(['pod1', 'pod2']));
});

test('NodePort on the node address and an externalIP reach the Service', opts, async () => {
  assert.ok(podsOf(await answers(net.client, net.nodeIP, 30080, 4)).size >= 1);
  // the externalIP (a documentation address) reaches the node by the client's default route
  assert.ok(podsOf(await answers(net.client, '203.0.113.50', 80, 4)).size >= 1);
});

test('a Service with no endpoints is refused fast (ClusterIP from outside and from the node, NodePort)', opts, async () => {
  for (const [ns, host, port] of [[net.client, '10.43.0.6', 80], [net.node, '10.43.0.6', 80], [net.client, net.nodeIP, 30081]] as const) {
    const r = await net.connect(ns, host, port);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Connection refused/, `${host}:${port} from ${ns}`);
    assert.ok(r.ms < 1000, `took ${r.ms} ms`);
  }
});

test('sessionAffinity ClientIP keeps one client on one endpoint', opts, async () => {
  const seen = podsOf(await answers(net.client, '10.43.0.7', 80, 10));
  assert.equal(seen.size, 1, [...seen].join());
});

test('externalTrafficPolicy Local: the NodePort serves only local endpoints and keeps the client address', opts, async () => {
  const lines = await answers(net.client, net.nodeIP, 30082, 10);
  assert.deepEqual(podsOf(lines), new Set(['pod1']));
  for (const line of lines) assert.equal(line, `pod1 ${net.clientIP}`);
});

test('internalTrafficPolicy Local: the cluster IP serves only local endpoints; with none local it drops (as upstream), not rejects', opts, async () => {
  const itp = servicePort('itp', { clusterIPs: ['10.43.0.13'], internalTrafficLocal: true, endpoints: [endpoint(pod1, { isLocal: true }), endpoint(pod3)] });
  const none = servicePort('itpnone', { clusterIPs: ['10.43.0.14'], internalTrafficLocal: true, endpoints: [endpoint(pod3)] });
  await backend.sync(proxyState([...ports(), itp, none], { nodeIPs: [net.nodeIP] }), new Set([itp.key, none.key]));
  assert.deepEqual(podsOf(await answers(net.pods[1].ns, '10.43.0.13', 80, 6)), new Set(['pod1']));
  const dropped = await net.connect(net.pods[1].ns, '10.43.0.14', 80, 1);
  assert.match(dropped.stderr, /timed out/);
  await backend.sync(proxyState(ports(), { nodeIPs: [net.nodeIP] }), new Set([itp.key, none.key]));
});

test('hairpin: a pod reaching itself through its Service VIP is masqueraded and answered', opts, async () => {
  const podNs = net.pods[0].ns;
  const [line] = await answers(podNs, '10.43.0.9', 80, 1);
  assert.equal(line, `pod1 ${net.bridgeIP}`);
});

test('UDP to a Service whose endpoint is the node itself (as kube-dns on the node address), from a pod and from the node', opts, async () => {
  net.listenUdp(net.node, net.nodeIP, 5353, 'node');
  const dns = servicePort('dns', { key: 'kube-system/dns:dns/UDP', namespace: 'kube-system', portName: 'dns', protocol: 'UDP', clusterIPs: ['10.43.0.11'], port: 53, endpoints: [endpoint(net.nodeIP, { port: 5353, isLocal: true })] });
  const noDns = servicePort('nodns', { key: 'kube-system/nodns:dns/UDP', namespace: 'kube-system', portName: 'dns', protocol: 'UDP', clusterIPs: ['10.43.0.12'], port: 53, endpoints: [] });
  await backend.sync(proxyState([...ports(), dns, noDns], { nodeIPs: [net.nodeIP] }), new Set([dns.key, noDns.key]));
  let fromPod = await net.queryUdp(net.pods[0].ns, '10.43.0.11', 53);
  for (const deadline = Date.now() + 10_000; fromPod.stdout === '' && Date.now() < deadline;) { // listener start-up
    await new Promise((done) => setTimeout(done, 100));
    fromPod = await net.queryUdp(net.pods[0].ns, '10.43.0.11', 53);
  }
  assert.equal(fromPod.stdout.trim(), `node ${pod1}`, fromPod.stderr);
  // One datagram each way: on a loaded machine a query may go unanswered within its 1 s, so retry.
  let fromNode = await net.queryUdp(net.node, '10.43.0.11', 53);
  for (const deadline = Date.now() + 10_000; fromNode.stdout === '' && Date.now() < deadline;) {
    fromNode = await net.queryUdp(net.node, '10.43.0.11', 53);
  }
  assert.match(fromNode.stdout.trim(), /^node \d+\.\d+\.\d+\.\d+$/, fromNode.stderr);
  const refused = await net.queryUdp(net.pods[0].ns, '10.43.0.12', 53);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Connection refused/);
  assert.ok(refused.ms < 1000, `took ${refused.ms} ms`);
  await backend.sync(proxyState(ports(), { nodeIPs: [net.nodeIP] }), new Set([dns.key, noDns.key]));
});

test('headless Services get no rules', opts, async () => {
  const listing = await run('ip', ['netns', 'exec', net.node, 'nft', 'list', 'table', 'ip', 'capstan-proxy']);
  assert.equal(listing.code, 0, listing.stderr);
  assert.ok(!listing.stdout.includes('default/headless/'));
});

test('incremental syncs move traffic: endpoints change, a Service loses and regains all endpoints', opts, async () => {
  const key = 'default/web:http/TCP';
  await backend.sync(proxyState(ports({ web: { endpoints: [endpoint(pod2)] } }), { nodeIPs: [net.nodeIP] }), new Set([key]));
  assert.deepEqual(podsOf(await answers(net.client, '10.43.0.5', 80, 6)), new Set(['pod2']));

  await backend.sync(proxyState(ports({ web: { endpoints: [] } }), { nodeIPs: [net.nodeIP] }), new Set([key]));
  const refused = await net.connect(net.client, '10.43.0.5', 80);
  assert.match(refused.stderr, /Connection refused/);

  await backend.sync(proxyState(ports({ web: { endpoints: [endpoint(pod3)] } }), { nodeIPs: [net.nodeIP] }), new Set([key]));
  assert.deepEqual(podsOf(await answers(net.client, '10.43.0.5', 80, 4)), new Set(['pod3']));
  assert.deepEqual(logs, [], 'no incremental sync fell back to a full rewrite');
});

test('drift: a deleted table is rewritten by the next sync, even an incremental one', opts, async () => {
  await run('ip', ['netns', 'exec', net.node, 'nft', 'delete', 'table', 'ip', 'capstan-proxy']);
  await backend.sync(proxyState(ports(), { nodeIPs: [net.nodeIP] }), new Set(['default/web:http/TCP']));
  assert.deepEqual(podsOf(await answers(net.client, '10.43.0.5', 80, 12)), new Set(['pod1', 'pod2']));
  assert.equal(logs.length, 1);
});

test('periodic resync: a foreign chain in our table is detected and the table recreated', opts, async () => {
  const state = proxyState(ports(), { nodeIPs: [net.nodeIP] });
  await run('ip', ['netns', 'exec', net.node, 'nft', 'add', 'chain', 'ip', 'capstan-proxy', 'foreign']);
  logs.length = 0;
  await backend.sync(state, 'all');
  assert.match(logs.join('\n'), /not as written/);
  const listing = await run('ip', ['netns', 'exec', net.node, 'nft', 'list', 'chains', 'ip']);
  assert.ok(!listing.stdout.includes('foreign'), listing.stdout);
  assert.deepEqual(podsOf(await answers(net.client, '10.43.0.5', 80, 8)), new Set(['pod1', 'pod2']));
});

test('the hourly in-place rewrite keeps sessionAffinity entries', opts, async () => {
  let clock = 0;
  const state = proxyState(ports(), { nodeIPs: [net.nodeIP] });
  const hourly = createNftablesBackend({ netns: net.node, now: () => clock });
  await hourly.sync(state, 'all');
  const [first] = podsOf(await answers(net.client, '10.43.0.7', 80, 1));
  clock += 2 * 60 * 60 * 1000;
  await hourly.sync(state, 'all');
  const sets = await run('ip', ['netns', 'exec', net.node, 'nft', 'list', 'sets', 'ip']);
  assert.ok(sets.stdout.includes(`${net.clientIP} expires`), sets.stdout);
  assert.deepEqual(podsOf(await answers(net.client, '10.43.0.7', 80, 5)), new Set([first]));
});

test('a restarted proxy (fresh backend, full rewrite) does not cut an established connection', opts, async () => {
  net.listenEcho(net.pods[1], 9090);
  const state = proxyState([...ports(), servicePort('echo', { key: 'default/echo:http/TCP', clusterIPs: ['10.43.0.10'], endpoints: [endpoint(pod2, { port: 9090 })] })], { nodeIPs: [net.nodeIP] });
  await backend.sync(state, 'all');
  await new Promise((done) => setTimeout(done, 200));
  const client = spawn('ip', ['netns', 'exec', net.client, 'socat', '-T', '10', '-', 'TCP:10.43.0.10:80,connect-timeout=3'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    let received = '';
    client.stdout.on('data', (b: Buffer) => { received += b.toString(); });
    const waitFor = async (text: string): Promise<void> => {
      for (let i = 0; i < 100 && !received.includes(text); i++) await new Promise((done) => setTimeout(done, 30));
      assert.ok(received.includes(text), `echo of ${text} missing; got ${JSON.stringify(received)}`);
    };
    client.stdin.write('before\n');
    await waitFor('before');
    const restarted = createNftablesBackend({ netns: net.node });
    await restarted.sync(state, 'all');
    client.stdin.write('after\n');
    await waitFor('after');
  } finally {
    client.kill('SIGTERM');
  }
});

test('cleanup removes the table; a second cleanup is not an error', opts, async () => {
  await backend.cleanup();
  await backend.cleanup();
  const listing = await run('ip', ['netns', 'exec', net.node, 'nft', 'list', 'ruleset']);
  assert.equal(listing.code, 0);
  assert.ok(!listing.stdout.includes('capstan-proxy'), listing.stdout);
});
