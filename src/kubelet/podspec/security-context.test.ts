import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerSecurityContext, effectiveSecurityContext, imageUser, verifyRunAsNonRoot, namespacesForPod, podSysctls } from './security-context.js';
import { CreateContainerConfigError } from './errors.js';
import { testPod } from './test-fixtures.js';

test('container settings override the pod’s field by field', () => {
  const pod = testPod({ securityContext: { runAsUser: 1000, runAsGroup: 2000, runAsNonRoot: true }, containers: [{ name: 'app', securityContext: { runAsUser: 1001, readOnlyRootFilesystem: true } }] });
  assert.deepEqual(effectiveSecurityContext(pod, pod.spec!.containers![0]!), { runAsUser: 1001, runAsGroup: 2000, runAsNonRoot: true, readOnlyRootFilesystem: true });
});

test('the image user as the CRI reports it', () => {
  assert.deepEqual(imageUser(undefined), { uid: 0 });
  assert.deepEqual(imageUser(''), { uid: 0 });
  assert.deepEqual(imageUser('1000'), { uid: 1000 });
  assert.deepEqual(imageUser('1000:1000'), { uid: 1000 });
  assert.deepEqual(imageUser('nobody'), { username: 'nobody' });
  assert.deepEqual(imageUser('nobody:nogroup'), { username: 'nobody' });
});

test('runAsNonRoot verification with upstream messages', () => {
  const pod = testPod({ securityContext: { runAsNonRoot: true } });
  const c = pod.spec!.containers![0]!;
  const fails = (image: { uid?: number; username?: string }, message: string, p = pod) =>
    assert.throws(() => verifyRunAsNonRoot(p, p.spec!.containers![0]!, image), (e: unknown) => e instanceof CreateContainerConfigError && e.message === message);
  fails({ uid: 0 }, 'container has runAsNonRoot and image will run as root (pod: "web_shop(uid-1)", container: app)');
  fails({ username: 'nobody' }, 'container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: "web_shop(uid-1)", container: app)');
  fails({ uid: 1000 }, 'container\'s runAsUser breaks non-root policy (pod: "web_shop(uid-1)", container: app)', testPod({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }));
  verifyRunAsNonRoot(pod, c, { uid: 1000 });
  verifyRunAsNonRoot(testPod({ securityContext: { runAsNonRoot: true, runAsUser: 5 } }), c, { uid: 0 });
  verifyRunAsNonRoot(testPod(), c, { uid: 0 });
});

test('CRI security context: user from image when unset, fsGroup before supplementalGroups, noNewPrivs, capabilities', () => {
  const pod = testPod({
    securityContext: { fsGroup: 3000, supplementalGroups: [4000, 4001] },
    hostPID: true,
    containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, privileged: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true } }],
  });
  assert.deepEqual(containerSecurityContext(pod, pod.spec!.containers![0]!, { uid: 65534 }), {
    capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, privileged: false, readonlyRootfs: true, runAsUser: 65534,
    namespaceOptions: { network: 'pod', pid: 'node', ipc: 'pod' }, supplementalGroups: [3000, 4000, 4001], noNewPrivs: true,
  });
  const named = containerSecurityContext(testPod(), testPod().spec!.containers![0]!, { username: 'nobody' });
  assert.equal(named.runAsUsername, 'nobody');
  assert.equal(named.runAsUser, undefined);
  assert.equal(named.noNewPrivs, false);
});

test('namespaces and sysctls', () => {
  assert.deepEqual(namespacesForPod(testPod()), { network: 'pod', pid: 'container', ipc: 'pod' });
  assert.deepEqual(namespacesForPod(testPod({ hostNetwork: true, hostIPC: true, shareProcessNamespace: true })), { network: 'node', pid: 'pod', ipc: 'node' });
  assert.equal(podSysctls(testPod()), undefined);
  assert.deepEqual(podSysctls(testPod({ securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] } })), { 'net.core.somaxconn': '1024' });
});
