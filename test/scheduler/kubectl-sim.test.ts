// Acceptance: the real kubectl against a server running the scheduler, with 3 hollow nodes
// registering and running pods over HTTPS as real API clients. Pods are placed with the default
// profile (LeastAllocated spreads them), a pod too big for every node stays Pending with the
// upstream FailedScheduling message shown by `kubectl describe`, a NoSchedule taint set by
// `kubectl taint` admits only tolerating pods, and nodeSelector / required node affinity follow
// labels set by `kubectl label`.
//
// There is no Deployment controller yet, so `kubectl create deployment` would never produce pods:
// the test applies bare pods carrying the labels a Deployment's template would give them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, tempDir, type TestServer } from '../support/server.js';
import { kubectl, kubectlAvailable, type Kubectl } from '../support/kubectl.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { SchedulerRole } from '../../src/scheduler/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';

const VERSION = '1.33';
const NODES = ['hollow-0', 'hollow-1', 'hollow-2'];
/** Deadlines are generous: the whole team shares a loaded 2-core machine. */
const DEADLINE_MS = 60_000;

interface PodView { name: string; node: string; phase: string; labels: Record<string, string> }

interface PodOptions {
  labels?: Record<string, string>;
  cpu?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  affinity?: unknown;
}

function podManifest(name: string, o: PodOptions = {}): object {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, labels: o.labels ?? { app: name } },
    spec: {
      containers: [{ name: 'app', image: 'registry.example/app:1.0', resources: { requests: { cpu: o.cpu ?? '100m', memory: '64Mi' } } }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
    },
  };
}

