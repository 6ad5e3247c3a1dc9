// End-to-end: the container lifecycle on a real node (capstan agent over conmon + runc), checked
// the way a user of kubectl 1.27 and of 1.33 would (each version against a cluster of its own): OOMKilled, CrashLoopBackOff with a growing back-off,
// termination messages, liveness restarts, readiness both ways, init containers in order, ConfigMap and Secret as env
// and as volumes that follow updates, emptyDir shared between containers, downward API files, and
// deletion: SIGTERM first, SIGKILL after the grace period. Root and runc only; the file owns its
// bridge, cluster CIDR and run dir, and the cluster is stopped (killall) even after a failure.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUSYBOX, startNodeCluster, type NodeCluster } from '../support/node-cluster.js';
import { KUBECTL_VERSIONS, kubectlAvailable, type Kubectl } from '../support/kubectl.js';
import { poll } from '../support/poll.js';
import { tempDir } from '../support/server.js';

function hasRunc(): boolean {
  try {
    execFileSync('runc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = process.getuid?.() !== 0 ? 'needs root' : !hasRunc() ? 'needs runc' : !KUBECTL_VERSIONS.every(kubectlAvailable) ? `needs kubectl ${KUBECTL_VERSIONS.join(' and ')}` : false;

/** A shell loop that ends at once on SIGTERM (PID 1 has no default action for it). */
const SLEEP_LOOP = "trap 'exit 0' TERM; while true; do sleep 1 & wait; done";

interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state: { waiting?: { reason?: string; message?: string }; running?: { startedAt?: string }; terminated?: { reason?: string; message?: string; exitCode?: number; startedAt?: string; finishedAt?: string } };
  lastState?: ContainerStatus['state'];
}
interface PodView {
  metadata: { name: string; uid: string };
  status: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}
interface EventView { reason?: string; message?: string; type?: string; involvedObject?: { name?: string; fieldPath?: string } }

let cluster: NodeCluster;
let k: Kubectl;

function container(name: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', script], ...extra };
}

function podManifest(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec: { terminationGracePeriodSeconds: 5, ...spec } };
}

async function apply(obj: Record<string, unknown>): Promise<void> {
  await k.ok(['apply', '-f', '-'], { input: JSON.stringify(obj) });
}

async function getPod(name: string): Promise<PodView> {
  return JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as PodView;
}

function status(p: PodView, name: string): ContainerStatus | undefined {
  return [...(p.status.containerStatuses ?? []), ...(p.status.initContainerStatuses ?? [])].find((c) => c.name === name);
}

function condition(p: PodView, type: string): string | undefined {
  return p.status.conditions?.find((c) => c.type === type)?.status;
}

async function waitRunning(name: string): Promise<PodView> {
  return poll(`pod ${name} Running`, () => getPod(name), (p) => p.status.phase === 'Running' && (p.status.containerStatuses ?? []).every((c) => c.state.running), 90_000);
}

async function exec(pod: string, args: string[], containerName?: string): Promise<string> {
  return k.ok(['exec', pod, ...(containerName ? ['-c', containerName] : []), '--', ...args]);
}

async function podEvents(pod: string): Promise<EventView[]> {
  const out = await k.ok(['get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'json']);
  return (JSON.parse(out) as { items: EventView[] }).items;
}

/** Leaves the node to stop the pod in the background; the next test need not wait. */
async function removePod(name: string): Promise<void> {
  await k(['delete', 'pod', name, '--wait=false', '--ignore-not-found']);
}

for (const version of KUBECTL_VERSIONS) describe(`kubelet e2e: container lifecycle (kubectl ${version})`, { skip, concurrency: false }, () => {
  before(async () => {
    cluster = await startNodeCluster({ bridge: 'cpt-e2el', clusterCIDR: '10.247.0.0/16', runDir: '/run/cpt-e2el', agentArgs: ['--sync-frequency', '5s'] });
    k = cluster.kubectl(version);
    // The default service account is created by the controller manager; pods wait for it.
    await poll('default service account', () => k.ok(['get', 'serviceaccount', 'default', '-o', 'name']), (s) => s.includes('default'));
  });

  after(async () => {
    if (process.env.E2E_DEBUG && cluster) process.stderr.write(cluster.agent.logs());
    await cluster?.stop();
  });

  test('a container over its memory limit is OOMKilled: terminated reason OOMKilled, exit code 137', async () => {
    await apply(podManifest('oom', {
      restartPolicy: 'Never',
      containers: [container('hog', "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}", { resources: { limits: { memory: '16Mi' } } })],
    }));
    const p = await poll('oom terminated', () => getPod('oom'), (v) => !!status(v, 'hog')?.state.terminated, 90_000);
    const t = status(p, 'hog')!.state.terminated!;
    assert.equal(t.reason, 'OOMKilled');
    assert.equal(t.exitCode, 137);
    await poll('oom phase Failed', () => getPod('oom'), (v) => v.status.phase === 'Failed');
    const row = await k.ok(['get', 'pod', 'oom', '--no-headers']);
    assert.match(row, /\sOOMKilled\s/);
    await removePod('oom');
  });

  test('a crashing container (restartPolicy Always, exit 1) goes into CrashLoopBackOff: 10 s, then 20 s, restartCount ≥ 2', async () => {
    await apply(podManifest('crash', { restartPolicy: 'Always', containers: [container('c', 'echo crashing; echo boom > /dev/termination-log; exit 1')] }));
    const backoffs: string[] = [];
    const p = await poll('crash in CrashLoopBackOff after two restarts', () => getPod('crash'), (v) => {
      const c = status(v, 'c');
      const m = c?.state.waiting?.reason === 'CrashLoopBackOff' ? /back-off (\S+) restarting/.exec(c.state.waiting.message ?? '') : null;
      if (m && backoffs.at(-1) !== m[1]) backoffs.push(m[1]!);
      return !!c && c.restartCount >= 2 && backoffs.includes('20s');
    }, 120_000);
    const c = status(p, 'c')!;
    assert.deepEqual(backoffs.slice(0, 2), ['10s', '20s'], 'the back-off doubles from 10 s');
    assert.equal(c.lastState?.terminated?.exitCode, 1);
    assert.equal(c.lastState?.terminated?.reason, 'Error');
    assert.equal(c.lastState?.terminated?.message, 'boom\n', 'the termination message from /dev/termination-log');
    assert.equal(c.ready, false);
    const row = await k.ok(['get', 'pod', 'crash', '--no-headers']);
    assert.match(row, /\sCrashLoopBackOff\s+[2-9]/);
    const events = await podEvents('crash');
    assert.ok(events.some((e) => e.reason === 'BackOff' && /Back-off restarting failed container c/.test(e.message ?? '')), JSON.stringify(events));
    assert.match(await k.ok(['logs', 'crash', '--previous']), /crashing/);
    await removePod('crash');
  });

  test('terminationMessagePolicy FallbackToLogsOnError: a failed container with an empty message file reports its log\'s end', async () => {
    await apply(podManifest('fallback', {
      restartPolicy: 'Never',
      containers: [container('c', 'echo first words; echo last words >&2; exit 2', { terminationMessagePolicy: 'FallbackToLogsOnError' })],
    }));
    const p = await poll('fallback Failed', () => getPod('fallback'), (v) => v.status.phase === 'Failed', 90_000);
    const t = status(p, 'c')!.state.terminated!;
    assert.equal(t.exitCode, 2);
    assert.equal(t.message, 'first words\nlast words\n');
    await removePod('fallback');
  });

  test('a failing exec liveness probe restarts the container, with the event "failed liveness probe, will be restarted"', async () => {
    await apply(podManifest('live', {
      terminationGracePeriodSeconds: 2,
      containers: [container('app', SLEEP_LOOP, { livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 } })],
    }));
    const p = await poll('live restarted', () => getPod('live'), (v) => (status(v, 'app')?.restartCount ?? 0) >= 1, 90_000);
    assert.equal(status(p, 'app')!.lastState?.terminated !== undefined, true);
    const events = await poll('liveness events', () => podEvents('live'), (es) => es.some((e) => e.reason === 'Killing'));
    const killing = events.find((e) => e.reason === 'Killing')!;
    assert.match(killing.message ?? '', /^Container app failed liveness probe, will be restarted$/);
    assert.equal(killing.involvedObject?.fieldPath, 'spec.containers{app}');
    const unhealthy = events.find((e) => e.reason === 'Unhealthy');
    assert.ok(unhealthy, JSON.stringify(events));
    assert.equal(unhealthy.type, 'Warning');
    assert.match(unhealthy.message ?? '', /^Liveness probe failed:/);
    await poll('restartCount grows', () => getPod('live'), (v) => (status(v, 'app')?.restartCount ?? 0) >= 2, 90_000);
    await removePod('live');
  });

  test('an exec readiness probe toggles the Ready condition both ways as its file comes and goes (kubectl exec)', async () => {
    await apply(podManifest('ready', {
      containers: [container('app', SLEEP_LOOP, { readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 } })],
    }));
    let p = await waitRunning('ready');
    // Running but not ready: no file yet.
    await poll('ready probed and failing', () => podEvents('ready'), (es) => es.some((e) => e.reason === 'Unhealthy' && /^Readiness probe failed:/.test(e.message ?? '')));
    p = await getPod('ready');
    assert.equal(condition(p, 'Ready'), 'False');
    assert.equal(condition(p, 'ContainersReady'), 'False');
    assert.equal(status(p, 'app')!.ready, false);
    await exec('ready', ['touch', '/tmp/ready']);
    await k.ok(['wait', '--for=condition=Ready', 'pod/ready', '--timeout=60s']);
    p = await getPod('ready');
    assert.equal(condition(p, 'Ready'), 'True');
    assert.equal(status(p, 'app')!.ready, true);
    assert.match(await k.ok(['get', 'pod', 'ready', '--no-headers']), /^ready\s+1\/1\s+Running\s+0\s/);
    await exec('ready', ['rm', '/tmp/ready']);
    p = await poll('Ready False again', () => getPod('ready'), (v) => condition(v, 'Ready') === 'False');
    assert.equal(status(p, 'app')!.ready, false);
    assert.equal(status(p, 'app')!.restartCount, 0, 'readiness never restarts');
    assert.match(await k.ok(['get', 'pod', 'ready', '--no-headers']), /^ready\s+0\/1\s+Running\s+0\s/);
    await removePod('ready');
  });

  test('init containers run first and in order; the app container sees the order in a shared emptyDir', async () => {
    const mount = { volumeMounts: [{ name: 'work', mountPath: '/work' }] };
    await apply(podManifest('init', {
      restartPolicy: 'Never',
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers: [
        container('first', 'sleep 1; echo first >> /work/order', mount),
        container('second', 'echo second >> /work/order', mount),
      ],
      containers: [container('app', 'echo app >> /work/order; cat /work/order', mount)],
    }));
    const p = await poll('init Succeeded', () => getPod('init'), (v) => v.status.phase === 'Succeeded', 90_000);
    assert.equal(await k.ok(['logs', 'init', '-c', 'app']), 'first\nsecond\napp\n');
    for (const name of ['first', 'second']) {
      const t = status(p, name)?.state.terminated;
      assert.equal(t?.reason, 'Completed', name);
      assert.equal(t?.exitCode, 0, name);
    }
    const first = status(p, 'first')!.state.terminated!;
    const second = status(p, 'second')!.state.terminated!;
    const app = status(p, 'app')!.state.terminated!;
    assert.ok(Date.parse(second.startedAt!) >= Date.parse(first.finishedAt!), 'second starts after first finished');
    assert.ok(Date.parse(app.startedAt!) >= Date.parse(second.finishedAt!), 'app starts after second finished');
    assert.equal(condition(p, 'Initialized'), 'True');
    await removePod('init');
  });

  test('a failing init container (restartPolicy Never) fails the pod; the app container never starts', async () => {
    await apply(podManifest('init-fail', {
      restartPolicy: 'Never',
      initContainers: [container('setup', 'echo setting up; exit 3')],
      containers: [container('app', 'echo app ran')],
    }));
    const p = await poll('init-fail Failed', () => getPod('init-fail'), (v) => v.status.phase === 'Failed', 90_000);
    const t = status(p, 'setup')?.state.terminated;
    assert.equal(t?.exitCode, 3);
    assert.equal(t?.reason, 'Error');
    const app = status(p, 'app')!;
    assert.equal(app.state.running, undefined);
    assert.equal(app.state.terminated, undefined, 'the app container never ran');
    assert.equal(condition(p, 'Initialized'), 'False');
    assert.match(await k.ok(['get', 'pod', 'init-fail', '--no-headers']), /^init-fail\s+0\/1\s+Init:Error\s/);
    await removePod('init-fail');
  });

  test('ConfigMap and Secret as env (valueFrom and envFrom), with downward API env', async () => {
    await k.ok(['create', 'configmap', 'env-config', '--from-literal=color=blue', '--from-literal=size=large']);
    await k.ok(['create', 'secret', 'generic', 'env-secret', '--from-literal=password=s3cret', '--from-literal=user=admin']);
    await apply(podManifest('envs', {
      restartPolicy: 'Never',
      containers: [container('app', 'env | sort', {
        env: [
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'env-config', key: 'color' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'password' } } },
          { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'env-config', key: 'nope', optional: true } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        ],
        envFrom: [{ configMapRef: { name: 'env-config' }, prefix: 'CFG_' }, { secretRef: { name: 'env-secret' } }],
        resources: { limits: { memory: '32Mi' } },
      })],
    }));
    await poll('envs Succeeded', () => getPod('envs'), (v) => v.status.phase === 'Succeeded', 90_000);
    const lines = (await k.ok(['logs', 'envs'])).split('\n');
    const podIP = ((await getPod('envs')).status as { podIP?: string }).podIP ?? '';
    assert.match(podIP, /^10\.247\./, 'an address of the cluster CIDR');
    for (const want of ['COLOR=blue', 'PASSWORD=s3cret', 'CFG_color=blue', 'CFG_size=large', 'password=s3cret', 'user=admin',
      'POD_NAME=envs', 'NODE_NAME=node-1', `POD_IP=${podIP}`, 'MEM_LIMIT=32']) {
      assert.ok(lines.includes(want), `${want} in:\n${lines.join('\n')}`);
    }
    assert.ok(!lines.some((l) => l.startsWith('MISSING=')), 'an optional missing key sets nothing');
    await removePod('envs');
  });

  test('ConfigMap and Secret volumes follow updates of their objects (kubectl apply, kubectl patch)', async () => {
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vol-config' }, data: { color: 'blue' } });
    await apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vol-secret' }, stringData: { password: 'first' } });
    await apply(podManifest('vols', {
      volumes: [
        { name: 'config', configMap: { name: 'vol-config' } },
        { name: 'secret', secret: { secretName: 'vol-secret', defaultMode: 0o400 } },
      ],
      containers: [container('app', SLEEP_LOOP, { volumeMounts: [
        { name: 'config', mountPath: '/etc/config' }, { name: 'secret', mountPath: '/etc/secret', readOnly: true },
        { name: 'config', mountPath: '/etc/color.conf', subPath: 'color' },
      ] })],
    }));
    await waitRunning('vols');
    assert.equal(await exec('vols', ['cat', '/etc/config/color']), 'blue');
    assert.equal(await exec('vols', ['cat', '/etc/secret/password']), 'first');
    assert.equal(await exec('vols', ['cat', '/etc/color.conf']), 'blue');
    assert.match(await exec('vols', ['stat', '-L', '-c', '%a', '/etc/secret/password']), /^400\s*$/);
    const ro = await k(['exec', 'vols', '--', 'sh', '-c', 'echo x > /etc/config/color']);
    assert.notEqual(ro.code, 0, 'a configMap volume is read-only');

    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vol-config' }, data: { color: 'green', shape: 'round' } });
    await k.ok(['patch', 'secret', 'vol-secret', '--type', 'merge', '-p', JSON.stringify({ data: { password: Buffer.from('second').toString('base64') } })]);
    await poll('configMap volume updated', () => exec('vols', ['cat', '/etc/config/color']), (s) => s === 'green', 90_000);
    assert.equal(await exec('vols', ['cat', '/etc/config/shape']), 'round', 'a new key appears');
    assert.equal(await exec('vols', ['cat', '/etc/color.conf']), 'blue', 'a subPath mount does not follow updates (as upstream)');
    await poll('secret volume updated', () => exec('vols', ['cat', '/etc/secret/password']), (s) => s === 'second', 90_000);

    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vol-config' }, data: { color: 'green' } });
    await poll('a removed key disappears', () => k(['exec', 'vols', '--', 'ls', '/etc/config']), (r) => r.code === 0 && r.stdout.split(/\s+/).filter(Boolean).join(',') === 'color', 90_000);

    // The object gone: the volume keeps its last contents, the pod keeps running, FailedMount says why.
    await k.ok(['delete', 'configmap', 'vol-config']);
    await poll('FailedMount for the deleted configMap', () => podEvents('vols'),
      (es) => es.some((e) => e.reason === 'FailedMount' && /configmap "vol-config" not found/.test(e.message ?? '')), 90_000);
    assert.equal(await exec('vols', ['cat', '/etc/config/color']), 'green');
    const p = await getPod('vols');
    assert.equal(p.status.phase, 'Running');
    assert.equal(status(p, 'app')!.restartCount, 0);
    await removePod('vols');
  });

  test('an emptyDir is shared between two containers of a pod', async () => {
    const mount = { volumeMounts: [{ name: 'shared', mountPath: '/shared' }] };
    await apply(podManifest('share', {
      volumes: [{ name: 'shared', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory' } }],
      containers: [
        container('writer', `echo hello from writer > /shared/msg; ${SLEEP_LOOP}`, mount),
        container('reader', SLEEP_LOOP, { volumeMounts: [...mount.volumeMounts, { name: 'mem', mountPath: '/mem' }] }),
      ],
    }));
    await waitRunning('share');
    assert.equal(await poll('reader sees the file', () => exec('share', ['cat', '/shared/msg'], 'reader'), (s) => s.length > 0), 'hello from writer\n');
    await exec('share', ['sh', '-c', 'echo reply > /shared/back'], 'reader');
    assert.equal(await exec('share', ['cat', '/shared/back'], 'writer'), 'reply\n');
    const mounts = await exec('share', ['cat', '/proc/mounts'], 'reader');
    assert.match(mounts, /^tmpfs \/mem tmpfs /m, 'medium Memory is a tmpfs');
    await removePod('share');
  });

  test('downward API files: labels, annotations, name, namespace and a resource limit; labels follow updates', async () => {
    await apply(podManifest('dw', {
      volumes: [{
        name: 'info', downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
            { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
            { path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } },
            { path: 'mem_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
          ],
        },
      }],
      containers: [container('app', SLEEP_LOOP, { resources: { limits: { memory: '64Mi' } }, volumeMounts: [{ name: 'info', mountPath: '/etc/podinfo' }] })],
    }, { labels: { app: 'web', tier: 'front' }, annotations: { 'example.com/owner': 'team-a' } }));
    await waitRunning('dw');
    const read = (f: string) => exec('dw', ['cat', `/etc/podinfo/${f}`]);
    assert.equal(await read('labels'), 'app="web"\ntier="front"');
    assert.match(await read('annotations'), /^example\.com\/owner="team-a"$/m);
    assert.equal(await read('name'), 'dw');
    assert.equal(await read('namespace'), 'default');
    assert.equal(await read('mem_limit'), '64');
    await k.ok(['label', 'pod', 'dw', 'tier=back', '--overwrite']);
    await poll('labels file updated', () => read('labels'), (s) => s === 'app="web"\ntier="back"', 90_000);
    await removePod('dw');
  });

  describe('deletion', () => {
    let host: ReturnType<typeof tempDir>;
    before(() => {
      host = tempDir('capstan-e2el-host-');
    });
    after(() => host?.remove());

    const hostVolume = () => ({ name: 'host', hostPath: { path: host.path, type: 'Directory' } });

    test('kubectl delete pod sends SIGTERM: the trap writes to a hostPath file before the container exits', async () => {
      const signal = join(host.path, 'signal');
      const started = join(host.path, 'term-started');
      await apply(podManifest('term', {
        terminationGracePeriodSeconds: 30,
        volumes: [hostVolume()],
        containers: [container('app', "trap 'echo TERM >> /host/signal; exit 0' TERM; echo up > /host/term-started; while true; do sleep 1 & wait; done", {
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        })],
      }));
      await waitRunning('term');
      await poll('the trap is set', async () => existsSync(started), (v) => v);
      const uid = await k.ok(['get', 'pod', 'term', '-o', 'jsonpath={.metadata.uid}']);
      const podCgroups = () => ['', 'burstable/', 'besteffort/'].map((q) => `/sys/fs/cgroup/pids/kubepods/${q}pod${uid}`).filter((d) => existsSync(d));
      assert.equal(podCgroups().length, 1, 'the pod has its pod-level cgroup while it runs');
      const t0 = Date.now();
      await k.ok(['delete', 'pod', 'term', '--timeout=60s']);
      const took = Date.now() - t0;
      assert.equal(readFileSync(signal, 'utf8'), 'TERM\n');
      assert.ok(took < 25_000, `a container that exits on TERM does not wait out its 30 s grace period (took ${took} ms)`);
      await poll('the pod-level cgroup is removed with the pod', async () => podCgroups(), (dirs) => dirs.length === 0);
    });

    test('a container that ignores SIGTERM is killed after its terminationGracePeriodSeconds (3 s)', async () => {
      const started = join(host.path, 'ignore-started');
      await apply(podManifest('stubborn', {
        terminationGracePeriodSeconds: 3,
        volumes: [hostVolume()],
        containers: [container('app', "trap '' TERM; echo up > /host/ignore-started; while true; do sleep 1; done", {
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        })],
      }));
      await waitRunning('stubborn');
      await poll('the trap is set', async () => existsSync(started), (v) => v);
      const t0 = Date.now();
      await k.ok(['delete', 'pod', 'stubborn', '--timeout=60s']);
      const took = Date.now() - t0;
      assert.ok(took >= 3_000, `the kubelet waits out the grace period before SIGKILL (took ${took} ms)`);
      assert.ok(took < 20_000, `and kills the container soon after it (took ${took} ms, grace period 3 s, default 30 s)`);
      await poll('the Killing event', () => podEvents('stubborn'), (es) => es.some((e) => e.reason === 'Killing' && e.message === 'Stopping container app'));
    });
  });
});
