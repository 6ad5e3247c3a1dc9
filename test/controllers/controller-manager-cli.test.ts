// `capstan controller-manager` alone against `capstan server --disable-controller-manager`:
// `--controllers=replicaset` runs the ReplicaSet controller and not the Deployment controller, the
// process holds the kube-controller-manager Lease, and both processes exit 0 on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, spawnServer, tempDir } from '../support/server.js';
import { Client, transportFromKubeconfig, type KubeList } from '../../src/client/index.js';
import type { KubeObject } from '../../src/api/index.js';
import { PODS, LEASES, DEPLOYMENTS, REPLICASETS } from '../support/resources.js';

const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('capstan controller-manager --controllers=replicaset runs only the ReplicaSet controller', { timeout: 180_000 }, async () => {
  const dir = tempDir('capstan-cm-cli-');
  const server = await spawnServer(dir.path, 0, ['--disable-controller-manager']);
  const client = new Client(transportFromKubeconfig(server.kubeconfig, { userAgent: 'cm-cli-test' }));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'controller-manager', '--kubeconfig', server.kubeconfig, '--controllers=replicaset'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { logs += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await until('the controller manager leads', async () => logs, (l) => /leading as /.test(l));
    assert.match(logs, /ready \(replicaset\); campaigning for kube-system\/kube-controller-manager/);
    await client.resource(DEPLOYMENTS).create('default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dep' }, spec: { replicas: 1, selector: { matchLabels: { app: 'dep' } }, template: template('dep') } } as KubeObject);
    await client.resource(REPLICASETS).create('default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 2, selector: { matchLabels: { app: 'rs' } }, template: template('rs') } } as KubeObject);
    await until('2 pods of the ReplicaSet', async () => ((await client.resource(PODS).list('default', { labelSelector: 'app=rs' })) as KubeList).items.length, (n) => n === 2);
    const lease = await client.resource(LEASES).get('kube-system', 'kube-controller-manager') as { spec?: { holderIdentity?: string } };
    assert.ok(lease.spec?.holderIdentity);
    // The Deployment controller is disabled: its Deployment gets no ReplicaSet.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(((await client.resource(REPLICASETS).list('default', { labelSelector: 'app=dep' })) as KubeList).items.length, 0);
  } finally {
    child.kill('SIGTERM');
    const cmCode = await exited;
    client.close();
    const code = await server.terminate();
    dir.remove();
    assert.equal(cmCode, 0, `controller manager exits 0 on SIGTERM:\n${logs}`);
    assert.equal(code, 0, `server exits 0 on SIGTERM:\n${server.logs()}`);
  }
});
