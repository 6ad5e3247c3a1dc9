// Two real nodes on one machine (root; conmon + runc, the CNI plugins, nftables), through the real
// kubectl (issue: cluster networking, "Pod network — across nodes" and acceptance 1's first part):
// - a pod on node-1 reaches a pod on node-0 by pod IP, over the host-gateway routes, and the
//   server pod sees the client's own pod IP (no masquerade pod-to-pod);
// - a pod reaching an address outside the cluster CIDR (a listener this test runs on the test
//   network's gateway address in the root namespace) arrives masqueraded as its node's address;
// - each node has a route to every other Node's pod CIDR via its InternalIP (protocol 67), kept
//   in sync with Node objects: a Node added with a pod CIDR gets routes, deleting it removes them;
// - an agent restart (the harness's restartAgent) keeps pods and routes working.
// Everything runs in network namespaces the harness makes; only their addresses are used.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { BUSYBOX, startMultiNodeCluster, type MultiNodeCluster } from '../support/multi-node.js';
import { poll } from '../support/poll.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/runc') && existsSync('/usr/bin/conmon') && existsSync('/usr/lib/cni/bridge')
  && existsSync('/usr/bin/nsenter') && existsSync('/usr/sbin/nft');

/** A CGI answering with the caller's address as busybox httpd sees it. */
const ECHO_ADDR = 'mkdir -p /www/cgi-bin && printf \'#!/bin/sh\\necho "Content-Type: text/plain"\\necho\\necho "$REMOTE_ADDR"\\n\' > /www/cgi-bin/addr'
  + ' && chmod +x /www/cgi-bin/addr && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www';

/** busybox-static's `wget -T` segfaults; its `timeout` applet bounds the call instead. */
const wget = (url: string) => ['exec', 'client', '--', 'timeout', '10', 'wget', '-qO-', url];

interface RouteJSON { dst: string; gateway?: string; protocol?: string }

