// httpGet probes with scheme HTTPS: the prober does not verify the server's certificate (upstream
// InsecureSkipVerify), so a self-signed serving certificate on 127.0.0.1 is probed fine.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadOrCreatePki } from '../../src/apiserver/index.js';
import { FakeRuntime } from '../../src/runtime/index.js';
import { runHandler } from '../../src/kubelet/index.js';

const dir = mkdtempSync(join(tmpdir(), 'capstan-https-probe-'));
const pki = await loadOrCreatePki(dir, { hostnames: [], ips: [] });
const server = https.createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
  res.statusCode = req.url === '/healthz' ? 200 : 503;
  res.end(req.url === '/healthz' ? 'ok' : 'not yet');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test('httpGet over HTTPS: certificate not verified, status codes decide', async () => {
  const target = { runtime: new FakeRuntime(), containerId: 'unused', container: { name: 'c' }, podIP: '127.0.0.1' };
  assert.deepEqual(await runHandler({ httpGet: { scheme: 'HTTPS', port, path: '/healthz' } }, target, 2000), { result: 'success', output: 'ok' });
  assert.deepEqual(await runHandler({ httpGet: { scheme: 'HTTPS', port, path: '/other' } }, target, 2000), { result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
});
