// The DaemonSet and StatefulSet controllers against a real API server, with the scheduler and
// hollow nodes (2 plain, 1 tainted NoSchedule, a 4th joining later), every role a remote client:
// - a DaemonSet lands on the untainted nodes only (on the tainted one too when it tolerates the
//   taint), each pod pinned by a matchFields node affinity and carrying the default daemon
//   tolerations; a node joining gets its pod; a template change rolls out; `kubectl rollout
//   status ds/…` returns and `rollout undo` brings the first template back;
// - a StatefulSet of 3 comes up in order (web-0 Running and Ready before web-1 exists) with stable
//   names, hostnames and claims; a new image replaces web-2, web-1, web-0 in that order;
//   `kubectl rollout status sts/…` returns; scaling to 1 removes web-2 before web-1;
// - with whenScaled=Delete, the claims of scaled-away ordinals go with their pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, tempDir, type TestServer } from '../support/server.js';
import { kubectl, kubectlAvailable, type Kubectl } from '../support/kubectl.js';
import { Client, Informer, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { ControllerRevision, DaemonSet, KubeObject, Pod, StatefulSet } from '../../src/api/index.js';
import { poll } from '../support/poll.js';
import { PODS } from '../support/resources.js';

const DAEMONSETS = { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true, kind: 'DaemonSet' };
const STATEFULSETS = { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true, kind: 'StatefulSet' };
const REVISIONS = { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true, kind: 'ControllerRevision' };
const PVCS = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true, kind: 'PersistentVolumeClaim' };
const KUBECTL = '1.33';

const isRunningReady = (p: Pod | undefined) => p?.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

