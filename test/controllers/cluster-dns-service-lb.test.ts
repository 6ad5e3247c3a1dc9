// The cluster-dns and service-lb controllers against a real API server, the controller manager a
// remote HTTPS client, Nodes written by the test (as agents would write them):
// - kube-system/kube-dns is created with its static IP 10.43.0.10, dns/dns-tcp on 53, no selector,
//   internalTrafficPolicy Local, and created again after a delete;
// - its slice kube-dns-nodes follows the Nodes labelled node.capstan.dev/cluster-dns=true and their
//   readiness, is not rewritten by node heartbeats, and the endpointslice controller (running too)
//   leaves it alone;
// - a LoadBalancer Service's status.loadBalancer.ingress lists the Ready, schedulable nodes'
//   InternalIPs (ipMode VIP), follows readiness and cordoning, is cleared when the Service stops
//   being a LoadBalancer, and a Service with a loadBalancerClass is left alone;
// - the real kubectl 1.33 shows the ingress as EXTERNAL-IP and kube-dns with 10.43.0.10;
// - a --cluster-dns the API server refuses is reported as a Warning event, retried without hot-looping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { Client, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { EndpointSlice, Event, KubeObject, Node, Service } from '../../src/api/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from '../support/poll.js';
import { kubectl, kubectlAvailable } from '../support/kubectl.js';
import { EVENTS, NODES } from '../support/resources.js';

const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };
const DNS_LABEL = 'node.capstan.dev/cluster-dns';

