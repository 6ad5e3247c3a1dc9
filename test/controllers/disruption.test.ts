// Acceptance (issue 4, item 5): `kubectl drain` evicts pods but respects a PodDisruptionBudget.
// `capstan server` runs the scheduler and the controller manager; 3 hollow nodes registered by the
// test run the pods. A Deployment of 3 with a PDB minAvailable 2: the disruption controller keeps
// the budget's status, drains of two nodes in turn evict through pods/eviction and never leave
// fewer than 2 ready pods; draining the node then holding all three needs kubectl's 429 retries; an eviction the budget cannot afford is refused with 429 and upstream's
// message and DisruptionBudget cause. The ResourceQuota controller reports the namespace's usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnServer, tempDir } from '../support/server.js';
import { kubectl, kubectlAvailable, type Kubectl } from '../support/kubectl.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { isStatusError } from '../../src/api/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { poll } from '../support/poll.js';

const VERSION = '1.33';

interface PodItem {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}
interface PdbStatus { expectedPods?: number; currentHealthy?: number; desiredHealthy?: number; disruptionsAllowed?: number; observedGeneration?: number; conditions?: { type: string; status: string; reason: string }[] }

const isReady = (p: PodItem) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Runs `kubectl drain` to completion (it retries refused evictions every 5 s, as upstream). */
function drain(k: Kubectl, node: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = k.spawn(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

test('kubectl drain respects a PodDisruptionBudget; refused evictions get 429; quota usage is reported', { timeout: 180_000, skip: !kubectlAvailable(VERSION) && `kubectl ${VERSION} not installed` }, async () => {
  const dir = tempDir('capstan-disruption-');
  const cache = tempDir('capstan-disruption-cache-');
  const server = await spawnServer(dir.path);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'capstan-test' }));
  const stop = new AbortController();
  const sim = new HollowNodes(client, { count: 3, cpu: '4', memory: '8Gi', pods: '110' });
  const simDone = sim.start(stop.signal);
  let passed = false;
  try {
    await sim.whenRegistered();
    const k = kubectl(VERSION, server.kubeconfig, cache.path);
    const webPods = async () => (JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: PodItem[] }).items;
    const pdbStatus = async (name: string) => (JSON.parse(await k.ok(['get', 'pdb', name, '-o', 'json'])) as { status?: PdbStatus }).status ?? {};

    await k.ok(['create', 'resourcequota', 'counts', '--hard=pods=20,count/deployments.apps=5,configmaps=10,requests.cpu=4']);
    await k.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    await poll('3 ready web pods', webPods, (l) => l.length === 3 && l.every((p) => isReady(p) && !!p.spec.nodeName));
    assert.match(await k.ok(['create', 'pdb', 'web', '--selector=app=web', '--min-available=2']), /poddisruptionbudget.policy\/web created/);
    const status = await poll('the web PDB status', () => pdbStatus('web'),
      (s) => s.expectedPods === 3 && s.currentHealthy === 3 && s.desiredHealthy === 2 && s.disruptionsAllowed === 1);
    assert.equal(status.observedGeneration, 1);
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'True', 'SufficientPods']]);
    assert.match(await k.ok(['get', 'pdb', 'web', '--no-headers']), /^web\s+2\s+N\/A\s+1\s/);

    // A budget that allows nothing: a single-replica Deployment with minAvailable 1.
    await k.ok(['create', 'deployment', 'solo', '--image=nginx', '--replicas=1']);
    await k.ok(['create', 'pdb', 'solo', '--selector=app=solo', '--min-available=1']);
    await poll('the solo PDB status', () => pdbStatus('solo'), (s) => s.expectedPods === 1 && s.currentHealthy === 1 && s.disruptionsAllowed === 0);
    const solo = (JSON.parse(await k.ok(['get', 'pods', '-l', 'app=solo', '-o', 'json'])) as { items: PodItem[] }).items[0]!;
    const evictionPath = `/api/v1/namespaces/default/pods/${solo.metadata.name}/eviction`;
    const refused = await client.requestJSON('POST', evictionPath, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: solo.metadata.name, namespace: 'default' } })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(isStatusError(refused, 'TooManyRequests'), `expected 429, got ${String(refused)}`);
    assert.equal(refused.status.code, 429);
    assert.equal(refused.status.message, 'Cannot evict pod as it would violate the pod\'s disruption budget.');
    assert.deepEqual(refused.status.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget solo needs 1 healthy pods and has 1 currently' }]);
    // A dry run of an affordable eviction changes nothing.
    const web0 = (await webPods())[0]!;
    await client.requestJSON('POST', `/api/v1/namespaces/default/pods/${web0.metadata.name}/eviction?dryRun=All`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: web0.metadata.name } });
    assert.equal((await pdbStatus('web')).disruptionsAllowed, 1);
    assert.equal((await webPods()).filter((p) => !p.metadata.deletionTimestamp).length, 3);

    // The solo budget would (rightly) block any drain of its pod's node: remove it first.
    await k.ok(['delete', 'pdb', 'solo']);
    await k.ok(['delete', 'deployment', 'solo']);
    await poll('the solo pod gone', async () => k.ok(['get', 'pods', '-l', 'app=solo', '-o', 'name']), (out) => out.trim() === '');

    // Drain two nodes in turn while watching the web pods: never fewer than 2 ready.
    let minReady = Infinity;
    const samples: PdbStatus[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const pods = await webPods();
        minReady = Math.min(minReady, pods.filter((p) => isReady(p) && !p.metadata.deletionTimestamp).length);
        samples.push(await pdbStatus('web'));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const drained: string[] = [];
    try {
      for (const node of ['hollow-0', 'hollow-1']) {
        const r = await drain(k, node);
        assert.equal(r.code, 0, `drain ${node} failed:\n${r.out}`);
        assert.match(r.out, new RegExp(`node/${node} drained`));
        drained.push(node);
        await poll(`3 ready web pods after draining ${node}`, webPods, (l) => l.length === 3 && l.every((p) => isReady(p) && !drained.includes(p.spec.nodeName ?? '')));
      }
      for (const p of await webPods()) assert.equal(p.spec.nodeName, 'hollow-2');
      assert.equal(await k.ok(['get', 'node', 'hollow-0', '-o', 'jsonpath={.spec.unschedulable}']), 'true');
      // All three on hollow-2: draining it can evict only one pod at a time; the others are
      // refused (429) and retried by kubectl until replacements are ready on hollow-0.
      await k.ok(['uncordon', 'hollow-0']);
      const r = await drain(k, 'hollow-2');
      assert.equal(r.code, 0, `drain hollow-2 failed:\n${r.out}`);
      assert.match(r.out, /error when evicting pods\/"web-[^"]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
      await poll('3 ready web pods on hollow-0', webPods, (l) => l.length === 3 && l.every((p) => isReady(p) && p.spec.nodeName === 'hollow-0'));
    } finally {
      watching = false;
      await watcher;
    }
    assert.ok(samples.length > 0);
    assert.ok(minReady >= 2, `the drains left ${minReady} ready web pods`);
    assert.ok(samples.every((s) => (s.disruptionsAllowed ?? 0) >= 0 && (s.disruptionsAllowed ?? 0) <= 1), JSON.stringify(samples.map((s) => s.disruptionsAllowed)));
    await poll('the web PDB back to one allowed disruption', () => pdbStatus('web'), (s) => s.currentHealthy === 3 && s.disruptionsAllowed === 1);

    // ResourceQuota status: hard mirrored from spec, used counted from the namespace.
    const quota = await poll('quota usage', async () => JSON.parse(await k.ok(['get', 'resourcequota', 'counts', '-o', 'json'])) as { status?: { hard?: Record<string, string>; used?: Record<string, string> } },
      (q) => q.status?.used?.pods === '3' && q.status.used['count/deployments.apps'] === '1');
    assert.deepEqual(quota.status?.hard, { pods: '20', 'count/deployments.apps': '5', configmaps: '10', 'requests.cpu': '4' });
    assert.equal(quota.status?.used?.['requests.cpu'], '0');
    await k.ok(['create', 'configmap', 'extra', '--from-literal=a=b']);
    const configMaps = (await k.ok(['get', 'configmaps', '--no-headers'])).trim().split('\n').length;
    await poll(`${configMaps} configmaps counted`, async () => k.ok(['get', 'resourcequota', 'counts', '-o', 'jsonpath={.status.used.configmaps}']),
      (v) => v === String(configMaps));
    passed = true;
  } finally {
    if (!passed) console.error(server.logs().slice(-6000));
    stop.abort();
    await simDone;
    client.close();
    await server.terminate();
    dir.remove();
    cache.remove();
  }
});
