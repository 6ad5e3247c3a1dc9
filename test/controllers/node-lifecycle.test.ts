// Node failure end to end (issue 4 acceptance 4), every role a remote HTTPS client: 3 hollow nodes
// get distinct pod CIDRs (node IPAM); a Deployment of 3 whose pods tolerate the readiness taints
// for 0 s runs on them; killing one node's kubelet makes the node lifecycle controller mark it
// Ready=Unknown (NodeStatusUnknown) after the 3 s grace period and taint it unreachable:NoExecute;
// the taint eviction controller deletes its pods and the Deployment's replacements run on the
// other nodes; reviving the kubelet removes the taint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { Client, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { ControllerManager } from '../../src/controllers/index.js';
import type { Event, KubeObject, Node, Pod } from '../../src/api/index.js';
import { poll } from '../support/poll.js';
import { PODS, NODES, EVENTS, DEPLOYMENTS } from '../support/resources.js';

const UNREACHABLE = 'node.kubernetes.io/unreachable';

describe('node lifecycle: a killed hollow node is tainted, its pods replaced elsewhere', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let client: Client;
  let sim: HollowNodes;
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  const errors: unknown[] = [];

  const remote = (agent: string) => {
    const c = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: agent }));
    clients.push(c);
    return c;
  };
  const pods = async () => ((await client.resource(PODS).list('default', { labelSelector: 'app=web' })) as KubeList).items as Pod[];
  const node = async (name: string) => (await client.resource(NODES).get('', name)) as Node;
  const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');
  const hasUnreachableTaint = (n: Node) => (n.spec?.taints ?? []).some((t) => t.key === UNREACHABLE && t.effect === 'NoExecute');

  before(async () => {
    server = await startTestServer();
    client = remote('node-lifecycle-test');
    // Leases renewed every 0.5 s, well inside the 3 s grace period.
    sim = new HollowNodes(remote('capstan-sim'), { count: 3, cpu: '4', memory: '8Gi', pods: '110', leaseRenewIntervalMs: 500, onError: (e) => errors.push(e) });
    running.push(sim.start(stop.signal));
    running.push(new SchedulerRole({ client: remote('kube-scheduler'), onError: (e) => errors.push(e) }).start(stop.signal));
    running.push(new ControllerManager({
      client: remote('kube-controller-manager'), onError: (e) => errors.push(e),
      config: { nodeMonitorGracePeriodMs: 3_000, nodeMonitorPeriodMs: 500 },
    }).start(stop.signal));
    await sim.whenRegistered();
  });

  after(async () => {
    stop.abort();
    await Promise.allSettled(running);
    for (const c of clients) c.close();
    await server?.stop();
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(errors);
  });

  test('every node gets its own /24 from the cluster CIDR', async () => {
    const nodes = await poll('3 nodes with pod CIDRs', async () => ((await client.resource(NODES).list('')) as KubeList).items as Node[],
      (ns) => ns.length === 3 && ns.every((n) => n.spec?.podCIDR));
    const cidrs = nodes.map((n) => n.spec!.podCIDR!);
    assert.equal(new Set(cidrs).size, 3, `distinct: ${cidrs.join(', ')}`);
    for (const n of nodes) {
      assert.match(n.spec!.podCIDR!, /^10\.42\.\d+\.0\/24$/);
      assert.deepEqual(n.spec?.podCIDRs, [n.spec?.podCIDR]);
    }
  });

  test('kill a node: Unknown, tainted, pods evicted and replaced; revive: taint removed', async () => {
    const tolerate0 = (key: string) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 });
    await client.resource(DEPLOYMENTS).create('default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '100m' } } }],
            tolerations: [tolerate0('node.kubernetes.io/not-ready'), tolerate0(UNREACHABLE)],
          },
        },
      },
    } as KubeObject);
    const before = await poll('3 web pods Running', pods, (ps) => ps.length === 3 && ps.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName));
    assert.equal(before[0].spec?.tolerations?.length, 2, 'the pod\'s own tolerations suppress the 300 s defaults');
    const victim = before[0].spec!.nodeName!;
    const victimPods = new Set(before.filter((p) => p.spec?.nodeName === victim).map((p) => p.metadata?.uid));

    sim.kill(victim);
    const dead = await poll(`${victim} Ready=Unknown and tainted`, () => node(victim), (n) => ready(n)?.status === 'Unknown' && hasUnreachableTaint(n));
    assert.equal(ready(dead)?.reason, 'NodeStatusUnknown');
    assert.equal(ready(dead)?.message, 'Kubelet stopped posting node status.');
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      assert.equal(dead.status?.conditions?.find((c) => c.type === type)?.status, 'Unknown', type);
    }

    // Its pods are deleted (they stay Terminating: the dead kubelet cannot confirm) and the
    // replacements run on the two healthy nodes.
    const after = await poll('victim pods deleted and 3 live replicas Running elsewhere', pods, (ps) => {
      const live = ps.filter((p) => !p.metadata?.deletionTimestamp);
      const victimsGone = ps.filter((p) => victimPods.has(p.metadata?.uid)).every((p) => p.metadata?.deletionTimestamp);
      return victimsGone && live.length === 3 && live.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName && p.spec.nodeName !== victim);
    });
    const evicted = after.find((p) => victimPods.has(p.metadata?.uid));
    if (evicted) {
      assert.equal(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    }
    const events = ((await client.resource(EVENTS).list('default')) as KubeList).items as Event[];
    assert.ok(events.some((e) => e.reason === 'TaintManagerEviction' && e.source?.component === 'taint-eviction-controller'), 'TaintManagerEviction event');

    sim.revive(victim);
    const back = await poll(`${victim} Ready again and untainted`, () => node(victim), (n) => ready(n)?.status === 'True' && !hasUnreachableTaint(n));
    assert.equal(ready(back)?.reason, 'KubeletReady');
    // The revived kubelet finishes the evicted pods' deletion.
    await poll('evicted pods gone', pods, (ps) => ps.every((p) => !victimPods.has(p.metadata?.uid)));
  });
});
