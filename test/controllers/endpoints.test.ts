// The endpoint, endpointslice, endpointslicemirroring and serviceaccount controllers against a
// real API server, with the scheduler and 3 hollow nodes running a Deployment's pods, every role a
// remote HTTPS client: a Service selecting the pods gets Endpoints and EndpointSlices with their
// IPs and the resolved named port; pods whose readiness changes move between addresses and
// notReadyAddresses (and their slice conditions); 250 pods make 3 slices of at most 100; a
// selector-less Service's manual Endpoints are mirrored; a new namespace gets its `default`
// ServiceAccount back even after deleting it; the real kubectl 1.33 lists endpoints and slices.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { kubectl, kubectlAvailable } from '../support/kubectl.js';
import { Client, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { EndpointSlice, Endpoints, KubeObject, Pod } from '../../src/api/index.js';
import { poll } from '../support/poll.js';
import { PODS, NAMESPACES, DEPLOYMENTS } from '../support/resources.js';

const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const ENDPOINTS = { group: '', version: 'v1', plural: 'endpoints', namespaced: true, kind: 'Endpoints' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };
const SERVICEACCOUNTS = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true, kind: 'ServiceAccount' };
const KUBECTL_VERSION = '1.33';

const sortStrings = (xs: (string | undefined)[]) => xs.map((x) => x ?? '').sort();

