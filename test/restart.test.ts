// Acceptance: objects, resourceVersions, the CA and the kubeconfig survive a restart (clean
// SIGTERM shutdown), and kubectl keeps working with the same kubeconfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnServer, tempDir } from './support/server.js';
import { kubectl, kubectlAvailable } from './support/kubectl.js';

test('state, CA and kubeconfig survive a restart', { skip: !kubectlAvailable('1.33') && 'kubectl.1.33 not installed', timeout: 120_000 }, async () => {
  const dir = tempDir('capstan-restart-');
  let server = await spawnServer(dir.path);
  try {
    const k = kubectl('1.33', server.kubeconfig, join(dir.path, 'cache'));
    await k.ok(['create', 'namespace', 'keep']);
    await k.ok(['create', 'configmap', 'c1', '-n', 'keep', '--from-literal=a=1']);
    await k.ok(['create', 'deployment', 'd1', '-n', 'keep', '--image=nginx:1.25', '--replicas=2']);
    const before = JSON.parse(await k.ok(['get', 'configmaps,deployments,services', '-A', '-o', 'json']));
    const caBefore = readFileSync(join(dir.path, 'server', 'tls', 'server-ca.crt'), 'utf8');
    const kubeconfigBefore = readFileSync(server.kubeconfig, 'utf8');

    const code = await server.terminate();
    assert.equal(code, 0, `clean shutdown on SIGTERM:\n${server.logs()}`);
    server = await spawnServer(dir.path, server.port);

    assert.equal(readFileSync(join(dir.path, 'server', 'tls', 'server-ca.crt'), 'utf8'), caBefore, 'the CA is kept');
    assert.equal(readFileSync(server.kubeconfig, 'utf8'), kubeconfigBefore, 'the kubeconfig is unchanged');
    const after = JSON.parse(await k.ok(['get', 'configmaps,deployments,services', '-A', '-o', 'json']));
    const key = (i: any) => `${i.kind}/${i.metadata.namespace}/${i.metadata.name}@${i.metadata.resourceVersion}:${i.metadata.uid}`;
    assert.deepEqual(after.items.map(key).sort(), before.items.map(key).sort(), 'same objects, same resourceVersions and uids');
    assert.equal(await k.ok(['get', 'configmap', 'c1', '-n', 'keep', '-o', 'jsonpath={.data.a}']), '1');
    await k.ok(['create', 'configmap', 'c2', '-n', 'keep']);
    const rv2 = Number(await k.ok(['get', 'configmap', 'c2', '-n', 'keep', '-o', 'jsonpath={.metadata.resourceVersion}']));
    const maxBefore = Math.max(...before.items.map((i: any) => Number(i.metadata.resourceVersion)));
    assert.ok(rv2 > maxBefore, 'revisions continue past the old ones');
  } finally {
    await server.kill9().catch(() => undefined);
    dir.remove();
  }
});
