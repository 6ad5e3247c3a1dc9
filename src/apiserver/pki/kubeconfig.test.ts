import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderKubeconfig, writeKubeconfig } from './kubeconfig.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const opts = { server: 'https://127.0.0.1:6443', caPem: 'CA PEM\n', clientCertPem: 'CERT PEM\n', clientKeyPem: 'KEY PEM\n' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('renderKubeconfig produces the k3s shape', () => {
  assert.deepEqual(parse(renderKubeconfig(opts)), {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64('CA PEM\n'), server: 'https://127.0.0.1:6443' }, name: 'default' }],
    contexts: [{ context: { cluster: 'default', user: 'default' }, name: 'default' }],
    'current-context': 'default',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'default', user: { 'client-certificate-data': b64('CERT PEM\n'), 'client-key-data': b64('KEY PEM\n') } }],
  });
  const named = parse(renderKubeconfig({ ...opts, name: 'capstan' })) as { 'current-context': string; users: { name: string }[] };
  assert.equal(named['current-context'], 'capstan');
  assert.equal(named.users[0]!.name, 'capstan');
});

test('writeKubeconfig creates parents, writes mode 0600 and leaves no temporary files', async () => {
  const root = await mkdtemp(join(tmpdir(), 'capstan-kubeconfig-'));
  try {
    const path = join(root, 'etc', 'capstan', 'capstan.yaml');
    await writeKubeconfig(path, 'first');
    await writeKubeconfig(path, renderKubeconfig(opts));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readFile(path, 'utf8'), renderKubeconfig(opts));
    assert.deepEqual(await readdir(join(root, 'etc', 'capstan')), ['capstan.yaml']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('kubectl reads the kubeconfig', { skip: !existsSync(KUBECTL) && 'kubectl 1.33 not installed' }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'capstan-kubeconfig-'));
  try {
    const path = join(root, 'kubeconfig.yaml');
    await writeKubeconfig(path, renderKubeconfig(opts));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(KUBECTL, ['--kubeconfig', path, 'config', 'view', '--raw', '-o', 'json'], { timeout: 20_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    const cfg = JSON.parse(out) as {
      'current-context': string;
      clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    };
    assert.equal(cfg['current-context'], 'default');
    assert.equal(cfg.clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
    assert.equal(cfg.clusters[0]!.cluster['certificate-authority-data'], b64('CA PEM\n'));
    assert.equal(cfg.users[0]!.user['client-key-data'], b64('KEY PEM\n'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
