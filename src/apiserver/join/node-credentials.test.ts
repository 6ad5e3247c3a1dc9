// The join endpoints against a real CA: /cacerts, 401 on a wrong secret, certificates for the
// CSRs with the subject and SANs the server chooses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyAndCsr, loadOrCreatePki, type Pki } from '../pki/index.js';
import { certificateSans, isSignedBy } from '../pki/certs.js';
import { x509 } from '../pki/x509.js';
import type { ApiRequest } from '../http/types.js';
import { checkNodeCertificatesRequest, joinRoutes, NODE_CERTIFICATES_PATH } from './node-credentials.js';

let dir: string;
let pki: Pki;
let routes: ReturnType<typeof joinRoutes>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capstan-join-'));
  pki = await loadOrCreatePki(join(dir, 'tls'), { hostnames: [], ips: [] });
  routes = joinRoutes({ caCertPem: pki.caCertPem, secret: 'sekrit', signCertificateRequest: pki.signCertificateRequest });
});
after(() => rm(dir, { recursive: true, force: true }));

const basic = (secret: string) => `Basic ${Buffer.from(`node:${secret}`).toString('base64')}`;
const post = (body: unknown, auth?: string): ApiRequest => ({
  method: 'POST', url: NODE_CERTIFICATES_PATH, headers: auth ? { authorization: auth } : {}, body: Buffer.from(JSON.stringify(body)), signal: new AbortController().signal,
});

test('GET /cacerts serves the CA PEM; other paths are not the join routes', async () => {
  const r = await routes({ method: 'GET', url: '/cacerts', headers: {}, signal: new AbortController().signal }, '/cacerts');
  assert.equal(r?.status, 200);
  assert.equal(r?.body, pki.caCertPem);
  assert.equal(await routes({ method: 'GET', url: '/api', headers: {}, signal: new AbortController().signal }, '/api'), undefined);
});

test('a wrong or missing secret gets 401 and nothing is signed', async () => {
  const { csrPem } = await createKeyAndCsr('x');
  const body = { nodeName: 'n1', clientCSR: csrPem, servingCSR: csrPem };
  for (const auth of [undefined, basic('wrong'), 'Bearer sekrit']) {
    const r = await routes(post(body, auth), NODE_CERTIFICATES_PATH);
    assert.equal(r?.status, 401);
    assert.equal(JSON.parse(String(r?.body)).reason, 'Unauthorized');
  }
});

test('the right secret gets a client and a serving certificate for the CSR keys', async () => {
  const client = await createKeyAndCsr('whatever-the-node-asks');
  const serving = await createKeyAndCsr('system:node:n1');
  const r = await routes(post({ nodeName: 'n1', clientCSR: client.csrPem, servingCSR: serving.csrPem, hostnames: ['N1.example'], ips: ['10.0.0.9'] }, basic('sekrit')), NODE_CERTIFICATES_PATH);
  assert.equal(r?.status, 200);
  const out = JSON.parse(String(r?.body)) as { caCertificate: string; clientCertificate: string; servingCertificate: string };
  const ca = new x509.X509Certificate(pki.caCertPem);
  const cc = new x509.X509Certificate(out.clientCertificate);
  const sc = new x509.X509Certificate(out.servingCertificate);
  assert.equal(cc.subject, 'CN=system:node:n1, O=system:nodes');
  assert.ok(await isSignedBy(cc, ca));
  assert.ok(await isSignedBy(sc, ca));
  assert.deepEqual(certificateSans(sc), { dnsNames: ['n1', 'n1.example'], ips: ['10.0.0.9'] });
  // The certificate carries the CSR's public key: the node's private key matches it.
  const csrKey = new x509.Pkcs10CertificateRequest(client.csrPem).publicKey.rawData;
  assert.deepEqual(Buffer.from(cc.publicKey.rawData), Buffer.from(csrKey));
});

test('bad requests are 400 with the reason', async () => {
  const { csrPem } = await createKeyAndCsr('x');
  assert.throws(() => checkNodeCertificatesRequest({ nodeName: 'Bad_Name', clientCSR: csrPem, servingCSR: csrPem }), /invalid nodeName/);
  assert.throws(() => checkNodeCertificatesRequest({ nodeName: 'n1', clientCSR: 'x', servingCSR: csrPem }), /clientCSR must be a PEM/);
  assert.throws(() => checkNodeCertificatesRequest({ nodeName: 'n1', clientCSR: csrPem, servingCSR: csrPem, ips: ['nope'] }), /invalid IP/);
  // Change the subject after signing: the self-signature no longer verifies.
  const real = await createKeyAndCsr('node-a');
  const der = Buffer.from(x509.PemConverter.decode(real.csrPem)[0]!);
  const at = der.indexOf(Buffer.from('node-a'));
  der[at + 5] = 'b'.charCodeAt(0);
  const forged = x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
  await assert.rejects(routes(post({ nodeName: 'n1', clientCSR: forged, servingCSR: csrPem }, basic('sekrit')), NODE_CERTIFICATES_PATH), (e: Error & { code?: number }) => /cannot sign/.test(e.message) || e.code === 400);
});

test('with node passwords on, a name is bound to the first password that joined it', async () => {
  const stored = new Map<string, string>();
  const guarded = joinRoutes({
    caCertPem: pki.caCertPem, secret: 'sekrit', signCertificateRequest: pki.signCertificateRequest,
    checkNodePassword: async (name, password) => {
      if (!stored.has(name)) stored.set(name, password);
      return stored.get(name) === password;
    },
  });
  const { csrPem } = await createKeyAndCsr('x');
  const body = (nodePassword?: string) => ({ nodeName: 'n9', clientCSR: csrPem, servingCSR: csrPem, nodePassword });
  await assert.rejects(guarded(post(body(), basic('sekrit')), NODE_CERTIFICATES_PATH), /nodePassword is required/);
  assert.equal((await guarded(post(body('first'), basic('sekrit')), NODE_CERTIFICATES_PATH))?.status, 200);
  assert.equal((await guarded(post(body('first'), basic('sekrit')), NODE_CERTIFICATES_PATH))?.status, 200);
  await assert.rejects(guarded(post(body('second'), basic('sekrit')), NODE_CERTIFICATES_PATH), (e: Error & { code?: number }) => e.code === 403 && /node password rejected for node "n9"/.test(e.message));
});
