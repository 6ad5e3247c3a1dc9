// `capstan server` schedules by itself: its scheduler (on a thread of its own, talking HTTPS to the
// server) takes the kube-system/kube-scheduler Lease, binds a pod to the only Ready node, and the
// server still shuts down cleanly on SIGTERM. `capstan scheduler` does the same against a server
// started with --disable-scheduler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, spawnServer, tempDir } from '../support/server.js';
import { Client, transportFromKubeconfig } from '../../src/client/index.js';
import type { KubeObject, Pod } from '../../src/api/index.js';
import { PODS, NODES, LEASES } from '../support/resources.js';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One Ready node `only` and a pending pod `p`; resolves with the node the pod was bound to. */
async function podBound(client: Client): Promise<string> {
  const nodes = client.resource(NODES);
  await nodes.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'only', labels: { 'kubernetes.io/hostname': 'only' } } } as KubeObject);
  const resources = { cpu: '4', memory: '8Gi', pods: '110' };
  await nodes.patch('', 'only', 'merge', { status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok' }] } }, 'status');
  await client.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'pause' }] } } as KubeObject);
  return until('the pod bound', async () => ((await client.resource(PODS).get('default', 'p')) as Pod).spec?.nodeName || undefined);
}

test('capstan server runs a leader-elected scheduler that binds pods', { timeout: 120_000 }, async () => {
  const dir = tempDir('capstan-server-sched-');
  const server = await spawnServer(dir.path);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'server-scheduler-test' }));
  try {
    assert.equal(await podBound(client), 'only');
    const lease = await client.resource(LEASES).get('kube-system', 'kube-scheduler') as { spec?: { holderIdentity?: string } };
    assert.ok(lease.spec?.holderIdentity, 'the scheduler holds the kube-scheduler Lease');
    assert.match(server.logs(), /scheduler: leading as /);
  } finally {
    client.close();
    const code = await server.terminate();
    dir.remove();
    assert.equal(code, 0, `clean shutdown on SIGTERM:\n${server.logs()}`);
  }
});

test('capstan scheduler schedules for a server started with --disable-scheduler and stops on SIGTERM', { timeout: 120_000 }, async () => {
  const dir = tempDir('capstan-cli-sched-');
  const server = await spawnServer(dir.path, 0, ['--disable-scheduler', '--disable-controller-manager']);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'cli-scheduler-test' }));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'scheduler', '--kubeconfig', server.kubeconfig], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    assert.equal(await podBound(client), 'only');
    assert.match(stderr, /capstan scheduler: leading as /);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /capstan scheduler: stopped/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    client.close();
    await server.terminate();
    dir.remove();
  }
});
