import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { containerConfigFor } from './container-config.js';
import { CreateContainerConfigError } from './errors.js';
import { MemoryObjectSource } from './object-source.js';
import { testNode, testPod } from './test-fixtures.js';
import type { MountedVolume } from '../volumes/container-mounts.js';

let root = '';
after(async () => { if (root) await rm(root, { recursive: true, force: true }); });

test('container config: env, expanded command and args, mounts, resources, security, labels, log path', async () => {
  root = await mkdtemp(path.join(tmpdir(), 'container-config-'));
  const data = path.join(root, 'data');
  await mkdir(data);
  const pod = testPod({
    securityContext: { runAsNonRoot: true, fsGroup: 2000 },
    containers: [{
      name: 'app', image: 'busybox:1.36', command: ['sh', '-c'], args: ['echo $(GREETING) $(POD_NAME)'], workingDir: '/work', tty: true, stdin: true,
      env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'GREETING', value: 'hello-$(POD_NAME)' }],
      resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '200m', memory: '2Gi' } },
      volumeMounts: [{ name: 'data', mountPath: '/data', subPathExpr: '$(POD_NAME)' }],
      terminationMessagePath: '/dev/termination-log',
    }],
  });
  const volumes = new Map<string, MountedVolume>([['data', { name: 'data', plugin: 'kubernetes.io~empty-dir', hostPath: data, mustMountReadOnly: false }]]);
  const cfg = await containerConfigFor(pod, pod.spec!.containers![0]!, {
    node: testNode(), objects: new MemoryObjectSource(), podIPs: ['10.42.0.7'], restartCount: 2, imageRef: 'sha256:abc', imageUser: '1000', volumes,
    podContainerDir: path.join(root, 'containers/app'),
  });
  assert.equal(cfg.name, 'app');
  assert.equal(cfg.attempt, 2);
  assert.equal(cfg.image, 'busybox:1.36');
  assert.equal(cfg.imageRef, 'sha256:abc');
  assert.deepEqual(cfg.command, ['sh', '-c']);
  assert.deepEqual(cfg.args, ['echo hello-web web']);
  assert.deepEqual(cfg.env, [{ name: 'POD_NAME', value: 'web' }, { name: 'GREETING', value: 'hello-web' }]);
  assert.equal(cfg.workingDir, '/work');
  assert.equal(cfg.tty, true);
  assert.equal(cfg.stdin, true);
  assert.equal(cfg.logPath, 'app/2.log');
  assert.deepEqual(cfg.mounts![0], { containerPath: '/data', hostPath: path.join(data, 'web'), readonly: false, propagation: 'private' });
  const term = cfg.mounts![1]!;
  assert.equal(term.containerPath, '/dev/termination-log');
  assert.equal((await stat(term.hostPath)).mode & 0o777, 0o666);
  assert.deepEqual(cfg.resources, { cpuShares: 102, cpuPeriod: 100000, cpuQuota: 20000, memoryLimitInBytes: 2 * 1024 ** 3, oomScoreAdj: 750 });
  assert.equal(cfg.securityContext!.runAsUser, 1000);
  assert.deepEqual(cfg.securityContext!.supplementalGroups, [2000]);
  assert.equal(cfg.labels!['io.kubernetes.container.name'], 'app');
  assert.equal(cfg.annotations!['io.kubernetes.container.restartCount'], '2');
});

test('container config errors are CreateContainerConfigError', async () => {
  const pod = testPod({ securityContext: { runAsNonRoot: true } });
  const ctx = { node: testNode(), objects: new MemoryObjectSource(), podIPs: [], restartCount: 0, volumes: new Map() };
  await assert.rejects(containerConfigFor(pod, pod.spec!.containers![0]!, ctx), (e: unknown) => e instanceof CreateContainerConfigError && /image will run as root/.test(e.message));
  const mounts = testPod({ containers: [{ name: 'app', volumeMounts: [{ name: 'x', mountPath: '/x' }] }] });
  await assert.rejects(containerConfigFor(mounts, mounts.spec!.containers![0]!, ctx), { message: 'cannot find volume "x" to mount into container "app"' });
});