describe('DaemonSet and StatefulSet controllers with the scheduler and hollow nodes', () => {
  let server: TestServer;
  let client: Client;
  let k: Kubectl | undefined;
  const clients: Client[] = [];
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  const errors: unknown[] = [];
  const cache = tempDir('capstan-sets-kubectl-');
  /** Pod events in order, as the watch delivered them. */
  const podLog: { type: 'add' | 'update' | 'delete'; pod: Pod; web0Ready: boolean }[] = [];
  let podInformer: Informer;

  const remote = (agent: string) => {
    const c = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: agent }));
    clients.push(c);
    return c;
  };
  const podsOf = async (selector: string) => ((await client.resource(PODS).list('default', { labelSelector: selector })) as KubeList).items as Pod[];
  const livePods = async (selector: string) => (await podsOf(selector)).filter((p) => !p.metadata?.deletionTimestamp);
  const nodesOf = (ps: Pod[]) => ps.map((p) => p.spec?.nodeName ?? '').sort();
  const allRunning = (n: number) => (ps: Pod[]) => ps.length === n && ps.every((p) => isRunningReady(p) && p.spec?.nodeName);

  before(async () => {
    server = await startTestServer();
    client = remote('sets-test');
    if (kubectlAvailable(KUBECTL)) k = kubectl(KUBECTL, server.kubeconfig, cache.path);
    const onError = (e: unknown) => errors.push(e);
    const plain = new HollowNodes(remote('capstan-sim'), { count: 2, namePrefix: 'node-', cpu: '4', memory: '8Gi', pods: '110', onError });
    const tainted = new HollowNodes(remote('capstan-sim-tainted'), {
      count: 1, namePrefix: 'tainted-', cpu: '4', memory: '8Gi', pods: '110', onError, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }],
    });
    running.push(plain.start(stop.signal), tainted.start(stop.signal));
    running.push(new SchedulerRole({ client: remote('kube-scheduler'), onError }).start(stop.signal));
    running.push(new ControllerManager({ client: remote('kube-controller-manager'), onError }).start(stop.signal));
    podInformer = new Informer(remote('sets-test-watch').resource(PODS), { onError });
    podInformer.addEventHandler({
      onAdd: (p) => podLog.push({ type: 'add', pod: p as Pod, web0Ready: isRunningReady(podInformer.store.getByName('default', 'web-0') as Pod | undefined) }),
      onUpdate: (_o, p) => podLog.push({ type: 'update', pod: p as Pod, web0Ready: false }),
      onDelete: (p) => podLog.push({ type: 'delete', pod: p as Pod, web0Ready: false }),
    });
    running.push(podInformer.start(stop.signal));
    await Promise.all([plain.whenRegistered(), tainted.whenRegistered()]);
  });

  after(async () => {
    stop.abort();
    await Promise.allSettled(running);
    for (const c of clients) c.close();
    await server?.stop();
    cache.remove();
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(errors);
  });

  test('a DaemonSet runs on every untainted node, on tainted ones when tolerated, and on a node that joins', async () => {
    const daemonSet = (name: string, tolerations: object[] = []) => ({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { tolerations, containers: [{ name: 'agent', image: 'agent:1', resources: { requests: { cpu: '10m' } } }] } },
      },
    }) as KubeObject;
    await client.resource(DAEMONSETS).create('default', daemonSet('agent'));
    await client.resource(DAEMONSETS).create('default', daemonSet('infra-agent', [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }]));

    const agents = await poll('agent pods Running on the 2 untainted nodes', () => livePods('app=agent'), allRunning(2));
    assert.deepEqual(nodesOf(agents), ['node-0', 'node-1']);
    const infra = await poll('infra-agent pods Running on all 3 nodes', () => livePods('app=infra-agent'), allRunning(3));
    assert.deepEqual(nodesOf(infra), ['node-0', 'node-1', 'tainted-0']);

    const ds = await client.resource(DAEMONSETS).get('default', 'agent') as DaemonSet;
    const [rev, ...moreRevs] = ((await client.resource(REVISIONS).list('default', { labelSelector: 'app=agent' })) as KubeList).items as ControllerRevision[];
    assert.equal(moreRevs.length, 0);
    const hash = rev!.metadata?.labels?.['controller-revision-hash'];
    assert.equal(rev!.metadata?.name, `agent-${hash}`);
    assert.equal(rev!.revision, 1);
    assert.deepEqual(rev!.metadata?.ownerReferences?.map((r) => [r.kind, r.uid, r.controller]), [['DaemonSet', ds.metadata?.uid, true]]);
    for (const p of agents) {
      assert.match(p.metadata?.name ?? '', /^agent-[a-z0-9]{5}$/);
      assert.equal(p.metadata?.labels?.['controller-revision-hash'], hash);
      assert.deepEqual(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
        { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName] }] }] });
      const keys = (p.spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
      for (const t of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']) assert.ok(keys.includes(t), t);
      assert.deepEqual(p.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.controller]), [['DaemonSet', 'agent', true]]);
    }
    const status = (await poll('agent status 2/2/2', async () => (await client.resource(DAEMONSETS).get('default', 'agent') as DaemonSet),
      (d) => d.status?.numberAvailable === 2 && d.status.observedGeneration === d.metadata?.generation)).status;
    assert.deepEqual([status?.desiredNumberScheduled, status?.currentNumberScheduled, status?.numberReady, status?.updatedNumberScheduled, status?.numberMisscheduled],
      [2, 2, 2, 2, 0]);
    if (k) assert.match(await k.ok(['rollout', 'status', 'ds/agent', '--timeout=60s']), /daemon set "agent" successfully rolled out/);

    // A 4th node joins: both DaemonSets put a pod on it.
    const late = new HollowNodes(remote('capstan-sim-late'), { count: 1, namePrefix: 'late-', cpu: '4', memory: '8Gi', pods: '110', onError: (e) => errors.push(e) });
    running.push(late.start(stop.signal));
    await late.whenRegistered();
    assert.deepEqual(nodesOf(await poll('agent on the new node', () => livePods('app=agent'), allRunning(3))), ['late-0', 'node-0', 'node-1']);
    await poll('infra-agent on the new node', () => livePods('app=infra-agent'), allRunning(4));

    // A new template rolls out node by node (maxUnavailable 1) and a second revision appears.
    await client.resource(DAEMONSETS).patch('default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } });
    if (k) assert.match(await k.ok(['rollout', 'status', 'ds/agent', '--timeout=60s']), /daemon set "agent" successfully rolled out/);
    const updated = await poll('3 agent:2 pods', () => livePods('app=agent'), (ps) => allRunning(3)(ps) && ps.every((p) => p.spec?.containers?.[0]?.image === 'agent:2'));
    assert.deepEqual(nodesOf(updated), ['late-0', 'node-0', 'node-1']);
    const revs = ((await client.resource(REVISIONS).list('default', { labelSelector: 'app=agent' })) as KubeList).items as ControllerRevision[];
    assert.deepEqual(revs.map((r) => r.revision).sort(), [1, 2]);
    if (k) {
      assert.match(await k.ok(['rollout', 'history', 'ds/agent']), /^2\s/m);
      // Undo re-applies revision 1's template, which becomes revision 3.
      await k.ok(['rollout', 'undo', 'ds/agent']);
      assert.match(await k.ok(['rollout', 'status', 'ds/agent', '--timeout=60s']), /daemon set "agent" successfully rolled out/);
      await poll('3 agent:1 pods again', () => livePods('app=agent'), (ps) => allRunning(3)(ps) && ps.every((p) => p.spec?.containers?.[0]?.image === 'agent:1'));
      const after = ((await client.resource(REVISIONS).list('default', { labelSelector: 'app=agent' })) as KubeList).items as ControllerRevision[];
      assert.deepEqual(after.map((r) => r.revision).sort(), [2, 3]);
      assert.equal(after.find((r) => r.revision === 3)?.metadata?.name, rev!.metadata?.name, 'the first revision was reused');
    }
  });

  test('a StatefulSet comes up in order with stable names and claims, and scales down from the top', async () => {
    await client.resource(STATEFULSETS).create('default', {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' },
      spec: {
        replicas: 3, serviceName: 'nginx', selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    } as KubeObject);
    const pods = await poll('web-0..2 Running', () => livePods('app=web'), allRunning(3));
    assert.deepEqual(pods.map((p) => p.metadata?.name).sort(), ['web-0', 'web-1', 'web-2']);
    for (const p of pods) {
      assert.equal(p.spec?.hostname, p.metadata?.name);
      assert.equal(p.spec?.subdomain, 'nginx');
      assert.equal(p.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], p.metadata?.name);
      assert.deepEqual(p.spec?.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: `www-${p.metadata?.name}` });
    }
    // Ordered: each pod was created only after its predecessor was Running and Ready.
    const adds = podLog.filter((e) => e.type === 'add' && /^web-\d$/.test(e.pod.metadata?.name ?? ''));
    assert.deepEqual(adds.map((e) => e.pod.metadata?.name), ['web-0', 'web-1', 'web-2']);
    assert.ok(adds[1]!.web0Ready, 'web-0 was Running and Ready when web-1 appeared');
    const web1ReadyAt = podLog.findIndex((e) => e.pod.metadata?.name === 'web-1' && isRunningReady(e.pod));
    assert.ok(web1ReadyAt >= 0 && web1ReadyAt < podLog.indexOf(adds[2]!), 'web-1 was Running and Ready before web-2 appeared');

    const claims = ((await client.resource(PVCS).list('default')) as KubeList).items.map((c) => c.metadata?.name).sort();
    assert.deepEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);
    const sts = await poll('web status 3 ready', async () => (await client.resource(STATEFULSETS).get('default', 'web') as StatefulSet),
      (s) => s.status?.readyReplicas === 3 && s.status.observedGeneration === s.metadata?.generation && s.status.currentRevision === s.status.updateRevision);
    assert.deepEqual([sts.status?.replicas, sts.status?.currentReplicas, sts.status?.availableReplicas], [3, 3, 3]);
    assert.match(sts.status?.currentRevision ?? '', /^web-[a-z0-9]+$/);
    assert.ok(pods.every((p) => p.metadata?.labels?.['controller-revision-hash'] === sts.status?.currentRevision));
    // kubectl reports a RollingUpdate with a (defaulted) partition as partitioned, as on Kubernetes.
    if (k) assert.match(await k.ok(['rollout', 'status', 'sts/web', '--timeout=60s']), /partitioned roll out complete: 3 new pods have been updated/);

    // A new image rolls out in reverse ordinal order, one pod at a time.
    let mark = podLog.length;
    await client.resource(STATEFULSETS).patch('default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } });
    const rolled = await poll('web rolled to nginx:1.26', async () => (await client.resource(STATEFULSETS).get('default', 'web') as StatefulSet),
      (s) => s.status?.readyReplicas === 3 && s.status.updatedReplicas === 3 && s.status.currentRevision === s.status.updateRevision && s.status.updateRevision !== sts.status?.updateRevision);
    if (k) assert.match(await k.ok(['rollout', 'status', 'sts/web', '--timeout=60s']), /partitioned roll out complete: 3 new pods have been updated/);
    const updated = await livePods('app=web');
    assert.ok(updated.every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.26' && p.metadata?.labels?.['controller-revision-hash'] === rolled.status?.updateRevision));
    const replaced = [...new Set(podLog.slice(mark).filter((e) => e.type === 'delete' || e.pod.metadata?.deletionTimestamp).map((e) => e.pod.metadata?.name))];
    assert.deepEqual(replaced, ['web-2', 'web-1', 'web-0']);

    // Scale to 1: web-2 goes before web-1; the claims stay (retention policy Retain).
    mark = podLog.length;
    await client.resource(STATEFULSETS).patch('default', 'web', 'merge', { spec: { replicas: 1 } });
    await poll('only web-0 left', async () => (await podsOf('app=web')).map((p) => p.metadata?.name), (names) => names.length === 1 && names[0] === 'web-0');
    const goneOrder = [...new Set(podLog.slice(mark).filter((e) => e.type === 'delete' || e.pod.metadata?.deletionTimestamp).map((e) => e.pod.metadata?.name))];
    assert.deepEqual(goneOrder, ['web-2', 'web-1']);
    assert.equal(((await client.resource(PVCS).list('default')) as KubeList).items.length, 3);
    await poll('web status 1', async () => (await client.resource(STATEFULSETS).get('default', 'web') as StatefulSet).status, (s) => s?.replicas === 1 && s.readyReplicas === 1);
  });

  test('Parallel pods and whenScaled=Delete: scaling down removes the claims of the removed ordinals', async () => {
    await client.resource(STATEFULSETS).create('default', {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: {
        replicas: 3, serviceName: 'db', podManagementPolicy: 'Parallel', selector: { matchLabels: { app: 'db' } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    } as KubeObject);
    await poll('db-0..2 Running', () => livePods('app=db'), allRunning(3));
    const dataClaims = async () => ((await client.resource(PVCS).list('default', { labelSelector: 'app=db' })) as KubeList).items.map((c) => c.metadata?.name).sort();
    assert.deepEqual(await dataClaims(), ['data-db-0', 'data-db-1', 'data-db-2']);
    await client.resource(STATEFULSETS).patch('default', 'db', 'merge', { spec: { replicas: 1 } });
    await poll('only db-0 left', async () => (await podsOf('app=db')).map((p) => p.metadata?.name), (names) => names.length === 1 && names[0] === 'db-0');
    await poll('claims of db-1 and db-2 gone', dataClaims, (names) => names.length === 1 && names[0] === 'data-db-0');
  });
});