describe('several nodes: pod network across nodes', { skip: !canRun && 'needs root, runc, conmon, nsenter, nft and the CNI plugins' }, () => {
  let cluster: MultiNodeCluster;
  let outside: Server;
  let outsidePort = 0;
  const pod = (name: string, nodeName: string, script: string) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } },
    spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', script] }] },
  });
  const routes = async (i: number) => (JSON.parse(await cluster.inNode(i, 'ip', ['-j', '-4', 'route', 'show', 'table', 'main'])) as RouteJSON[])
    .filter((r) => r.protocol === '67');
  const podCIDR = async (node: string) => (await cluster.kubectl.ok(['get', 'node', node, '-o', 'jsonpath={.spec.podCIDR}'])).trim();

  before(async () => {
    cluster = await startMultiNodeCluster({ nodes: 2 });
    // The "outside world": a listener in the root namespace on the test network's gateway address.
    outside = createServer((req, res) => res.end(`${req.socket.remoteAddress}\n`));
    await new Promise<void>((resolve) => outside.listen(0, cluster.gatewayIP, resolve));
    outsidePort = (outside.address() as { port: number }).port;
    const k = cluster.kubectl;
    await k.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('web', 'node-0', ECHO_ADDR), pod('client', 'node-1', 'exec sleep 3600')] }) });
  });

  after(async () => {
    await new Promise<void>((resolve) => (outside ? outside.close(() => resolve()) : resolve()));
    await cluster?.stop();
  });

  test('every node routes to the other node\'s pod CIDR via its InternalIP', async () => {
    const [n0, n1] = cluster.nodes;
    const cidr0 = await podCIDR('node-0');
    const cidr1 = await podCIDR('node-1');
    assert.ok(cidr0 && cidr1 && cidr0 !== cidr1, `distinct pod CIDRs: ${cidr0} ${cidr1}`);
    await poll('node-0 routes', () => routes(0), (r) => r.length === 1 && r[0]!.dst === cidr1 && r[0]!.gateway === n1!.ip);
    await poll('node-1 routes', () => routes(1), (r) => r.length === 1 && r[0]!.dst === cidr0 && r[0]!.gateway === n0!.ip);
    // Egress masquerade table on each node, nothing for pod-to-pod.
    const table = await cluster.inNode(0, 'nft', ['list', 'table', 'ip', 'capstan-node']);
    assert.match(table, /ip saddr 10\.42\.0\.0\/16 ip daddr != 10\.42\.0\.0\/16 .*masquerade/);
  });

  test('a pod on node-1 reaches a pod on node-0 by pod IP, keeping its own source address', async () => {
    const web = await cluster.waitForPodRunning('web');
    const client = await cluster.waitForPodRunning('client');
    assert.equal(web.spec.nodeName, 'node-0');
    assert.equal(client.spec.nodeName, 'node-1');
    assert.equal(web.status.hostIP, cluster.nodes[0]!.ip);
    const fetch = (path: string) => cluster.kubectl(wget(`http://${web.status.podIP}:8080${path}`));
    const page = await poll('the web pod answers across nodes', () => fetch('/'), (r) => r.code === 0, 60_000, 500);
    assert.equal(page.stdout.trim(), 'hello');
    const seen = await fetch('/cgi-bin/addr');
    assert.equal(seen.code, 0, seen.stderr);
    // busybox httpd listens on IPv6 and prints an IPv4 peer as [::ffff:a.b.c.d].
    const peer = seen.stdout.trim().replace(/^\[(?:::ffff:)?(.*)\]$/, '$1');
    assert.equal(peer, client.status.podIP, 'pod-to-pod traffic is not masqueraded');
  });

  test('a pod reaching outside the cluster CIDR arrives as its node\'s address', async () => {
    await cluster.waitForPodRunning('client');
    const r = await poll('the outside listener answers', () => cluster.kubectl(wget(`http://${cluster.gatewayIP}:${outsidePort}/`)),
      (x) => x.code === 0, 30_000, 500);
    assert.equal(r.stdout.trim(), cluster.nodes[1]!.ip);
  });

  test('restarting node-1\'s agent keeps its pod running and reachable across nodes', async () => {
    const before = await cluster.waitForPodRunning('client');
    await cluster.nodes[1]!.restartAgent();
    // The routes were left in place by the stopped agent and are still right after it rejoined.
    assert.ok((await routes(1)).some((r) => r.gateway === cluster.nodes[0]!.ip));
    const web = await cluster.waitForPodRunning('web');
    const r = await poll('the web pod answers after the restart', () => cluster.kubectl(wget(`http://${web.status.podIP}:8080/`)), (x) => x.code === 0, 60_000, 500);
    assert.equal(r.stdout.trim(), 'hello');
    assert.equal((await cluster.waitForPodRunning('client')).status.podIP, before.status.podIP);
  });

  test('routes follow Node objects: a new Node\'s pod CIDR is routed, a deleted Node\'s route removed', async () => {
    const ghostIP = `172.30.${cluster.network.k}.99`;
    const ghost = {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' }, spec: { podCIDR: '10.42.250.0/24', podCIDRs: ['10.42.250.0/24'] },
    };
    await cluster.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(ghost) });
    try {
      // The address comes in the status, as a kubelet reports it.
      await cluster.kubectl.ok(['patch', 'node', 'ghost', '--subresource', 'status', '--type', 'merge', '-p',
        JSON.stringify({ status: { addresses: [{ type: 'InternalIP', address: ghostIP }] } })]);
      for (const i of [0, 1]) {
        await poll(`node-${i} routes to ghost`, () => routes(i), (r) => r.some((x) => x.dst === '10.42.250.0/24' && x.gateway === ghostIP));
      }
    } finally {
      await cluster.kubectl(['delete', 'node', 'ghost', '--wait=false']);
    }
    for (const i of [0, 1]) {
      await poll(`node-${i} forgets ghost`, () => routes(i), (r) => !r.some((x) => x.dst === '10.42.250.0/24') && r.length === 1);
    }
  });
});