describe('endpoints controllers with the scheduler and 3 hollow nodes', { timeout: 240_000 }, () => {
  let server: TestServer;
  const clients: Client[] = [];
  let client: Client;
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  const errors: unknown[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-kubectl-cache-'));

  const remote = (agent: string) => {
    const c = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: agent }));
    clients.push(c);
    return c;
  };
  const webPods = async () => ((await client.resource(PODS).list('default', { labelSelector: 'app=web' })) as KubeList).items as Pod[];
  const endpoints = async (name: string, ns = 'default') => (await client.resource(ENDPOINTS).get(ns, name)) as Endpoints;
  const slices = async (svc: string, ns = 'default') =>
    ((await client.resource(SLICES).list(ns, { labelSelector: `kubernetes.io/service-name=${svc}` })) as KubeList).items as EndpointSlice[];
  const readyIPs = (ep: Endpoints) => sortStrings((ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)));
  const notReadyIPs = (ep: Endpoints) => sortStrings((ep.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip)));
  const sliceIPs = (ss: EndpointSlice[], ready?: boolean) => sortStrings(ss.flatMap((s) => (s.endpoints ?? [])
    .filter((e) => ready === undefined || e.conditions?.ready === ready).flatMap((e) => e.addresses ?? [])));

  before(async () => {
    server = await startTestServer();
    client = remote('endpoints-test');
    const sim = new HollowNodes(remote('capstan-sim'), { count: 3, cpu: '40', memory: '80Gi', pods: '110', onError: (e) => errors.push(e) });
    running.push(sim.start(stop.signal));
    running.push(new SchedulerRole({ client: remote('kube-scheduler'), onError: (e) => errors.push(e) }).start(stop.signal));
    // Pods bound to a node that does not exist stand in for pods whose readiness the test sets:
    // leave out the controllers that would clean them up (podgc, node lifecycle).
    running.push(new ControllerManager({
      client: remote('kube-controller-manager'), onError: (e) => errors.push(e),
      controllers: ['replicaset', 'deployment', 'endpoint', 'endpointslice', 'endpointslicemirroring', 'serviceaccount'],
    }).start(stop.signal));
    await sim.whenRegistered();
  });

  after(async () => {
    stop.abort();
    await Promise.allSettled(running);
    for (const c of clients) c.close();
    await server?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(errors);
  });

  test('a Service selecting a Deployment\'s pods gets Endpoints and an EndpointSlice with their IPs and the named port', async () => {
    await client.resource(DEPLOYMENTS).create('default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '10m' } } }] },
        },
      },
    } as KubeObject);
    await client.resource(SERVICES).create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
    } as KubeObject);
    const pods = await poll('3 web pods Running with IPs', webPods, (ps) => ps.length === 3 && ps.every((p) => p.status?.phase === 'Running' && !!p.status.podIP));
    const ips = sortStrings(pods.map((p) => p.status?.podIP));
    const ep = await poll('Endpoints web with the 3 pod IPs', () => endpoints('web'), (e) => JSON.stringify(readyIPs(e)) === JSON.stringify(ips));
    assert.equal(ep.subsets?.length, 1);
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    const addr = ep.subsets![0]!.addresses![0]!;
    const owner = pods.find((p) => p.status?.podIP === addr.ip)!;
    assert.equal(addr.nodeName, owner.spec?.nodeName);
    assert.deepEqual({ kind: addr.targetRef?.kind, name: addr.targetRef?.name, uid: addr.targetRef?.uid }, { kind: 'Pod', name: owner.metadata?.name, uid: owner.metadata?.uid });
    assert.equal(ep.metadata?.labels?.tier, 'front');
    assert.equal(ep.metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'], 'true');
    assert.match(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const ss = await poll('one EndpointSlice with the 3 ready endpoints', () => slices('web'), (s) => s.length === 1 && JSON.stringify(sliceIPs(s, true)) === JSON.stringify(ips));
    const slice = ss[0]!;
    assert.equal(slice.addressType, 'IPv4');
    assert.match(slice.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
    assert.equal(slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice.metadata?.labels?.tier, 'front');
    assert.deepEqual(slice.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(slice.endpoints?.[0]?.conditions, { ready: true, serving: true, terminating: false });
    const svc = await client.resource(SERVICES).get('default', 'web');
    assert.deepEqual(slice.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['Service', 'web', svc.metadata?.uid, true]]);
    // Not mirrored: the endpoints controller's Endpoints carry skip-mirror.
    assert.equal(ss.filter((s) => s.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'] !== 'endpointslice-controller.k8s.io').length, 0);
  });

  test('readiness changes move addresses between addresses and notReadyAddresses', async () => {
    await client.resource(SERVICES).create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' },
      spec: { selector: { app: 'manual' }, ports: [{ port: 80, targetPort: 9000 }] },
    } as KubeObject);
    const podClient = client.resource(PODS);
    const setReady = async (name: string, ip: string, ready: boolean) => {
      const p = (await podClient.get('default', name)) as Pod;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await podClient.updateStatus('default', {
        ...p, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }] },
      } as KubeObject);
    };
    for (const [name, ip] of [['m1', '10.99.0.1'], ['m2', '10.99.0.2']] as const) {
      // Bound to a node no kubelet serves: only this test writes their status.
      await podClient.create('default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'manual' } },
        spec: { nodeName: 'no-such-node', containers: [{ name: 'c', image: 'busybox' }] },
      } as KubeObject);
      await setReady(name, ip, true);
    }
    await poll('both manual pods ready', () => endpoints('manual'), (e) => JSON.stringify(readyIPs(e)) === '["10.99.0.1","10.99.0.2"]');
    await setReady('m2', '10.99.0.2', false);
    const ep = await poll('m2 not ready', () => endpoints('manual'),
      (e) => JSON.stringify(readyIPs(e)) === '["10.99.0.1"]' && JSON.stringify(notReadyIPs(e)) === '["10.99.0.2"]');
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ port: 9000, protocol: 'TCP' }]);
    await poll('the slice shows m2 not ready and not serving', () => slices('manual'), (ss) => {
      const e = ss.flatMap((s) => s.endpoints ?? []).find((x) => x.addresses?.[0] === '10.99.0.2');
      return ss.length === 1 && e?.conditions?.ready === false && e.conditions.serving === false && sliceIPs(ss, true).join() === '10.99.0.1';
    });
    await setReady('m2', '10.99.0.2', true);
    await poll('m2 ready again', () => endpoints('manual'), (e) => readyIPs(e).length === 2 && notReadyIPs(e).length === 0);
    // A terminating pod leaves Endpoints; its slice endpoint stays, terminating (it has a finalizer-free
    // pod on a node no kubelet serves, so its deletion waits for a grace period the test does not wait out).
    await podClient.delete('default', 'm1', { gracePeriodSeconds: 30 });
    await poll('m1 gone from Endpoints', () => endpoints('manual'), (e) => JSON.stringify(readyIPs(e)) === '["10.99.0.2"]');
    await poll('m1 terminating in the slice', () => slices('manual'), (ss) => {
      const e = ss.flatMap((s) => s.endpoints ?? []).find((x) => x.addresses?.[0] === '10.99.0.1');
      return e === undefined || (e.conditions?.terminating === true && e.conditions.ready === false);
    });
  });

  test('250 pods make 3 EndpointSlices of at most 100 endpoints, and the Endpoints list all 250', async () => {
    await client.resource(DEPLOYMENTS).patch('default', 'web', 'merge', { spec: { replicas: 250 } });
    const pods = await poll('250 web pods Running with IPs', webPods, (ps) => ps.length === 250 && ps.every((p) => p.status?.phase === 'Running' && !!p.status.podIP), 120_000);
    const ips = sortStrings(pods.map((p) => p.status?.podIP));
    assert.equal(new Set(ips).size, 250, 'unique pod IPs');
    const ss = await poll('3 slices holding the 250 IPs', () => slices('web'), (s) => s.length === 3 && JSON.stringify(sliceIPs(s, true)) === JSON.stringify(ips), 120_000);
    // Pods arrive in batches, so the split depends on timing (upstream does not rebalance either):
    // what holds is 3 slices, none above 100, no endpoint twice.
    assert.ok(ss.every((s) => (s.endpoints?.length ?? 0) <= 100), JSON.stringify(ss.map((s) => s.endpoints?.length)));
    assert.equal(ss.reduce((n, s) => n + (s.endpoints?.length ?? 0), 0), 250);
    await poll('Endpoints with the 250 IPs', () => endpoints('web'), (e) => JSON.stringify(readyIPs(e)) === JSON.stringify(ips));
  });

  test('a selector-less Service with manual Endpoints is mirrored into an EndpointSlice', async () => {
    await client.resource(SERVICES).create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'external' }, spec: { ports: [{ name: 'pg', port: 5432 }] },
    } as KubeObject);
    await client.resource(ENDPOINTS).create('default', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external', labels: { db: 'main' } },
      subsets: [{ addresses: [{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }], notReadyAddresses: [{ ip: '192.0.2.12' }], ports: [{ name: 'pg', port: 5432 }] }],
    } as KubeObject);
    const ss = await poll('a mirrored slice', () => slices('external'), (s) => s.length === 1 && (s[0]!.endpoints?.length ?? 0) === 3);
    const s = ss[0]!;
    assert.equal(s.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.equal(s.metadata?.labels?.db, 'main');
    assert.deepEqual(s.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
    assert.deepEqual(sliceIPs(ss, true), ['192.0.2.10', '192.0.2.11']);
    assert.deepEqual(sliceIPs(ss, false), ['192.0.2.12']);
    // The Endpoints controller leaves a selector-less Service's Endpoints as written.
    assert.equal((await endpoints('external')).metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'], undefined);
    // Edits follow; deleting the Endpoints removes the mirror.
    const ep = await endpoints('external');
    await client.resource(ENDPOINTS).update('default', { ...ep, subsets: [{ addresses: [{ ip: '192.0.2.20' }], ports: [{ name: 'pg', port: 5432 }] }] } as KubeObject);
    await poll('the mirror follows the edit', () => slices('external'), (x) => JSON.stringify(sliceIPs(x)) === '["192.0.2.20"]');
    await client.resource(ENDPOINTS).delete('default', 'external');
    await poll('the mirror is gone', () => slices('external'), (x) => x.length === 0);
  });

  test('a new namespace gets a default ServiceAccount, re-created after deletion', async () => {
    await client.resource(NAMESPACES).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } as KubeObject);
    const sa = await poll('default ServiceAccount in team-a', () => client.resource(SERVICEACCOUNTS).get('team-a', 'default'), (x) => !!x.metadata?.uid);
    await client.resource(SERVICEACCOUNTS).delete('team-a', 'default');
    await poll('a new default ServiceAccount', () => client.resource(SERVICEACCOUNTS).get('team-a', 'default'), (x) => !!x.metadata?.uid && x.metadata.uid !== sa.metadata?.uid);
    await poll('default ServiceAccount in default', () => client.resource(SERVICEACCOUNTS).get('default', 'default'), (x) => !!x.metadata?.uid);
  });

  test('kubectl get endpoints,endpointslices lists them', { skip: !kubectlAvailable(KUBECTL_VERSION) && `kubectl ${KUBECTL_VERSION} not installed` }, async () => {
    const k = kubectl(KUBECTL_VERSION, server.kubeconfig, cacheDir);
    const out = await k.ok(['get', 'endpoints,endpointslices', '-n', 'default']);
    assert.match(out, /^endpoints\/manual\s+10\.99\.0\.2:9000\s/m);
    assert.match(out, /^endpoints\/web\s+\S+:8080,\S+:8080,\S+:8080 \+ 247 more\.\.\.\s/m);
    assert.match(out, /^endpointslice\.discovery\.k8s\.io\/web-[a-z0-9]{5}\s+IPv4\s+8080\s+\S+/m);
    assert.match(out, /^endpointslice\.discovery\.k8s\.io\/manual-[a-z0-9]{5}\s+IPv4\s+9000\s+10\.99\.0\.1,10\.99\.0\.2\s/m);
  });

  test('deleting a Service deletes its Endpoints', async () => {
    await client.resource(SERVICES).delete('default', 'manual');
    await poll('Endpoints manual gone', async () => (await client.resource(ENDPOINTS).list('default')) as KubeList,
      (l) => !l.items.some((e) => e.metadata?.name === 'manual'));
  });
});
