// End to end on a real node (root; conmon + runc, CNI, the image store), through the real kubectl
// 1.27 and 1.33, a cluster each (issue: kubelet with real containers, acceptance 6 and 7):
// - restarting the kubelet leaves a running container running: same container, same process
//   (its start time in /proc), restart count unchanged;
// - images: an imported air-gap tarball runs with imagePullPolicy Never; a pull from a loopback
//   registry behind token auth works with an imagePullSecret and fails without one; a wrong
//   image name gives ErrImagePull, then ImagePullBackOff, with the registry's reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { BUSYBOX, startNodeCluster, type NodeCluster } from '../support/node-cluster.js';
import { buildBusyboxImage, startRegistry, type BuiltImage, type TestRegistry } from '../support/registry.js';
import { KUBECTL_VERSIONS, type Kubectl } from '../support/kubectl.js';
import { poll } from '../support/poll.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/runc') && existsSync('/usr/bin/conmon') && existsSync('/usr/lib/cni/bridge');

interface PodJson {
  metadata: { uid: string };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { containerID?: string; restartCount: number; ready: boolean; state?: { waiting?: { reason?: string; message?: string }; running?: { startedAt: string } } }[];
  };
}

for (const version of KUBECTL_VERSIONS) describe(`a real node: kubelet restarts and image pulls (kubectl ${version})`, { skip: !canRun && 'needs root, runc, conmon and the CNI plugins' }, () => {
  let cluster: NodeCluster;
  let k: Kubectl;
  let registry: TestRegistry;
  let image: BuiltImage;
  const pod = async (name: string) => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as PodJson;
  /** The pod's events in order, `reason<TAB>message` per line. */
  const events = async (name: string) => (await k.ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '--sort-by=.firstTimestamp',
    '-o', 'jsonpath={range .items[*]}{.reason}{"\\t"}{.message}{"\\n"}{end}']));
  const apply = (manifest: object) => k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
  const podManifest = (name: string, image: string, extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image, command: ['sh', '-c', 'echo started; exec sleep 3600'], ...container }], ...extra },
  });

  before(async () => {
    cluster = await startNodeCluster({ bridge: 'cpt-e2en', clusterCIDR: '10.248.0.0/16', runDir: '/run/cpt-e2en' });
    k = cluster.kubectl(version);
    registry = await startRegistry({ auth: { username: 'puller', password: 's3cret' } });
    image = await buildBusyboxImage({ tag: 'private' });
    await registry.push(image.ref, 'capstan/busybox:private');
  });

  after(async () => {
    await registry?.stop();
    await image?.cleanup();
    await cluster?.stop();
  });

  test('an imported tarball image runs with imagePullPolicy Never; the node lists it', async () => {
    await apply(podManifest('airgap', BUSYBOX, {}, { imagePullPolicy: 'Never' }));
    await poll('airgap Running', () => pod('airgap'), (p) => p.status?.phase === 'Running');
    const images = await k.ok(['get', 'node', 'node-1', '-o', 'jsonpath={.status.images[*].names}']);
    assert.match(images, /example\.com\/busybox:v1/);
  });

  test('restarting the kubelet keeps the running container: same id, same process, no restart', async () => {
    const before = await pod('airgap');
    const startTime = async () => (await k.ok(['exec', 'airgap', '--', 'sh', '-c', 'cut -d" " -f22 /proc/1/stat'])).trim();
    const started = await startTime();
    assert.match(started, /^\d+$/);
    await cluster.restartAgent();
    // The new kubelet has synced the pod (its status is written again, Ready) before we compare.
    await poll('airgap Ready after the restart', () => pod('airgap'), (p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
    await new Promise((r) => setTimeout(r, 3000)); // a few relists of the new kubelet
    const after = await pod('airgap');
    assert.equal(after.metadata.uid, before.metadata.uid);
    assert.equal(after.status?.containerStatuses?.[0]?.containerID, before.status?.containerStatuses?.[0]?.containerID, 'same container');
    assert.equal(after.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.equal(after.status?.containerStatuses?.[0]?.state?.running?.startedAt, before.status?.containerStatuses?.[0]?.state?.running?.startedAt);
    assert.equal(await startTime(), started, 'the container\'s init process is the same one');
    assert.match(cluster.agent.logs(), /ready: node node-1 registered/);
  });

  test('a private registry image pulls with an imagePullSecret (token auth) and not without', async () => {
    const ref = `${registry.host}/capstan/busybox:private`;
    await apply(podManifest('no-secret', ref));
    await poll('no-secret cannot pull', () => pod('no-secret'), (p) => /ErrImagePull|ImagePullBackOff/.test(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''));
    const failed = await poll('the pull failure event', () => events('no-secret'), (e) => /Failed to pull image/.test(e));
    assert.match(failed, /Failed to pull image "[^"]+private": .*(unauthori[sz]ed|authentication|denied)/i);

    await k.ok(['create', 'secret', 'docker-registry', 'pull', `--docker-server=${registry.host}`, '--docker-username=puller', '--docker-password=s3cret']);
    await apply(podManifest('with-secret', ref, { imagePullSecrets: [{ name: 'pull' }] }, { imagePullPolicy: 'Always' }));
    await poll('with-secret Running', () => pod('with-secret'), (p) => p.status?.phase === 'Running');
    assert.ok(registry.tokensIssued() > 0, 'the registry\'s token service was used');
    const pulled = await events('with-secret');
    assert.match(pulled, /Pulling\tPulling image/);
    assert.match(pulled, /Pulled\tSuccessfully pulled image/);
  });

  test('a wrong image name gives ErrImagePull, then ImagePullBackOff, with a clear message', async () => {
    await apply(podManifest('typo', `${registry.host}/capstan/no-such-image:v1`, { imagePullSecrets: [{ name: 'pull' }] }));
    // The status shows one of the two at a time; the events keep the sequence.
    const seen = await poll('ErrImagePull, then ImagePullBackOff', () => events('typo'), (e) => /Error: ErrImagePull[\s\S]*Error: ImagePullBackOff/.test(e), 90_000);
    assert.match(seen, /Failed to pull image ".*no-such-image:v1": .*(not found|unknown|does not exist)/i);
    const last = await poll('waiting in ImagePullBackOff', () => pod('typo'), (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
    assert.match(last.status!.containerStatuses![0]!.state!.waiting!.message ?? '', /Back-off pulling image ".*no-such-image:v1"/);
    const describe = await k.ok(['describe', 'pod', 'typo']);
    assert.match(describe, /Failed to pull image ".*no-such-image:v1"/);
    assert.match(describe, /Back-off pulling image/);
  });
});
