// Acceptance: garbage collection and namespace deletion as a Kubernetes user sees them, with the
// real kubectl against `capstan server` (which runs the controller manager) and 3 hollow nodes:
// `kubectl delete deployment` removes its ReplicaSets and pods (background); `--cascade=orphan`
// leaves them with the ownerReferences removed; `--cascade=foreground` deletes the dependents
// before the Deployment disappears; deleting a namespace empties it, then removes it.
// And, in process: dependents of owners deleted while no collector ran are collected when one
// starts (level-triggered from the informers' initial lists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnServer, startTestServer, tempDir } from '../support/server.js';
import { kubectl, kubectlAvailable, type Kubectl } from '../support/kubectl.js';
import { Client, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { KubeObject } from '../../src/api/index.js';
import { poll } from '../support/poll.js';
import { NAMESPACES } from '../support/resources.js';

const VERSION = '1.33';

interface Obj { metadata: { name: string; uid: string; deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: { uid: string; kind: string }[] }; status?: { phase?: string } }
interface List { items: Obj[] }

const list = async (k: Kubectl, what: string, selector: string, ns = 'default') => (JSON.parse(await k.ok(['get', what, '-n', ns, '-l', selector, '-o', 'json'])) as List).items;

async function createRunning(k: Kubectl, name: string, ns = 'default'): Promise<void> {
  await k.ok(['create', 'deployment', name, '-n', ns, '--image=nginx', '--replicas=2']);
  await poll(`2 ${name} pods Running`, () => list(k, 'pods', `app=${name}`, ns), (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'));
}

test('kubectl delete cascades (background, orphan, foreground) and namespace deletion', { timeout: 180_000, skip: !kubectlAvailable(VERSION) && `kubectl ${VERSION} not installed` }, async () => {
  const dir = tempDir('capstan-gc-');
  const cache = tempDir('capstan-gc-cache-');
  const server = await spawnServer(dir.path);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'capstan-sim' }));
  const stop = new AbortController();
  const sim = new HollowNodes(client, { count: 3, cpu: '4', memory: '8Gi', pods: '110' });
  const simDone = sim.start(stop.signal);
  try {
    await sim.whenRegistered();
    const k = kubectl(VERSION, server.kubeconfig, cache.path);
    await k.ok(['create', 'namespace', 'doomed']);
    await Promise.all([createRunning(k, 'bg'), createRunning(k, 'orphaned'), createRunning(k, 'fg'), createRunning(k, 'inside', 'doomed')]);
    await k.ok(['create', 'configmap', 'settings', '-n', 'doomed', '--from-literal=a=b']);

    // Namespace deletion runs alongside: it waits for pods to terminate.
    assert.match(await k.ok(['delete', 'namespace', 'doomed', '--wait=false']), /namespace "doomed" deleted/);

    // Background (kubectl's default): the Deployment goes at once, the collector removes the rest.
    assert.match(await k.ok(['delete', 'deployment', 'bg']), /deployment.apps "bg" deleted/);
    await poll('bg ReplicaSets and pods gone', async () => [...await list(k, 'rs', 'app=bg'), ...await list(k, 'pods', 'app=bg')], (l) => l.length === 0);

    // Orphan: the ReplicaSet and pods stay; the ReplicaSet no longer names the Deployment.
    const orphanRS = await list(k, 'rs', 'app=orphaned');
    assert.equal(orphanRS.length, 1);
    assert.match(await k.ok(['delete', 'deployment', 'orphaned', '--cascade=orphan']), /deployment.apps "orphaned" deleted/);
    assert.equal((await k(['get', 'deployment', 'orphaned'])).code, 1, 'the Deployment is gone once kubectl returns');
    const rs = await poll('orphaned ReplicaSet released', () => list(k, 'rs', 'app=orphaned'), (l) => l.length === 1 && !l[0]!.metadata.ownerReferences?.length);
    assert.equal(rs[0]!.metadata.uid, orphanRS[0]!.metadata.uid, 'the same ReplicaSet');
    const orphanPods = await list(k, 'pods', 'app=orphaned');
    assert.equal(orphanPods.length, 2);
    assert.ok(orphanPods.every((p) => !p.metadata.deletionTimestamp && p.metadata.ownerReferences?.[0]?.uid === rs[0]!.metadata.uid), 'pods untouched, still owned by the ReplicaSet');

    // Foreground: kubectl waits for the Deployment to disappear, which happens only after its
    // ReplicaSet and pods (blockOwnerDeletion) are gone.
    const watcher = k.spawn(['get', 'deployment', 'fg', '-o', 'jsonpath={.metadata.finalizers}{"\\n"}', '--watch']);
    let watched = '';
    watcher.stdout!.setEncoding('utf8').on('data', (d: string) => { watched += d; });
    try {
      assert.match(await k.ok(['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=60s']), /deployment.apps "fg" deleted/);
      assert.deepEqual(await list(k, 'pods', 'app=fg'), [], 'no pod outlives the Deployment');
      assert.deepEqual(await list(k, 'rs', 'app=fg'), [], 'no ReplicaSet outlives the Deployment');
      await poll('the watch saw the foregroundDeletion finalizer', async () => watched, (w) => w.includes('foregroundDeletion'));
    } finally {
      watcher.kill();
    }
    assert.equal((await k(['get', 'deployment', 'fg'])).code, 1);

    // The namespace: emptied, then removed.
    await poll('namespace doomed gone', () => k(['get', 'namespace', 'doomed']), (r) => r.code !== 0 && /NotFound|not found/.test(r.stderr));
    const left = (JSON.parse(await k.ok(['get', 'pods,rs,deployments,configmaps', '-n', 'doomed', '-o', 'json'])) as List).items;
    assert.deepEqual(left, []);
  } finally {
    stop.abort();
    await simDone;
    client.close();
    const code = await server.terminate();
    dir.remove();
    cache.remove();
    assert.equal(code, 0, `clean shutdown on SIGTERM:\n${server.logs()}`);
  }
});

