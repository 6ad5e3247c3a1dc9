// The generated credentials work with real TLS: Node's https server with the serving pair, a
// client trusting the CA and presenting the admin certificate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:https';
import type { TLSSocket, PeerCertificate } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadOrCreatePki, type Pki } from './pki.js';
import { renderKubeconfig, writeKubeconfig } from './kubeconfig.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

let root: string;
let pki: Pki;
let server: Server;
let port: number;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-tls-'));
  pki = await loadOrCreatePki(join(root, 'tls'), { hostnames: [], ips: [] });
  server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate() as PeerCertificate | Record<string, never>;
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/version')) {
      // Enough of the API for `kubectl version`; answers only verified clients, as the real server would.
      if (!socket.authorized) res.statusCode = 401;
      res.end(JSON.stringify({ major: '1', minor: '33', gitVersion: 'v1.33.0+capstan', platform: 'linux/amd64' }));
      return;
    }
    res.end(JSON.stringify({ authorized: socket.authorized, subject: 'subject' in peer ? peer.subject : null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

interface Reply { authorized: boolean; subject: { CN?: string; O?: string } | null }

function get(opts: { servername?: string; ca?: string; cert?: string; key?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, ...opts }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve(JSON.parse(body) as Reply));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the server verifies the admin client certificate against the CA', async () => {
  const reply = await get({ servername: 'localhost', ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem });
  assert.equal(reply.authorized, true);
  assert.deepEqual(reply.subject, { CN: 'system:admin', O: 'system:masters' });
});

test('clients verify the serving certificate for localhost and 127.0.0.1', async () => {
  assert.equal((await get({ servername: 'localhost', ca: pki.caCertPem })).authorized, false);
  assert.equal((await get({ ca: pki.caCertPem })).subject, null); // by IP: no SNI, IP SAN checked
  const kubernetes = await get({ servername: 'kubernetes.default.svc', ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem });
  assert.equal(kubernetes.authorized, true);
});

test('verification fails for names outside the SANs and for other CAs', async () => {
  await assert.rejects(get({ servername: 'example.com', ca: pki.caCertPem }), /ERR_TLS_CERT_ALTNAME_INVALID|does not match/);
  const otherRoot = await mkdtemp(join(tmpdir(), 'capstan-tls-other-'));
  try {
    const other = await loadOrCreatePki(join(otherRoot, 'tls'), { hostnames: [], ips: [] });
    await assert.rejects(get({ servername: 'localhost', ca: other.caCertPem }), /self.signed|unable to verify|certificate/i);
    const foreign = await get({ servername: 'localhost', ca: pki.caCertPem, cert: other.adminCertPem, key: other.adminKeyPem });
    assert.equal(foreign.authorized, false);
  } finally {
    await rm(otherRoot, { recursive: true, force: true });
  }
});

test('kubectl connects with the admin kubeconfig (ECDSA client certificate, CA-verified server)', { skip: !existsSync(KUBECTL) && 'kubectl 1.33 not installed' }, async () => {
  for (const host of ['localhost', '127.0.0.1']) {
    const path = join(root, `kubeconfig-${host}.yaml`);
    await writeKubeconfig(path, renderKubeconfig({ server: `https://${host}:${port}`, caPem: pki.caCertPem, clientCertPem: pki.adminCertPem, clientKeyPem: pki.adminKeyPem }));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(KUBECTL, ['--kubeconfig', path, 'version', '-o', 'json'], { timeout: 20_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    assert.equal((JSON.parse(out) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion, 'v1.33.0+capstan', host);
  }
});