describe('cluster-dns and service-lb controllers', { timeout: 180_000 }, () => {
  let server: TestServer;
  let client: Client;
  let cmClient: Client;
  const stop = new AbortController();
  let manager: Promise<void> | undefined;
  const errors: unknown[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-kubectl-cache-'));

  const kubeDNS = async () => (await client.resource(SERVICES).get('kube-system', 'kube-dns')) as Service;
  const dnsSlices = async () => ((await client.resource(SLICES).list('kube-system', { labelSelector: 'kubernetes.io/service-name=kube-dns' })) as KubeList).items as EndpointSlice[];
  const dnsSlice = async () => (await client.resource(SLICES).get('kube-system', 'kube-dns-nodes')) as EndpointSlice;
  const endpointsOf = (s: EndpointSlice) => (s.endpoints ?? []).map((e) => `${e.nodeName}=${e.addresses?.join(',')}:${e.conditions?.ready ? 'ready' : 'notready'}`);
  const service = async (name: string) => (await client.resource(SERVICES).get('default', name)) as Service;
  const ingressOf = (s: Service) => (s.status?.loadBalancer?.ingress ?? []).map((i) => `${i.ip}/${i.ipMode}`);

  const node = async (name: string) => (await client.resource(NODES).get('', name)) as Node;
  /** Creates (or replaces the status of) a Node as its agent would. */
  async function putNode(name: string, ip: string, opts: { ready?: boolean; labels?: Record<string, string> } = {}): Promise<void> {
    await client.resource(NODES).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: opts.labels ?? {} } } as KubeObject);
    await setReady(name, opts.ready ?? true, ip);
  }
  async function setReady(name: string, ready: boolean, ip?: string, heartbeat = new Date().toISOString()): Promise<void> {
    const n = await node(name);
    const addresses = ip ? [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] : n.status?.addresses;
    const now = new Date().toISOString();
    await client.resource(NODES).updateStatus('', {
      ...n, status: {
        ...n.status, addresses,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'KubeletReady' : 'KubeletNotReady', lastHeartbeatTime: heartbeat, lastTransitionTime: now }],
      },
    } as KubeObject);
  }
  async function patchNode(name: string, patch: object): Promise<void> {
    await client.resource(NODES).patch('', name, 'merge', patch);
  }

  before(async () => {
    server = await startTestServer();
    client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'cluster-dns-test' }));
    cmClient = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'kube-controller-manager' }));
    // The endpointslice controller runs too, to show it leaves the DNS slice alone; the garbage
    // collector removes the slice of a deleted kube-dns (the controller must cope either way).
    manager = new ControllerManager({
      client: cmClient, leaderElect: false, onError: (e) => errors.push(e),
      controllers: ['cluster-dns', 'service-lb', 'endpointslice', 'garbage-collector'],
    }).start(stop.signal);
  });

  after(async () => {
    stop.abort();
    await manager;
    client?.close();
    cmClient?.close();
    await server?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(errors);
  });

  test('kube-dns exists with its static IP and DNS ports, and an empty slice before any DNS node', async () => {
    const svc = await poll('the kube-dns Service', kubeDNS, (s) => !!s.metadata?.uid);
    assert.equal(svc.spec?.clusterIP, '10.43.0.10');
    assert.deepEqual(svc.spec?.clusterIPs, ['10.43.0.10']);
    assert.equal(svc.spec?.type, 'ClusterIP');
    assert.equal(svc.spec?.internalTrafficPolicy, 'Local');
    assert.equal(svc.spec?.selector, undefined);
    assert.deepEqual(svc.spec?.ports?.map((p) => `${p.name}:${p.port}/${p.protocol}->${p.targetPort}`), ['dns:53/UDP->53', 'dns-tcp:53/TCP->53']);
    assert.equal(svc.metadata?.labels?.['k8s-app'], 'kube-dns');
    const slice = await poll('the kube-dns-nodes slice', dnsSlice, (s) => !!s.metadata?.uid);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.endpoints ?? [], []);
    assert.equal(slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'cluster-dns.capstan.dev');
    assert.deepEqual(slice.ports, [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    assert.deepEqual(slice.metadata?.ownerReferences?.map((r) => `${r.kind}/${r.name}/${r.uid}/${r.controller}`), [`Service/kube-dns/${svc.metadata?.uid}/true`]);
  });

  test('the slice follows the labelled nodes and their readiness; heartbeats do not rewrite it', async () => {
    await putNode('dns-b', '10.0.0.2', { ready: false, labels: { [DNS_LABEL]: 'true' } });
    await putNode('dns-a', '10.0.0.1', { labels: { [DNS_LABEL]: 'true' } });
    await putNode('plain', '10.0.0.3');
    await poll('two DNS endpoints', dnsSlice, (s) => endpointsOf(s).join(' ') === 'dns-a=10.0.0.1:ready dns-b=10.0.0.2:notready');

    await setReady('dns-b', true);
    await poll('dns-b ready', dnsSlice, (s) => endpointsOf(s).join(' ') === 'dns-a=10.0.0.1:ready dns-b=10.0.0.2:ready');
    const settled = await dnsSlice();
    // A heartbeat (same readiness, new timestamp) is no reason to write.
    await setReady('dns-a', true, undefined, new Date(Date.now() + 1000).toISOString());
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await dnsSlice()).metadata?.resourceVersion, settled.metadata?.resourceVersion, 'slice not rewritten');

    await patchNode('dns-a', { metadata: { labels: { [DNS_LABEL]: null } } });
    await poll('dns-a left', dnsSlice, (s) => endpointsOf(s).join(' ') === 'dns-b=10.0.0.2:ready');
    await patchNode('plain', { metadata: { labels: { [DNS_LABEL]: 'true' } } });
    await poll('plain joined', dnsSlice, (s) => endpointsOf(s).join(' ') === 'dns-b=10.0.0.2:ready plain=10.0.0.3:ready');
    await client.resource(NODES).delete('', 'dns-b');
    await poll('dns-b deleted', dnsSlice, (s) => endpointsOf(s).join(' ') === 'plain=10.0.0.3:ready');
    // Only our slice exists for kube-dns: the endpointslice controller did not add one.
    assert.deepEqual((await dnsSlices()).map((s) => s.metadata?.name), ['kube-dns-nodes']);
  });

  test('a deleted kube-dns comes back with the same IP; the slice points at the new Service', async () => {
    const old = await kubeDNS();
    await client.resource(SERVICES).delete('kube-system', 'kube-dns');
    const svc = await poll('kube-dns recreated', kubeDNS, (s) => !!s.metadata?.uid && s.metadata.uid !== old.metadata?.uid);
    assert.equal(svc.spec?.clusterIP, '10.43.0.10');
    await poll('the slice owned by the new Service, still with its endpoint', dnsSlice,
      (s) => s.metadata?.ownerReferences?.[0]?.uid === svc.metadata?.uid && endpointsOf(s).join(' ') === 'plain=10.0.0.3:ready');
    // Deleting the slice alone brings it back too.
    const slice = await dnsSlice();
    await client.resource(SLICES).delete('kube-system', 'kube-dns-nodes');
    await poll('slice recreated', dnsSlice, (s) => s.metadata?.uid !== slice.metadata?.uid && endpointsOf(s).length === 1);
    for (const n of ['dns-a', 'plain']) await client.resource(NODES).delete('', n);
    await poll('no DNS endpoints left', dnsSlice, (s) => endpointsOf(s).length === 0);
  });

  test('LoadBalancer ingress: Ready schedulable nodes\' InternalIPs, following readiness and cordoning', async () => {
    await putNode('lb-2', '10.0.1.10');
    await putNode('lb-1', '10.0.1.9');
    await client.resource(SERVICES).create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    } as KubeObject);
    await poll('ingress on both nodes', () => service('web'), (s) => ingressOf(s).join(' ') === '10.0.1.9/VIP 10.0.1.10/VIP');

    await setReady('lb-1', false);
    await poll('lb-1 not ready: out', () => service('web'), (s) => ingressOf(s).join(' ') === '10.0.1.10/VIP');
    await patchNode('lb-2', { spec: { unschedulable: true } });
    await poll('lb-2 cordoned: no ingress', () => service('web'), (s) => ingressOf(s).length === 0);
    await setReady('lb-1', true);
    await patchNode('lb-2', { spec: { unschedulable: null } });
    await poll('both back', () => service('web'), (s) => ingressOf(s).join(' ') === '10.0.1.9/VIP 10.0.1.10/VIP');
    await patchNode('lb-1', { metadata: { labels: { 'node.capstan.dev/service-lb': 'false' } } });
    await poll('lb-1 opted out', () => service('web'), (s) => ingressOf(s).join(' ') === '10.0.1.10/VIP');
    await patchNode('lb-1', { metadata: { labels: { 'node.capstan.dev/service-lb': null } } });
    await poll('lb-1 back in', () => service('web'), (s) => ingressOf(s).length === 2);

    if (kubectlAvailable('1.33')) {
      const k = kubectl('1.33', server.kubeconfig, cacheDir);
      assert.match(await k.ok(['get', 'svc', 'web', '--no-headers']), /^web\s+LoadBalancer\s+10\.43\.\d+\.\d+\s+10\.0\.1\.9,10\.0\.1\.10\s+80:3\d{4}\/TCP\s/);
      assert.match(await k.ok(['-n', 'kube-system', 'get', 'svc', 'kube-dns', '--no-headers']), /^kube-dns\s+ClusterIP\s+10\.43\.0\.10\s+<none>\s+53\/UDP,53\/TCP\s/);
    }
    const events = ((await client.resource(EVENTS).list('default')) as KubeList).items as Event[];
    assert.ok(events.some((e) => e.reason === 'UpdatedIngressIP' && e.involvedObject?.name === 'web'), 'UpdatedIngressIP event recorded');
  });

  test('a Service that stops being a LoadBalancer loses its ingress; a loadBalancerClass is left alone', async () => {
    const web = await service('web');
    await client.resource(SERVICES).update('default', { ...web, spec: { ...web.spec, type: 'ClusterIP', ports: web.spec?.ports?.map(({ nodePort: _np, ...p }) => p) } } as KubeObject);
    await poll('ingress cleared', () => service('web'), (s) => s.spec?.type === 'ClusterIP' && ingressOf(s).length === 0);
    // Back to LoadBalancer: the controller fills it in again.
    const cur = await service('web');
    await client.resource(SERVICES).update('default', { ...cur, spec: { ...cur.spec, type: 'LoadBalancer' } } as KubeObject);
    await poll('ingress again', () => service('web'), (s) => ingressOf(s).length === 2);

    await client.resource(SERVICES).create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'other-lb' },
      spec: { type: 'LoadBalancer', loadBalancerClass: 'example.com/other', selector: { app: 'web' }, ports: [{ port: 81 }] },
    } as KubeObject);
    // A node change wakes every LoadBalancer Service; the classed one must still stay untouched.
    await setReady('lb-1', false);
    await poll('web follows lb-1', () => service('web'), (s) => ingressOf(s).join(' ') === '10.0.1.10/VIP');
    assert.deepEqual(ingressOf(await service('other-lb')), []);
  });
});