async function poll<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('kubectl with the scheduler and 3 hollow nodes', { skip: !kubectlAvailable(VERSION) && `kubectl ${VERSION} not installed` }, () => {
  let server: TestServer;
  let cache: { path: string; remove(): void };
  let k: Kubectl;
  let simClient: Client;
  let schedClient: Client;
  let sim: HollowNodes;
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  const errors: unknown[] = [];

  before(async () => {
    cache = tempDir('capstan-kubectl-cache-');
    server = await startTestServer();
    // Both roles are remote clients over HTTPS, as `capstan scheduler` and `capstan sim` would be.
    schedClient = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'kube-scheduler' }));
    simClient = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'capstan-sim' }));
    sim = new HollowNodes(simClient, { count: NODES.length, cpu: '4', memory: '8Gi', pods: '110', onError: (e) => errors.push(e) });
    running.push(sim.start(stop.signal));
    running.push(new SchedulerRole({ client: schedClient, onError: (e) => errors.push(e) }).start(stop.signal));
    await sim.whenRegistered();
    k = kubectl(VERSION, server.kubeconfig, cache.path);
  });

  after(async () => {
    stop.abort();
    await Promise.allSettled(running);
    simClient?.close();
    schedClient?.close();
    await server?.stop();
    cache?.remove();
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(errors);
  });

  const apply = (...manifests: object[]) => k.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }) });

  async function getPods(selector: string): Promise<PodView[]> {
    const list = JSON.parse(await k.ok(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: { metadata: { name: string; labels?: Record<string, string> }; spec: { nodeName?: string }; status?: { phase?: string } }[] };
    return list.items.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName ?? '', phase: p.status?.phase ?? '', labels: p.metadata.labels ?? {} }));
  }

  const allBound = (n: number) => (ps: PodView[]) => ps.length === n && ps.every((p) => p.node !== '');

  /** Waits for `kubectl describe pod` to show the FailedScheduling event; returns the output. */
  async function describeUntilFailedScheduling(name: string): Promise<string> {
    return poll(`FailedScheduling for ${name}`, () => k.ok(['describe', 'pod', name]), (out) => /FailedScheduling/.test(out));
  }

  test('3 hollow nodes are Ready', async () => {
    const out = await poll('3 Ready nodes', () => k.ok(['get', 'nodes', '--no-headers']), (o) => o.trim().split('\n').filter((l) => / Ready /.test(l)).length === 3);
    for (const n of NODES) assert.match(out, new RegExp(`^${n}\\s+Ready\\s`, 'm'));
  });

  test('pods with a Deployment-like label set are spread over the 3 nodes and run', async () => {
    await apply(...Array.from({ length: 6 }, (_, i) => podManifest(`web-${i}`, { labels: { app: 'web' }, cpu: '500m' })));
    const placed = await poll('6 web pods Running', () => getPods('app=web'), (ps) => allBound(6)(ps) && ps.every((p) => p.phase === 'Running'));
    const perNode = new Map<string, number>();
    for (const p of placed) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
    // Equal nodes and equal pods: LeastAllocated scoring puts each next pod on the emptiest node.
    assert.deepEqual([...perNode.keys()].sort(), NODES, `placement: ${JSON.stringify([...perNode])}`);
    assert.deepEqual([...perNode.values()], [2, 2, 2], `placement: ${JSON.stringify([...perNode])}`);
    const wide = await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'wide']);
    assert.match(wide, /web-0\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+hollow-\d/);
  });

  test('a pod requesting more CPU than any node has stays Pending with FailedScheduling', async () => {
    await apply(podManifest('huge', { cpu: '64' }));
    const out = await describeUntilFailedScheduling('huge');
    assert.match(out, /^Status:\s+Pending$/m);
    assert.match(out, /^Node:\s+<none>$/m);
    assert.match(out, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\./);
    assert.match(out, /PodScheduled\s+False/);
    const [huge] = await getPods('app=huge');
    assert.equal(huge?.node, '');
    await k.ok(['delete', 'pod', 'huge', '--wait=false']);
  });

  test('a NoSchedule taint set with kubectl taint admits only tolerating pods', async () => {
    const tainted = NODES[0]!;
    assert.match(await k.ok(['taint', 'nodes', tainted, 'dedicated=gpu:NoSchedule']), new RegExp(`node/${tainted} tainted`));
    // A pod pinned to the tainted node without a toleration is refused: this also proves the
    // scheduler has seen the taint before the unpinned pods below are created.
    await apply(podManifest('pinned-intolerant', { nodeSelector: { 'kubernetes.io/hostname': tainted } }));
    const out = await describeUntilFailedScheduling('pinned-intolerant');
    assert.match(out, /0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 2 node\(s\) didn't match Pod's node affinity\/selector\./);

    const toleration = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
    await apply(
      ...Array.from({ length: 6 }, (_, i) => podManifest(`plain-${i}`, { labels: { app: 'plain' } })),
      podManifest('pinned-tolerant', { labels: { app: 'pinned-tolerant' }, nodeSelector: { 'kubernetes.io/hostname': tainted }, tolerations: [toleration] }),
    );
    const plain = await poll('plain pods bound', () => getPods('app=plain'), allBound(6));
    for (const p of plain) assert.notEqual(p.node, tainted, `${p.name} landed on the tainted node`);
    const [tolerant] = await poll('tolerant pod bound', () => getPods('app=pinned-tolerant'), allBound(1));
    assert.equal(tolerant!.node, tainted);
    const [intolerant] = await getPods('app=pinned-intolerant');
    assert.equal(intolerant?.node, '', 'the intolerant pod is still Pending');

    // Removing the taint lets the waiting pod in (the node update requeues it).
    assert.match(await k.ok(['taint', 'nodes', tainted, 'dedicated=gpu:NoSchedule-']), new RegExp(`node/${tainted} untainted`));
    const [now] = await poll('intolerant pod bound after untaint', () => getPods('app=pinned-intolerant'), allBound(1));
    assert.equal(now!.node, tainted);
  });

  test('nodeSelector follows a label set with kubectl label', async () => {
    const target = NODES[1]!;
    assert.match(await k.ok(['label', 'node', target, 'disk=ssd']), new RegExp(`node/${target} (labeled|labelled)`));
    await apply(...Array.from({ length: 4 }, (_, i) => podManifest(`ssd-${i}`, { labels: { app: 'ssd' }, nodeSelector: { disk: 'ssd' } })));
    const placed = await poll('ssd pods bound', () => getPods('app=ssd'), allBound(4));
    for (const p of placed) assert.equal(p.node, target, `${p.name} ignored its nodeSelector`);
  });

  test('required node affinity is honoured, and an unmatched term keeps the pod Pending', async () => {
    const target = NODES[2]!;
    await k.ok(['label', 'node', target, 'topology.kubernetes.io/zone=zone-c']);
    await k.ok(['label', 'node', NODES[0]!, NODES[1]!, 'topology.kubernetes.io/zone=zone-a']);
    const required = (op: string, values: string[]) => ({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: op, values }] }] } },
    });
    await apply(
      ...Array.from({ length: 4 }, (_, i) => podManifest(`zone-c-${i}`, { labels: { app: 'zone-c' }, affinity: required('In', ['zone-c']) })),
      ...Array.from({ length: 4 }, (_, i) => podManifest(`not-c-${i}`, { labels: { app: 'not-c' }, affinity: required('NotIn', ['zone-c']) })),
      podManifest('zone-x', { labels: { app: 'zone-x' }, affinity: required('In', ['zone-x']) }),
    );
    for (const p of await poll('zone-c pods bound', () => getPods('app=zone-c'), allBound(4))) assert.equal(p.node, target);
    for (const p of await poll('not-c pods bound', () => getPods('app=not-c'), allBound(4))) assert.notEqual(p.node, target);
    const out = await describeUntilFailedScheduling('zone-x');
    assert.match(out, /0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\./);
    assert.match(out, /^Status:\s+Pending$/m);
  });
});
