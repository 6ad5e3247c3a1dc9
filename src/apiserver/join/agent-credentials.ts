// The agent's side of joining (k3s agent's bootstrap): trust the cluster CA only if it matches
// the join token's hash, then get a client certificate (user system:node:<name>, group
// system:nodes) and a kubelet serving certificate for CSRs whose keys never leave the node.
// Everything lands in `<data-dir>/agent/` and is reused on restart while it still fits (same
// CA as the token, same node name and serving SANs, more than 90 days left).
import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { join } from 'node:path';
import { createKeyAndCsr } from '../pki/csr.js';
import { readIfExists, writeFileAtomic } from '../pki/files.js';
import { renderKubeconfig } from '../pki/kubeconfig.js';
import { x509 } from '../pki/x509.js';
import { canonicalIP, certificateSans, isSignedBy, sameSans } from '../pki/certs.js';
import { caMatchesToken, caCertHash, parseJoinToken } from './join-token.js';
import { CACERTS_PATH, NODE_CERTIFICATES_PATH, type NodeCertificatesRequest, type NodeCertificatesResponse } from './join-protocol.js';

/** File names under `<data-dir>/agent/` (k3s's). */
export const AGENT_FILES = {
  ca: 'server-ca.crt',
  clientCert: 'client-kubelet.crt',
  clientKey: 'client-kubelet.key',
  servingCert: 'serving-kubelet.crt',
  servingKey: 'serving-kubelet.key',
  kubeconfig: 'kubelet.kubeconfig',
  nodePassword: 'node-password',
} as const;

const RENEW_BEFORE_MS = 90 * 24 * 60 * 60 * 1000;

export interface NodeCredentialsOptions {
  /** `https://HOST:PORT` of a server. */
  server: string;
  token: string;
  dataDir: string;
  nodeName: string;
  /** SANs of the serving certificate besides the node name. */
  hostnames: string[];
  ips: string[];
  log?(msg: string): void;
  now?: () => Date;
}

export interface NodeCredentials {
  dir: string;
  kubeconfigPath: string;
  caPem: string;
  servingCertPem: string;
  servingKeyPem: string;
  /** True when the credentials on disk were reused without asking the server. */
  reused: boolean;
}

/** Thrown when the join must not be retried as is: wrong CA hash, wrong secret, bad request. */
export class JoinRefusedError extends Error {}

interface HttpReply { status: number; body: string }

