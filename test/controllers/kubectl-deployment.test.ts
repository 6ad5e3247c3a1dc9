// Acceptance: `kubectl create deployment` against `capstan server`, which runs the scheduler and
// the controller manager on threads of their own; 3 hollow nodes registered by the test run the
// pods. The Deployment's pods land on the nodes and run, `kubectl rollout status` returns,
// `set image`, `rollout history`, `rollout undo` and `rollout pause`/`resume` behave as on
// Kubernetes, and the server still shuts down cleanly on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnServer, tempDir } from '../support/server.js';
import { kubectl, kubectlAvailable } from '../support/kubectl.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import { HollowNodes } from '../../src/kubelet/index.js';
import { poll } from '../support/poll.js';

const VERSION = '1.33';

interface PodList { items: { metadata: { name: string }; spec: { nodeName?: string }; status?: { phase?: string } }[] }

test('kubectl create deployment runs its pods on hollow nodes through capstan server', { timeout: 180_000, skip: !kubectlAvailable(VERSION) && `kubectl ${VERSION} not installed` }, async () => {
  const dir = tempDir('capstan-kubectl-deploy-');
  const cache = tempDir('capstan-kubectl-cache-');
  const server = await spawnServer(dir.path);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'capstan-sim' }));
  const stop = new AbortController();
  const sim = new HollowNodes(client, { count: 3, cpu: '4', memory: '8Gi', pods: '110' });
  const simDone = sim.start(stop.signal);
  try {
    await sim.whenRegistered();
    const k = kubectl(VERSION, server.kubeconfig, cache.path);
    assert.match(await k.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']), /deployment.apps\/web created/);
    const pods = await poll('3 web pods Running on nodes', async () => JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as PodList,
      (l) => l.items.length === 3 && l.items.every((p) => p.status?.phase === 'Running' && !!p.spec.nodeName));
    for (const p of pods.items) assert.match(p.spec.nodeName ?? '', /^hollow-\d$/);
    assert.match(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    const get = await k.ok(['get', 'deployment', 'web', '--no-headers']);
    assert.match(get, /^web\s+3\/3\s+3\s+3\s/);
    const describe = await k.ok(['describe', 'deployment', 'web']);
    assert.match(describe, /ScalingReplicaSet\s+.*deployment-controller\s+Scaled up replica set web-[a-z0-9]+ to 3/);
    assert.match(server.logs(), /controller-manager: leading as /);

    // scale up and back down: the pod count follows.
    const running = async () => (JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as PodList).items
      .filter((p) => p.status?.phase === 'Running' && !(p.metadata as { deletionTimestamp?: string }).deletionTimestamp).length;
    assert.match(await k.ok(['scale', 'deployment/web', '--replicas=5']), /deployment.apps\/web scaled/);
    await poll('5 web pods Running', running, (n) => n === 5);
    assert.match(await k.ok(['get', 'deployment', 'web', '--no-headers']), /^web\s+5\/5\s/);
    await k.ok(['scale', 'deployment/web', '--replicas=3']);
    await poll('3 web pods left', async () => (JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as PodList).items.length, (n) => n === 3);

    // set image → a new ReplicaSet rolls out; history lists both revisions; undo brings the first
    // template back as revision 3.
    const images = async () => (JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: { metadata: { deletionTimestamp?: string }; spec: { containers: { image: string }[] } }[] })
      .items.map((p) => p.spec.containers[0]!.image);
    await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
    assert.match(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    await poll('3 pods of nginx:1.26', images, (l) => l.length === 3 && l.every((i) => i === 'nginx:1.26'));
    const history = await k.ok(['rollout', 'history', 'deployment/web']);
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
    await k.ok(['rollout', 'undo', 'deployment/web']);
    assert.match(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    await poll('3 pods of nginx again', images, (l) => l.length === 3 && l.every((i) => i === 'nginx'));
    assert.equal(await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), '3');
    assert.equal((await k.ok(['get', 'rs', '--no-headers'])).trim().split('\n').length, 2, 'the undo reused the first ReplicaSet');

    // pause: a template change does not roll out until resume.
    await k.ok(['rollout', 'pause', 'deployment/web']);
    await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    await poll('Progressing DeploymentPaused', async () => k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']), (r) => r === 'DeploymentPaused');
    assert.deepEqual(await images(), ['nginx', 'nginx', 'nginx']);
    await k.ok(['rollout', 'resume', 'deployment/web']);
    assert.match(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    await poll('3 pods of nginx:1.27', images, (l) => l.length === 3 && l.every((i) => i === 'nginx:1.27'));
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