const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true, kind: 'ConfigMap' };

test('dependents of owners deleted while no collector ran are collected when it starts', { timeout: 90_000 }, async () => {
  const server = await startTestServer();
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'gc-test' }));
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  try {
    const cms = client.resource(CONFIGMAPS);
    const cm = (name: string, owners: KubeObject[] = []) => cms.create('default', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name, ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata!.name!, uid: o.metadata!.uid! })) },
    } as KubeObject);
    const gone = await cm('gone');
    const kept = await cm('kept');
    await cm('only-gone', [gone]);
    await cm('both', [gone, kept]);
    await cm('only-kept', [kept]);
    await cms.delete('default', 'gone');

    // The API server records propagation policies as finalizers; the deprecated
    // orphanDependents: false withdraws an Orphan request, as Background does.
    await cm('held');
    const held = await cms.delete('default', 'held', { propagationPolicy: 'Orphan' }) as KubeObject;
    assert.deepEqual(held.metadata?.finalizers, ['orphan']);
    await client.requestJSON('DELETE', cms.path('default', 'held'), { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false });
    await assert.rejects(cms.get('default', 'held'), /not found/);

    running = new ControllerManager({ client, controllers: ['garbage-collector'], leaderElect: false }).start(stop.signal);
    const names = async () => ((await cms.list('default')) as KubeList).items.map((o) => o.metadata!.name!).filter((n) => n !== 'kube-root-ca.crt').sort();
    await poll('only-gone collected', names, (l) => !l.includes('only-gone'));
    const both = await poll('both loses its dangling reference', () => cms.get('default', 'both'), (o) => o.metadata?.ownerReferences?.length === 1);
    assert.equal(both.metadata?.ownerReferences?.[0]?.uid, kept.metadata?.uid);
    assert.deepEqual(await names(), ['both', 'kept', 'only-kept']);
  } finally {
    stop.abort();
    await running;
    client.close();
    await server.stop();
  }
});

test('a namespace whose content is held by a finalizer stays Terminating with the upstream conditions', { timeout: 90_000 }, async () => {
  const server = await startTestServer();
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'namespace-test' }));
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  try {
    const nss = client.resource(NAMESPACES);
    const cms = client.resource(CONFIGMAPS);
    await nss.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' } } as KubeObject);
    await cms.create('held', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pinned', finalizers: ['example.com/hold'] } } as KubeObject);
    await cms.create('held', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } } as KubeObject);
    running = new ControllerManager({ client, controllers: ['namespace'], leaderElect: false }).start(stop.signal);
    await nss.delete('', 'held');

    type Cond = { type: string; status: string; reason: string; message: string };
    const conditions = async () => ((await nss.get('', 'held')).status as { conditions?: Cond[] } | undefined)?.conditions ?? [];
    const conds = await poll('content conditions', conditions, (l) => l.some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True'));
    const byType = new Map(conds.map((c) => [c.type, c]));
    assert.deepEqual(byType.get('NamespaceContentRemaining'), { ...byType.get('NamespaceContentRemaining'), status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances' });
    assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeleted');
    const ns = await nss.get('', 'held');
    assert.equal((ns.status as { phase?: string }).phase, 'Terminating');
    assert.deepEqual((ns.spec as { finalizers?: string[] }).finalizers, ['kubernetes']);
    assert.deepEqual(((await cms.list('held')) as KubeList).items.map((o) => o.metadata?.name), ['pinned']);

    // The finalizer's owner lets go: the namespace empties and goes.
    await cms.patch('held', 'pinned', 'merge', { metadata: { finalizers: null } });
    await poll('namespace held gone', async () => nss.get('', 'held').then(() => 'present', (e: Error) => e.message), (m) => /not found/.test(m));
  } finally {
    stop.abort();
    await running;
    client.close();
    await server.stop();
  }
});
