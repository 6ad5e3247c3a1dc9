// Services and cluster DNS on two real nodes (root; conmon + runc, the CNI plugins, nftables),
// through the real kubectl (issue: cluster networking, acceptance 1–5), once with each proxy
// backend. Each node's agent runs the kubelet, the proxy (nftables, then iptables) and the
// cluster DNS server; pods resolve names through the
// kube-dns Service (10.43.0.10) that the cluster-dns controller keeps pointing at the nodes.
// Everything runs in network namespaces the harness makes; only their addresses are used (the
// "outside" DNS server that forwarded names reach listens on the test network's gateway address).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { BUSYBOX, startMultiNodeCluster, type MultiNodeCluster } from '../support/multi-node.js';
import { poll } from '../support/poll.js';
import { REPO_ROOT } from '../support/server.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/runc') && existsSync('/usr/bin/conmon') && existsSync('/usr/lib/cni/bridge')
  && existsSync('/usr/bin/nsenter') && existsSync('/usr/sbin/nft') && existsSync('/usr/bin/curl');

const NS = 'default';
const DOMAIN = 'cluster.local';
const FORWARDED_NAME = 'outside.capstan.test';
const FORWARDED_IP = '192.0.2.55';

/** busybox httpd answering its hostname on /, with a readiness file at /healthz. */
const WEB = 'mkdir -p /www && hostname > /www/index.html && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www';
const labels = (app: string) => ({ app });
const httpPod = (app: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: labels(app) },
  spec: {
    terminationGracePeriodSeconds: 1, ...extra,
    containers: [{
      name: 'web', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', WEB], ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
    }],
  },
});
const deployment = (name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { replicas, selector: { matchLabels: labels(name) }, template: httpPod(name, extra) },
});
const service = (name: string, app: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name },
  spec: { selector: labels(app), ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...spec },
});

/** A DNS server on the gateway address answering FORWARDED_NAME, as the nodes' upstream resolver. */
async function startUpstreamDNS(address: string): Promise<{ socket: Socket; queries: string[] }> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    let q;
    try { q = dnsPacket.decode(msg); } catch { return; }
    const question = q.questions?.[0];
    if (!question) return;
    queries.push(`${question.name}/${question.type}`);
    const known = question.name.toLowerCase() === FORWARDED_NAME && question.type === 'A';
    const reply = dnsPacket.encode({
      type: 'response', id: q.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
      questions: q.questions, answers: known ? [{ type: 'A', name: question.name, ttl: 60, data: FORWARDED_IP }] : [],
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(53, address, resolve));
  return { socket, queries };
}

