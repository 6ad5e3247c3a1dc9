import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, readFile, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki, PKI_FILES, servingSans, type PkiOptions } from './pki.js';
import { certificateSans, isSignedBy } from './certs.js';
import { x509 } from './x509.js';

const DAY = 24 * 60 * 60 * 1000;
const opts: PkiOptions = { hostnames: ['node-1'], ips: ['10.0.0.5'], serviceIP: '10.43.0.1' };

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-pki-'));
  try {
    await fn(join(dir, 'tls'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const cert = (pem: string) => new x509.X509Certificate(pem);

test('first call creates CA, serving and admin credentials on disk', () => withDir(async (dir) => {
  const before = Math.floor(Date.now() / 1000);
  const pki = await loadOrCreatePki(dir, opts);
  assert.deepEqual(pki.generated, { ca: true, server: true, admin: true });

  for (const f of Object.values(PKI_FILES)) {
    const st = await stat(join(dir, f));
    assert.equal(st.mode & 0o777, f.endsWith('.key') ? 0o600 : 0o644, f);
  }
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  assert.equal(await readFile(join(dir, PKI_FILES.caCert), 'utf8'), pki.caCertPem);

  const ca = cert(pki.caCertPem);
  const m = /^CN=capstan-server-ca@(\d+)$/.exec(ca.subject);
  assert.ok(m, ca.subject);
  assert.ok(Number(m[1]) >= before && Number(m[1]) <= Date.now() / 1000 + 1);
  assert.equal(ca.getExtension(x509.BasicConstraintsExtension)?.ca, true);
  const caDays = (ca.notAfter.getTime() - ca.notBefore.getTime()) / DAY;
  assert.ok(caDays >= 3649 && caDays <= 3651, String(caDays));

  const server = cert(pki.serverCertPem);
  assert.ok(await isSignedBy(server, ca));
  assert.deepEqual(certificateSans(server), {
    dnsNames: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost', 'node-1'],
    ips: ['10.0.0.5', '10.43.0.1', '127.0.0.1', '::1'],
  });
  const usages = server.getExtension(x509.ExtendedKeyUsageExtension)?.usages;
  assert.deepEqual([...(usages ?? [])], [x509.ExtendedKeyUsage.serverAuth]);
  const serverDays = (server.notAfter.getTime() - Date.now()) / DAY;
  assert.ok(serverDays > 364 && serverDays <= 365, String(serverDays));

  const admin = cert(pki.adminCertPem);
  assert.ok(await isSignedBy(admin, ca));
  assert.equal(admin.subjectName.getField('CN')[0], 'system:admin');
  assert.deepEqual(admin.subjectName.getField('O'), ['system:masters']);
  assert.deepEqual([...(admin.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [])], [x509.ExtendedKeyUsage.clientAuth]);
}));

test('later calls load the same credentials; a SAN change reissues only the serving certificate', () => withDir(async (dir) => {
  const first = await loadOrCreatePki(dir, opts);
  const second = await loadOrCreatePki(dir, { ...opts, hostnames: ['NODE-1'], ips: ['10.0.0.5', '127.0.0.1'] });
  assert.deepEqual(second.generated, { ca: false, server: false, admin: false });
  assert.equal(second.caCertPem, first.caCertPem);
  assert.equal(second.serverCertPem, first.serverCertPem);
  assert.equal(second.serverKeyPem, first.serverKeyPem);
  assert.equal(second.adminKeyPem, first.adminKeyPem);

  const third = await loadOrCreatePki(dir, { ...opts, hostnames: ['node-1', 'api.example.com'] });
  assert.deepEqual(third.generated, { ca: false, server: true, admin: false });
  assert.equal(third.caCertPem, first.caCertPem);
  assert.equal(third.adminCertPem, first.adminCertPem);
  assert.notEqual(third.serverKeyPem, first.serverKeyPem);
  assert.ok(certificateSans(cert(third.serverCertPem)).dnsNames.includes('api.example.com'));
  assert.equal(await readFile(join(dir, PKI_FILES.serverCert), 'utf8'), third.serverCertPem);

  const dropServiceIP = await loadOrCreatePki(dir, { hostnames: ['node-1', 'api.example.com'], ips: ['10.0.0.5'] });
  assert.equal(dropServiceIP.generated.server, true);
}));

test('certificates expiring within 90 days are reissued; the CA is kept', () => withDir(async (dir) => {
  const longAgo = new Date(Date.now() - 300 * DAY);
  const old = await loadOrCreatePki(dir, { ...opts, now: () => longAgo });
  assert.ok(cert(old.serverCertPem).notAfter.getTime() - Date.now() < 90 * DAY);
  const now = await loadOrCreatePki(dir, opts);
  assert.deepEqual(now.generated, { ca: false, server: true, admin: true });
  assert.equal(now.caCertPem, old.caCertPem);
  assert.ok(cert(now.serverCertPem).notAfter.getTime() - Date.now() > 300 * DAY);
}));

test('a serving key that no longer matches its certificate is replaced', () => withDir(async (dir) => {
  await loadOrCreatePki(dir, opts);
  await writeFile(join(dir, PKI_FILES.serverKey), await readFile(join(dir, PKI_FILES.adminKey), 'utf8'));
  const pki = await loadOrCreatePki(dir, opts);
  assert.deepEqual(pki.generated, { ca: false, server: true, admin: false });
}));

test('an incomplete CA is an error, not silently replaced', () => withDir(async (dir) => {
  await loadOrCreatePki(dir, opts);
  await unlink(join(dir, PKI_FILES.caKey));
  await assert.rejects(loadOrCreatePki(dir, opts), /cluster CA .* is incomplete/);
}));

test('issueClientCertificate signs client certificates with the cluster CA', () => withDir(async (dir) => {
  const pki = await loadOrCreatePki(dir, opts);
  const kubelet = await pki.issueClientCertificate({ commonName: 'system:node:worker-1', organizations: ['system:nodes'], days: 30 });
  const c = cert(kubelet.certPem);
  assert.ok(await isSignedBy(c, cert(pki.caCertPem)));
  assert.equal(c.subject, 'CN=system:node:worker-1, O=system:nodes');
  const days = (c.notAfter.getTime() - Date.now()) / DAY;
  assert.ok(days > 29 && days <= 30, String(days));
  assert.match(kubelet.keyPem, /^-----BEGIN PRIVATE KEY-----/);
}));

test('servingSans puts IP-looking hostnames among the IPs and rejects bad IPs', () => {
  const sans = servingSans({ hostnames: ['192.168.1.10', 'Box'], ips: ['0:0::1', 'fd00::1'], clusterDomain: 'corp' });
  assert.deepEqual(sans.ips, ['127.0.0.1', '::1', '192.168.1.10', 'fd00::1']);
  assert.ok(sans.dnsNames.includes('kubernetes.default.svc.corp'));
  assert.ok(sans.dnsNames.includes('box'));
  assert.throws(() => servingSans({ hostnames: [], ips: ['300.1.1.1'] }), /invalid IP address/);
});
