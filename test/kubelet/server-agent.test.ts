// `capstan server` without --disable-agent (the README's `npm start`): the server joins itself as
// a node with its own token and runs the kubelet in-process over conmon + runc; a pod from the
// air-gap image runs and `kubectl logs` reads it. Root only. The agent uses the defaults (run dir
// /run/capstan, bridge capstan0, kubelet port 10250) with a cluster CIDR of the test's own;
// `capstan killall` removes what it made, even after a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, spawnServer, tempDir, type ServerProcess } from '../support/server.js';
import { buildBusyboxImage, saveArchive } from '../support/registry.js';
import { kubectl } from '../support/kubectl.js';
import { poll } from '../support/poll.js';

const run = promisify(execFile);
const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/runc') && existsSync('/usr/bin/conmon') && existsSync('/usr/lib/cni/bridge')
  && !existsSync('/run/capstan');

test('capstan server runs a node agent in-process: the server is a Ready node and runs a pod', { skip: !canRun && 'needs root, runc, conmon, the CNI plugins and no other node on this host', timeout: 240_000 }, async () => {
  const dir = tempDir('capstan-server-agent-');
  const cache = tempDir('capstan-kubectl-');
  const image = await buildBusyboxImage({ tag: 'v1' });
  let server: ServerProcess | undefined;
  try {
    mkdirSync(join(dir.path, 'agent', 'images'), { recursive: true });
    await saveArchive('docker-archive', image.ref, join(dir.path, 'agent', 'images', 'busybox.tar'), 'example.com/busybox:v1');
    server = await spawnServer(dir.path, 0, ['--node-name', 'server-node', '--node-ip', '127.0.0.1', '--cluster-cidr', '10.245.0.0/16'], { agent: true });
    const k = kubectl('1.33', server.kubeconfig, cache.path);
    await poll('server-node Ready', async () => (await k(['get', 'node', 'server-node', '--no-headers'])).stdout, (o) => /\sReady\s/.test(o), 90_000);
    assert.match(server.logs(), /agent: ready: node server-node registered/);
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'example.com/busybox:v1', imagePullPolicy: 'Never', command: ['sh', '-c', 'echo hello from $(hostname)'] }] } };
    await k.ok(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    await poll('hello Succeeded', async () => k.ok(['get', 'pod', 'hello', '-o', 'jsonpath={.status.phase}']), (p) => p === 'Succeeded', 90_000);
    assert.equal(await k.ok(['logs', 'hello']), 'hello from hello\n');
    assert.match(await k.ok(['get', 'pod', 'hello', '-o', 'jsonpath={.status.podIP}']), /^10\.245\.\d+\.\d+$/);
  } finally {
    const code = server ? await server.terminate() : undefined;
    await run(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'killall', '--data-dir', dir.path]).catch(() => undefined);
    await image.cleanup().catch(() => undefined);
    dir.remove();
    cache.remove();
    if (server) assert.equal(code, 0, `clean shutdown:\n${server.logs()}`);
  }
});