function httpsCall(url: URL, opts: { method: string; ca?: string; headers?: Record<string, string>; body?: string }): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: opts.method, headers: opts.headers,
      // /cacerts is fetched before anything is trusted; its answer is checked against the token's hash.
      ...(opts.ca ? { ca: opts.ca } : { rejectUnauthorized: false }),
      timeout: 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${opts.method} ${url.href} timed out`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The credentials on disk, if they still fit the options (see file comment). */
async function reusable(dir: string, o: NodeCredentialsOptions, sans: { dnsNames: string[]; ips: string[] }): Promise<NodeCredentials | undefined> {
  const read = (f: string) => readIfExists(join(dir, f));
  const [ca, cc, ck, sc, sk, kc] = await Promise.all([read(AGENT_FILES.ca), read(AGENT_FILES.clientCert), read(AGENT_FILES.clientKey), read(AGENT_FILES.servingCert), read(AGENT_FILES.servingKey), read(AGENT_FILES.kubeconfig)]);
  if (!ca || !cc || !ck || !sc || !sk || !kc) return undefined;
  if (!caMatchesToken(parseJoinToken(o.token), ca)) return undefined;
  try {
    const caCert = new x509.X509Certificate(ca);
    const client = new x509.X509Certificate(cc);
    const serving = new x509.X509Certificate(sc);
    const now = (o.now ?? (() => new Date()))().getTime();
    const user = `CN=system:node:${o.nodeName}`;
    if (!client.subject.startsWith(user) || !serving.subject.startsWith(user)) return undefined;
    for (const c of [client, serving]) if (c.notAfter.getTime() - now < RENEW_BEFORE_MS || !(await isSignedBy(c, caCert))) return undefined;
    if (!sameSans(certificateSans(serving), sans)) return undefined;
    if (!kc.includes(Buffer.from(cc).toString('base64'))) return undefined;
  } catch {
    return undefined;
  }
  return { dir, kubeconfigPath: join(dir, AGENT_FILES.kubeconfig), caPem: ca, servingCertPem: sc, servingKeyPem: sk, reused: true };
}

/**
 * Loads the node's credentials from `<data-dir>/agent/`, or joins the server to obtain them.
 * Throws JoinRefusedError when the server's CA does not match the token or the server rejects
 * the token; other errors (server unreachable) are worth retrying.
 */
export async function loadOrObtainNodeCredentials(o: NodeCredentialsOptions): Promise<NodeCredentials> {
  const dir = join(o.dataDir, 'agent');
  const token = parseJoinToken(o.token);
  const ips = [...new Set(o.ips.map((ip) => canonicalIP(ip) ?? ip))];
  const dnsNames = [...new Set([o.nodeName, ...o.hostnames.map((h) => h.toLowerCase())])];
  const sans = { dnsNames, ips };
  const kept = await reusable(dir, o, sans);
  if (kept) return kept;

  const base = new URL(o.server);
  const caReply = await httpsCall(new URL(CACERTS_PATH, base), { method: 'GET' });
  if (caReply.status !== 200 || !caReply.body.includes('BEGIN CERTIFICATE')) throw new Error(`GET ${CACERTS_PATH} from ${base.origin} answered ${caReply.status}`);
  const caPem = caReply.body;
  if (!token.caHash) {
    o.log?.('the token carries no CA hash: trusting the CA the server sent without verifying it');
  } else if (!caMatchesToken(token, caPem)) {
    throw new JoinRefusedError(`the CA certificate served by ${base.origin} has sha256 ${caCertHash(caPem)}, not ${token.caHash} as the token says; refusing to join`);
  }
  // Created once and kept: the server binds the node name to it on the first join.
  let nodePassword = (await readIfExists(join(dir, AGENT_FILES.nodePassword)))?.trim();
  if (!nodePassword) {
    nodePassword = randomBytes(32).toString('hex');
    await writeFileAtomic(join(dir, AGENT_FILES.nodePassword), `${nodePassword}\n`, 0o600);
  }
  const [client, serving] = await Promise.all([createKeyAndCsr(`system:node:${o.nodeName}`), createKeyAndCsr(`system:node:${o.nodeName}`)]);
  const body: NodeCertificatesRequest = { nodeName: o.nodeName, clientCSR: client.csrPem, servingCSR: serving.csrPem, hostnames: dnsNames, ips, nodePassword };
  const reply = await httpsCall(new URL(NODE_CERTIFICATES_PATH, base), {
    method: 'POST', ca: caPem,
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`node:${token.secret}`).toString('base64')}` },
    body: JSON.stringify(body),
  });
  if (reply.status === 401) throw new JoinRefusedError(`${base.origin} rejected the join token (401 Unauthorized)`);
  if (reply.status !== 200) {
    let message = reply.body;
    try {
      message = (JSON.parse(reply.body) as { message?: string }).message ?? reply.body;
    } catch { /* not a Status */ }
    const err = `${base.origin} refused the node's certificate requests (${reply.status}): ${message}`;
    throw reply.status >= 400 && reply.status < 500 ? new JoinRefusedError(err) : new Error(err);
  }
  const certs = JSON.parse(reply.body) as NodeCertificatesResponse;
  // Keys before certificates, the kubeconfig last: a crash in between leaves files that do not
  // pass `reusable`, so the next start joins again.
  await writeFileAtomic(join(dir, AGENT_FILES.clientKey), client.keyPem, 0o600);
  await writeFileAtomic(join(dir, AGENT_FILES.servingKey), serving.keyPem, 0o600);
  await writeFileAtomic(join(dir, AGENT_FILES.ca), caPem, 0o644);
  await writeFileAtomic(join(dir, AGENT_FILES.clientCert), certs.clientCertificate, 0o644);
  await writeFileAtomic(join(dir, AGENT_FILES.servingCert), certs.servingCertificate, 0o644);
  const kubeconfig = renderKubeconfig({ server: base.origin, caPem, clientCertPem: certs.clientCertificate, clientKeyPem: client.keyPem });
  await writeFileAtomic(join(dir, AGENT_FILES.kubeconfig), kubeconfig, 0o600);
  return { dir, kubeconfigPath: join(dir, AGENT_FILES.kubeconfig), caPem, servingCertPem: certs.servingCertificate, servingKeyPem: serving.keyPem, reused: false };
}
