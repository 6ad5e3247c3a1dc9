// The ReplicaSet and Deployment controllers against a real API server, with the scheduler and 3
// hollow nodes running pods, every role a remote HTTPS client: a Deployment of 6 becomes 6
// Running pods across the nodes with the upstream status counts and conditions; scaling to 2
// deletes 4; a new image rolls out through a new ReplicaSet while the old one goes to 0; a
// deleted pod is replaced.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { Client, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { Deployment, Event, KubeObject, Pod, ReplicaSet } from '../../src/api/index.js';
import { poll } from '../support/poll.js';
import { PODS, EVENTS, LEASES, DEPLOYMENTS, REPLICASETS } from '../support/resources.js';


describe('workload controllers with the scheduler and 3 hollow nodes', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let client: Client;
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  const errors: unknown[] = [];

  const remote = (agent: string) => {
    const c = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: agent }));
    clients.push(c);
    return c;
  };
  const pods = async () => ((await client.resource(PODS).list('default', { labelSelector: 'app=web' })) as KubeList).items as Pod[];
  const livePods = async () => (await pods()).filter((p) => !p.metadata?.deletionTimestamp);
  const replicaSets = async () => ((await client.resource(REPLICASETS).list('default')) as KubeList).items as ReplicaSet[];
  const deployment = async () => (await client.resource(DEPLOYMENTS).get('default', 'web')) as Deployment;
  const running6 = (n: number, image?: string) => (ps: Pod[]) => ps.length === n
    && ps.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName && (!image || p.spec?.containers?.[0]?.image === image));

  before(async () => {
    server = await startTestServer();
    client = remote('workloads-test');
    const sim = new HollowNodes(remote('capstan-sim'), { count: 3, cpu: '4', memory: '8Gi', pods: '110', onError: (e) => errors.push(e) });
    running.push(sim.start(stop.signal));
    running.push(new SchedulerRole({ client: remote('kube-scheduler'), onError: (e) => errors.push(e) }).start(stop.signal));
    running.push(new ControllerManager({ client: remote('kube-controller-manager'), onError: (e) => errors.push(e) }).start(stop.signal));
    await sim.whenRegistered();
  });

  after(async () => {
    stop.abort();
    await Promise.allSettled(running);
    for (const c of clients) c.close();
    await server?.stop();
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(errors);
  });

  test('a Deployment of 6 runs 6 pods across the nodes, with its ReplicaSet and status', async () => {
    await client.resource(DEPLOYMENTS).create('default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 6, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '100m' } } }] } },
      },
    } as KubeObject);
    const ps = await poll('6 web pods Running', pods, running6(6));
    assert.equal(new Set(ps.map((p) => p.spec?.nodeName)).size, 3, 'spread over the 3 nodes');

    const [rs, ...others] = await replicaSets();
    assert.equal(others.length, 0);
    const hash = rs!.metadata?.labels?.['pod-template-hash'];
    assert.ok(hash, 'the ReplicaSet carries pod-template-hash');
    assert.equal(rs!.metadata?.name, `web-${hash}`);
    assert.equal(rs!.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rs!.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    const d0 = await deployment();
    assert.deepEqual(rs!.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller, r.blockOwnerDeletion]), [['Deployment', 'web', d0.metadata?.uid, true, true]]);
    for (const p of ps) {
      assert.match(p.metadata?.name ?? '', new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
      assert.equal(p.metadata?.labels?.['pod-template-hash'], hash);
      assert.deepEqual(p.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.controller, r.blockOwnerDeletion]), [['ReplicaSet', rs!.metadata?.name, true, true]]);
    }

    const rsStatus = await poll('ReplicaSet status 6/6/6', async () => (await client.resource(REPLICASETS).get('default', rs!.metadata!.name!) as ReplicaSet).status,
      (s) => s?.replicas === 6 && s.readyReplicas === 6 && s.availableReplicas === 6);
    assert.equal(rsStatus?.fullyLabeledReplicas, 6);
    const d = await poll('Deployment complete', deployment, (x) => x.status?.availableReplicas === 6
      && x.status.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable') === true);
    assert.equal(d.status?.replicas, 6);
    assert.equal(d.status?.updatedReplicas, 6);
    assert.equal(d.status?.readyReplicas, 6);
    assert.equal(d.status?.unavailableReplicas ?? 0, 0);
    assert.equal(d.status?.observedGeneration, d.metadata?.generation);
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    const available = d.status?.conditions?.find((c) => c.type === 'Available');
    assert.deepEqual([available?.status, available?.reason, available?.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.message, `ReplicaSet "${rs!.metadata?.name}" has successfully progressed.`);

    const events = ((await client.resource(EVENTS).list('default')) as KubeList).items as Event[];
    const creates = events.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject?.name === rs!.metadata?.name);
    assert.equal(creates.length, 6);
    assert.match(creates[0]!.message ?? '', new RegExp(`^Created pod: web-${hash}-`));
    assert.equal(creates[0]!.source?.component, 'replicaset-controller');
    assert.ok(events.some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set ${rs!.metadata?.name} to 6` && e.involvedObject?.kind === 'Deployment'));
    const lease = await client.resource(LEASES).get('kube-system', 'kube-controller-manager') as { spec?: { holderIdentity?: string } };
    assert.ok(lease.spec?.holderIdentity, 'the controller manager holds its Lease');
  });

  test('scaling to 2 deletes 4 pods', async () => {
    const before = new Set((await pods()).map((p) => p.metadata?.name));
    await client.resource(DEPLOYMENTS).patch('default', 'web', 'merge', { spec: { replicas: 2 } });
    const ps = await poll('2 web pods', pods, running6(2));
    for (const p of ps) assert.ok(before.has(p.metadata?.name), 'the survivors are old pods, none created');
    const [rs] = await replicaSets();
    assert.equal(rs!.spec?.replicas, 2);
    await poll('Deployment status 2', deployment, (d) => d.status?.replicas === 2 && d.status.availableReplicas === 2 && d.status.updatedReplicas === 2);
    const events = ((await client.resource(EVENTS).list('default')) as KubeList).items as Event[];
    assert.equal(events.filter((e) => e.reason === 'SuccessfulDelete').length, 4);
    assert.ok(events.some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled down replica set ${rs!.metadata?.name} to 2 from 6`));
  });

  test('a new image rolls out through a new ReplicaSet; the old one goes to 0', async () => {
    const [oldRS] = await replicaSets();
    await client.resource(DEPLOYMENTS).patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } });
    await poll('2 pods of the new image Running', pods, running6(2, 'nginx:1.26'));
    const rss = await poll('2 ReplicaSets, the old at 0', replicaSets, (l) => l.length === 2 && l.some((r) => r.metadata?.uid === oldRS!.metadata?.uid && r.spec?.replicas === 0));
    const newRS = rss.find((r) => r.metadata?.uid !== oldRS!.metadata?.uid)!;
    assert.notEqual(newRS.metadata?.labels?.['pod-template-hash'], oldRS!.metadata?.labels?.['pod-template-hash']);
    assert.equal(newRS.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(newRS.spec?.replicas, 2);
    const d = await poll('Deployment at revision 2, complete', deployment, (x) => x.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2'
      && x.status?.updatedReplicas === 2 && x.status.availableReplicas === 2 && x.status.replicas === 2);
    assert.equal(d.status?.observedGeneration, d.metadata?.generation);
  });

  test('a deleted pod is replaced', async () => {
    const [victim] = await livePods();
    await client.resource(PODS).delete('default', victim!.metadata!.name!);
    const ps = await poll('2 pods again, without the victim', pods, (l) => running6(2)(l) && !l.some((p) => p.metadata?.name === victim!.metadata?.name));
    assert.equal(ps.length, 2);
  });
});