function httpGet(url: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** The rules of `mode` in a node's namespace: our nftables table, or our iptables chains. */
async function proxyRules(cluster: MultiNodeCluster, i: number, mode: ProxyMode): Promise<boolean> {
  if (mode === 'nftables') return (await cluster.inNode(i, 'nft', ['list', 'tables'])).includes('capstan-proxy');
  return (await cluster.inNode(i, 'iptables-save', []).catch(() => '')).includes('CAPSTAN-SERVICES');
}

type ProxyMode = 'nftables' | 'iptables';

for (const mode of ['nftables', 'iptables'] as const) describe(`Services (${mode}) and cluster DNS on two nodes`, { skip: !canRun && 'needs root, runc, conmon, nsenter, nft, curl and the CNI plugins' }, () => {
  let cluster: MultiNodeCluster;
  let upstream: Awaited<ReturnType<typeof startUpstreamDNS>> | undefined;
  const conf = mkdtempSync(join(tmpdir(), 'capstan-resolv-'));
  const k = () => cluster.kubectl;
  /** Runs a shell script in the client pod (node-1); never throws. */
  const inClient = (script: string) => k()(['exec', 'client', '--', 'sh', '-c', script]);
  /** `n` requests to `url` from the client pod, one response body (the server's hostname) per line. */
  const requests = async (url: string, n: number) => {
    const r = await inClient(`for i in $(seq ${n}); do timeout 5 wget -qO- ${url} || echo FAILED; done`);
    return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  };
  const nslookup = async (name: string, type = 'a') => (await inClient(`nslookup -type=${type} ${name}`)).stdout;
  const podsOf = async (app: string) => JSON.parse(await k().ok(['get', 'pods', '-l', `app=${app}`, '-o', 'json'])).items as
    { metadata: { name: string }; spec: { nodeName: string }; status: { podIP?: string; conditions?: { type: string; status: string }[] } }[];
  const readyPods = async (app: string) => (await podsOf(app)).filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const nodePort = async (svc: string) => Number(await k().ok(['get', 'svc', svc, '-o', 'jsonpath={.spec.ports[0].nodePort}']));
  const curlInNode = (i: number, url: string) => cluster.inNode(i, 'curl', ['-s', '--max-time', '3', url]).then((out) => out.trim(), () => 'FAILED');

  before(async () => {
    // The nodes' upstream resolver is a DNS server of this test on the gateway address, written
    // into the agents' --resolv-conf before they start.
    cluster = await startMultiNodeCluster({
      nodes: 2,
      agentArgs: (_i, net) => {
        writeFileSync(join(conf, 'resolv.conf'), `nameserver ${net.gatewayIP}\n`);
        return ['--resolv-conf', join(conf, 'resolv.conf'), '--proxy-mode', mode];
      },
    });
    upstream = await startUpstreamDNS(cluster.gatewayIP);
    const items = [
      deployment('web', 3),
      deployment('solo', 1, { nodeSelector: { 'kubernetes.io/hostname': 'node-0' } }),
      service('web', 'web'),
      service('web-np', 'web', { type: 'NodePort' }),
      service('web-sticky', 'web', { sessionAffinity: 'ClientIP' }),
      service('web-lb', 'web', { type: 'LoadBalancer', ports: [{ name: 'http', port: 8081, targetPort: 8080, protocol: 'TCP' }] }),
      service('solo-local', 'solo', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
      service('web-headless', 'web', { clusterIP: 'None' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: FORWARDED_NAME } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: labels('db'), ports: [{ name: 'tcp', port: 9000 }] } },
      {
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
        spec: { serviceName: 'db', replicas: 1, selector: { matchLabels: labels('db') }, template: { metadata: { labels: labels('db') }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'db', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', WEB] }] } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo' }, spec: { selector: labels('echo'), ports: [{ port: 9000, targetPort: 9000 }] } },
      {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'echo', labels: labels('echo') },
        spec: { nodeName: 'node-0', terminationGracePeriodSeconds: 1, containers: [{ name: 'echo', image: BUSYBOX, imagePullPolicy: 'Never', command: ['nc', '-ll', '-p', '9000', '-e', 'cat'] }] },
      },
      {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hostport' },
        spec: { nodeName: 'node-0', terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', WEB], ports: [{ containerPort: 8080, hostPort: 18080 }] }] },
      },
      {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' },
        spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 1, containers: [{ name: 'client', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] }] },
      },
    ];
    await k().ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
    await cluster.waitForPodRunning('client');
    await poll('3 web pods Ready', () => readyPods('web'), (p) => p.length === 3, 120_000, 500);
    // DNS answers once the node's DNS server runs and kube-dns points at it.
    await poll('the client resolves web', () => nslookup(`web.${NS}.svc.${DOMAIN}`), (out) => /Address:\s*10\.43\./.test(out), 120_000, 1000);
  });

  after(async () => {
    upstream?.socket.close();
    if (cluster && process.exitCode) process.stderr.write(cluster.logs());
    await cluster?.stop();
    rmSync(conf, { recursive: true, force: true });
  });

  test('a ClusterIP Service by its full and short name reaches the Deployment, spread over its pods', async () => {
    const names = new Set((await readyPods('web')).map((p) => p.metadata.name));
    const full = await requests(`http://web.${NS}.svc.${DOMAIN}`, 30);
    assert.equal(full.length, 30);
    assert.ok(full.every((h) => names.has(h)), `every answer from a web pod: ${full.join(' ')}`);
    assert.ok(new Set(full).size >= 2, `requests spread over the pods: ${[...new Set(full)].join(' ')}`);
    const short = await requests('http://web', 5);
    assert.ok(short.length === 5 && short.every((h) => names.has(h)), `the short name works: ${short.join(' ')}`);
  });

  test('NodePort answers from the host and from every node; hostPort works', async () => {
    const port = await nodePort('web-np');
    assert.ok(port >= 30000 && port <= 32767);
    const names = new Set((await readyPods('web')).map((p) => p.metadata.name));
    for (const node of cluster.nodes) {
      const body = (await httpGet(`http://${node.ip}:${port}/`)).trim();
      assert.ok(names.has(body), `host → ${node.name}:${port} answered ${body}`);
      for (const from of cluster.nodes) {
        const got = await curlInNode(from.index, `http://${node.ip}:${port}/`);
        assert.ok(names.has(got), `${from.name} → ${node.name}:${port} answered ${got}`);
      }
    }
    await cluster.waitForPodRunning('hostport');
    const hp = await poll('hostPort answers', () => httpGet(`http://${cluster.nodes[0]!.ip}:18080/`), (b) => b.trim() === 'hostport', 30_000, 500);
    assert.equal(hp.trim(), 'hostport');
  });

  test('type LoadBalancer: the ingress lists the Ready nodes, and each answers on the Service port', async () => {
    const ingress = await poll('the load balancer ingress', async () => JSON.parse(await k().ok(['get', 'svc', 'web-lb', '-o', 'jsonpath={.status.loadBalancer.ingress}']) || '[]') as { ip: string }[],
      (list) => list.length === 2, 60_000, 500);
    assert.deepEqual(ingress.map((i) => i.ip).sort(), cluster.nodes.map((n) => n.ip).sort());
    const names = new Set((await readyPods('web')).map((p) => p.metadata.name));
    for (const { ip } of ingress) {
      const body = (await httpGet(`http://${ip}:8081/`)).trim();
      assert.ok(names.has(body), `${ip}:8081 answered ${body}`);
    }
  });

  test('sessionAffinity ClientIP sticks to one pod', async () => {
    const got = await requests('http://web-sticky', 20);
    assert.equal(got.length, 20);
    assert.equal(new Set(got).size, 1, `one pod answered: ${[...new Set(got)].join(' ')}`);
  });

  test('externalTrafficPolicy Local serves only from the node holding a pod', async () => {
    const port = await nodePort('solo-local');
    const [solo] = await poll('the solo pod Ready', () => readyPods('solo'), (p) => p.length === 1, 120_000, 500);
    assert.equal(solo!.spec.nodeName, 'node-0');
    const local = await poll('node-0 serves solo', () => curlInNode(1, `http://${cluster.nodes[0]!.ip}:${port}/`), (b) => b === solo!.metadata.name, 30_000, 500);
    assert.equal(local, solo!.metadata.name);
    assert.equal(await curlInNode(0, `http://${cluster.nodes[1]!.ip}:${port}/`), 'FAILED', 'node-1 has no local endpoint and does not forward');
  });

  test('DNS: headless Service → ready pod IPs; SRV for named ports; ExternalName; StatefulSet pod; forwarded names', async () => {
    const ips = (await readyPods('web')).map((p) => p.status.podIP!).sort();
    const headless = await nslookup(`web-headless.${NS}.svc.${DOMAIN}`);
    const answered = [...headless.matchAll(/Address:\s*(10\.42\.\d+\.\d+)/g)].map((m) => m[1]).sort();
    assert.deepEqual(answered, ips, headless);
    const srv = await nslookup(`_http._tcp.web.${NS}.svc.${DOMAIN}`, 'srv');
    assert.match(srv, new RegExp(`80 web\\.${NS}\\.svc\\.${DOMAIN.replace('.', '\\.')}`), srv);
    const ext = await nslookup(`ext.${NS}.svc.${DOMAIN}`, 'cname');
    assert.match(ext, new RegExp(`canonical name = ${FORWARDED_NAME.replace(/\./g, '\\.')}`), ext);
    const db0 = await cluster.waitForPodRunning('db-0');
    const stateful = await poll('web-0-style name resolves', () => nslookup(`db-0.db.${NS}.svc.${DOMAIN}`), (o) => o.includes(db0.status.podIP!), 60_000, 1000);
    assert.ok(stateful.includes(db0.status.podIP!), stateful);
    // The pod's own resolver (wget's), through resolv.conf's search list and ndots:5.
    const short = await inClient('timeout 10 wget -qO- http://db-0.db:8080');
    assert.equal(short.stdout.trim(), 'db-0', `db-0.db through the search list: ${short.stderr}`);
    const forwarded = await nslookup(FORWARDED_NAME);
    assert.match(forwarded, new RegExp(`Address:\\s*${FORWARDED_IP.replace(/\./g, '\\.')}`), forwarded);
    assert.ok(upstream!.queries.some((q) => q.startsWith(`${FORWARDED_NAME}/`)), `the upstream saw the query: ${upstream!.queries.join(' ')}`);
    const missing = await inClient(`nslookup nope.${NS}.svc.${DOMAIN}`);
    assert.match(missing.stdout + missing.stderr, /NXDOMAIN/);
  });

  test('a pod failing readiness leaves the rotation within a probe period plus propagation', async () => {
    const [victim] = await readyPods('web');
    const t0 = Date.now();
    await k().ok(['exec', victim!.metadata.name, '--', 'rm', '/www/healthz']);
    await poll('the pod leaves the rotation', () => requests('http://web', 10), (got) => got.length === 10 && !got.includes(victim!.metadata.name) && !got.includes('FAILED'), 30_000, 100);
    const elapsed = Date.now() - t0;
    // periodSeconds 1 + the kubelet's status write + the EndpointSlice + the proxy's sync; the ten
    // requests that prove it take about a second themselves.
    assert.ok(elapsed < 6000, `left the rotation after ${elapsed} ms`);
    await k().ok(['exec', victim!.metadata.name, '--', 'sh', '-c', 'echo ok > /www/healthz']);
    await poll('3 web pods Ready again', () => readyPods('web'), (p) => p.length === 3, 60_000, 500);
  });

  test('scaling to zero makes connections fail fast; scaling up restores them', async () => {
    await k().ok(['scale', 'deployment', 'web', '--replicas=0']);
    await poll('no web pods', () => podsOf('web'), (p) => p.length === 0, 60_000, 500);
    const t0 = Date.now();
    const r = await inClient('timeout 10 wget -qO- http://web');
    const elapsed = Date.now() - t0;
    assert.notEqual(r.code, 0);
    assert.ok(elapsed < 3000, `refused in ${elapsed} ms (no hang)`);
    await k().ok(['scale', 'deployment', 'web', '--replicas=3']);
    await poll('3 web pods Ready', () => readyPods('web'), (p) => p.length === 3, 120_000, 500);
    const back = await poll('the Service answers again', () => requests('http://web', 3), (got) => got.length === 3 && !got.includes('FAILED'), 30_000, 500);
    assert.equal(back.length, 3);
  });

  test('restarting the proxy keeps established connections; capstan proxy --cleanup removes every rule', async () => {
    await cluster.waitForPodRunning('echo');
    const vip = (await k().ok(['get', 'svc', 'echo', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    // A connection through the Service from node-1's host network, held open across the restart.
    const script = `const s=require('net').connect(9000,'${vip}');s.setEncoding('utf8');let b='';
      s.on('data',d=>{b+=d;process.stdout.write(d)});s.on('error',e=>{console.log('ERROR '+e.message);process.exit(1)});
      process.stdin.on('data',d=>s.write(d));`;
    const conn = spawn('nsenter', [`--net=/run/netns/${cluster.nodes[1]!.netns}`, '--', process.execPath, '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    conn.stdout!.setEncoding('utf8');
    conn.stdout!.on('data', (d: string) => { out += d; });
    try {
      await poll('the echo Service answers', async () => { conn.stdin!.write('one\n'); return out; }, (o) => o.includes('one'), 30_000, 1000);
      await cluster.nodes[1]!.restartAgent();
      conn.stdin!.write('two\n');
      await poll('the same connection still echoes after the restart', async () => out, (o) => o.includes('two'), 10_000, 100);
      assert.doesNotMatch(out, /ERROR/);
    } finally {
      conn.kill();
    }
    // Cleanup: with node-1's agent stopped, `capstan proxy --cleanup` leaves no Capstan rules.
    const node = cluster.nodes[1]!;
    await node.agent.terminate();
    await cluster.inNode(1, process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'proxy', '--cleanup']);
    assert.doesNotMatch(await cluster.inNode(1, 'nft', ['list', 'tables']), /capstan-proxy/);
    const saved = await cluster.inNode(1, 'iptables-save', []).catch(() => '');
    assert.doesNotMatch(saved, /CAPSTAN-/);
    await node.restartAgent();
    await poll('the proxy programs node-1 again', () => proxyRules(cluster, 1, mode), (yes) => yes, 60_000, 500);
  });
});