describe('cluster-dns with a --cluster-dns outside the service CIDR', { timeout: 60_000 }, () => {
  test('the refused Service is reported as a Warning event, and the controller keeps running', async () => {
    const server = await startTestServer();
    const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'cluster-dns-test' }));
    const cmClient = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'kube-controller-manager' }));
    const stop = new AbortController();
    const errors: unknown[] = [];
    const manager = new ControllerManager({
      client: cmClient, leaderElect: false, onError: (e) => errors.push(e), controllers: ['cluster-dns'], config: { clusterDNS: '10.99.0.10' },
    }).start(stop.signal);
    try {
      const events = await poll('a FailedToCreateClusterDNSService event',
        async () => ((await client.resource(EVENTS).list('default')) as KubeList).items as Event[],
        (es) => es.some((e) => e.reason === 'FailedToCreateClusterDNSService' && e.type === 'Warning'));
      const event = events.find((e) => e.reason === 'FailedToCreateClusterDNSService')!;
      assert.match(event.message ?? '', /kube-system\/kube-dns with clusterIP 10\.99\.0\.10/);
      await assert.rejects(client.resource(SERVICES).get('kube-system', 'kube-dns'), /not found/);
      assert.ok(errors.length >= 1 && errors.length <= 2, `one refusal, retried after 30 s, not hot-looping: ${errors.length}`);
    } finally {
      stop.abort();
      await manager;
      client.close();
      cmClient.close();
      await server.stop();
    }
  });
});
