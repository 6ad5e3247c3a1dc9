// Acceptance: the real kubectl against `capstan server` (its scheduler and controller manager on
// threads of their own) with `capstan sim --nodes 3` as a separate process, every role a real API
// client over HTTPS. `kubectl create deployment` pods land on the nodes, spread by default; a pod
// too big for every node stays Pending with the upstream FailedScheduling message shown by
// `kubectl describe`; a NoSchedule taint set by `kubectl taint` admits only tolerating pods; and
// nodeSelector / required node affinity follow labels set by `kubectl label`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, spawnServer, tempDir, type ServerProcess } from '../support/server.js';
import { kubectl, kubectlAvailable, type Kubectl } from '../support/kubectl.js';
import { poll } from '../support/poll.js';

const VERSION = '1.33';
const NODES = ['hollow-0', 'hollow-1', 'hollow-2'];

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

describe('kubectl with capstan server and capstan sim --nodes 3', { skip: !kubectlAvailable(VERSION) && `kubectl ${VERSION} not installed` }, () => {
  let dir: { path: string; remove(): void };
  let server: ServerProcess;
  let sim: ChildProcess;
  let simLog = '';
  let k: Kubectl;

  before(async () => {
    dir = tempDir('capstan-kubectl-sim-');
    server = await spawnServer(dir.path);
    sim = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'sim', '--nodes', '3', '--kubeconfig', server.kubeconfig, '--cpu', '4', '--memory', '8Gi', '--pods', '110'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    sim.stderr!.setEncoding('utf8').on('data', (d: string) => { simLog += d; });
    await poll('capstan sim ready', async () => simLog, (l) => /ready: 3 nodes registered/.test(l) || sim.exitCode !== null);
    assert.equal(sim.exitCode, null, `capstan sim exited:\n${simLog}`);
    k = kubectl(VERSION, server.kubeconfig, join(dir.path, 'kubectl-cache'));
  });

  after(async () => {
    if (sim && sim.exitCode === null) {
      const exited = new Promise((r) => sim.once('exit', r));
      sim.kill('SIGTERM');
      await exited;
    }
    await server?.terminate();
    if (process.env.CAPSTAN_TEST_DEBUG) console.error(server?.logs(), simLog);
    dir?.remove();
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

  test('kubectl create deployment: its pods land on the 3 nodes, spread, and run', async () => {
    await k.ok(['create', 'deployment', 'web', '--image=registry.example/app:1.0', '--replicas=6']);
    const placed = await poll('6 web pods Running', () => getPods('app=web'), (ps) => allBound(6)(ps) && ps.every((p) => p.phase === 'Running'));
    const perNode = new Map<string, number>();
    for (const p of placed) perNode.set(p.node, (perNode.get(p.node) ?? 0) + 1);
    // Equal nodes, equal pods: the default profile (LeastAllocated scoring and the system default
    // topology spreading over the ReplicaSet's selector) puts each next pod on the emptiest node.
    assert.deepEqual([...perNode.keys()].sort(), NODES, `placement: ${JSON.stringify([...perNode])}`);
    assert.deepEqual([...perNode.values()], [2, 2, 2], `placement: ${JSON.stringify([...perNode])}`);
    for (const p of placed) assert.match(p.name, /^web-[a-z0-9]+-[a-z0-9]{5}$/, 'named by the ReplicaSet');
    const wide = await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'wide']);
    assert.match(wide, /web-\S+\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+hollow-\d/);
    const describe = await k.ok(['describe', 'pod', placed[0]!.name]);
    assert.match(describe, new RegExp(`Normal\\s+Scheduled\\s+.*default-scheduler\\s+Successfully assigned default/${placed[0]!.name} to hollow-\\d`));
    await poll('deployment available', () => k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}']), (v) => v === '6');
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
