// Rollouts step by step, with hollow nodes whose pods take a moment to start: a RollingUpdate
// with maxSurge 1 / maxUnavailable 0 never has more than replicas + 1 pods wanted nor fewer than
// `replicas` available; a Recreate rollout never runs old and new pods at the same time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { Client, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../src/api/index.js';
import { PODS, DEPLOYMENTS, REPLICASETS } from '../support/resources.js';

const DEADLINE_MS = 60_000;

function deployment(name: string, replicas: number, strategy: object, image = 'app:1'): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, strategy, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } } },
  } as KubeObject;
}

describe('rollouts with pods that take time to start', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let client: Client;
  const stop = new AbortController();
  const running: Promise<void>[] = [];

  const remote = (agent: string) => {
    const c = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: agent }));
    clients.push(c);
    return c;
  };
  const rsOf = async (app: string) => ((await client.resource(REPLICASETS).list('default', { labelSelector: `app=${app}` })) as KubeList).items as ReplicaSet[];
  const podsOf = async (app: string) => ((await client.resource(PODS).list('default', { labelSelector: `app=${app}` })) as KubeList).items as Pod[];
  const get = async (name: string) => (await client.resource(DEPLOYMENTS).get('default', name)) as Deployment;
  const complete = (image: string, replicas: number) => (d: Deployment) => d.spec?.template?.spec?.containers?.[0]?.image === image
    && d.status?.observedGeneration === d.metadata?.generation && d.status?.updatedReplicas === replicas
    && d.status?.replicas === replicas && d.status?.availableReplicas === replicas;

  /** Samples `sample` every 20 ms until `done` holds, returning every sample. */
  async function observe<T>(sample: () => Promise<T>, done: () => Promise<boolean>): Promise<T[]> {
    const out: T[] = [];
    const deadline = Date.now() + DEADLINE_MS;
    while (!(await done())) {
      out.push(await sample());
      if (Date.now() > deadline) throw new Error(`rollout did not complete; last sample ${JSON.stringify(out.at(-1))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  }

  before(async () => {
    server = await startTestServer();
    client = remote('rollout-test');
    const sim = new HollowNodes(remote('capstan-sim'), { count: 3, cpu: '4', memory: '8Gi', pods: '110', podStartDelayMs: 300 });
    running.push(sim.start(stop.signal));
    running.push(new SchedulerRole({ client: remote('kube-scheduler') }).start(stop.signal));
    running.push(new ControllerManager({ client: remote('kube-controller-manager') }).start(stop.signal));
    await sim.whenRegistered();
  });

  after(async () => {
    stop.abort();
    await Promise.allSettled(running);
    for (const c of clients) c.close();
    await server?.stop();
  });

  test('RollingUpdate maxSurge 1 / maxUnavailable 0 keeps 4 available and at most 5 wanted', async () => {
    await client.resource(DEPLOYMENTS).create('default', deployment('roll', 4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
    await observe(async () => 0, async () => complete('app:1', 4)(await get('roll')));
    await client.resource(DEPLOYMENTS).patch('default', 'roll', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } });
    const samples = await observe(async () => {
      const rss = await rsOf('roll');
      const live = (await podsOf('roll')).filter((p) => !p.metadata?.deletionTimestamp);
      return {
        wanted: rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0),
        available: rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0),
        live: live.length,
      };
    }, async () => complete('app:2', 4)(await get('roll')));
    assert.ok(samples.length > 3, `the rollout was observed (${samples.length} samples)`);
    for (const s of samples) {
      assert.ok(s.wanted <= 5, `at most replicas + maxSurge wanted: ${JSON.stringify(s)}`);
      assert.ok(s.live <= 5, `at most replicas + maxSurge pods: ${JSON.stringify(s)}`);
      assert.ok(s.available >= 4, `never below replicas - maxUnavailable available: ${JSON.stringify(s)}`);
    }
    const rss = await rsOf('roll');
    assert.deepEqual(rss.map((rs) => [rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas]).sort(), [['1', 0], ['2', 4]]);
  });

  test('Recreate stops every old pod before starting new ones', async () => {
    await client.resource(DEPLOYMENTS).create('default', deployment('recreate', 3, { type: 'Recreate' }));
    await observe(async () => 0, async () => complete('app:1', 3)(await get('recreate')));
    await client.resource(DEPLOYMENTS).patch('default', 'recreate', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } });
    const samples = await observe(async () => {
      const ps = await podsOf('recreate');
      return { old: ps.filter((p) => p.spec?.containers?.[0]?.image === 'app:1').length, new: ps.filter((p) => p.spec?.containers?.[0]?.image === 'app:2').length };
    }, async () => complete('app:2', 3)(await get('recreate')));
    for (const s of samples) assert.ok(s.old === 0 || s.new === 0, `old and new pods together: ${JSON.stringify(s)}`);
    assert.equal((await podsOf('recreate')).length, 3);
  });
});
