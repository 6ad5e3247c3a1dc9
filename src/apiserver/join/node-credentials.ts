// The join endpoints, served before authentication:
//   GET  /cacerts                       the cluster CA bundle (PEM), unauthenticated, as k3s.
//        The agent trusts it only if its sha256 matches the hash in its join token.
//   POST /v1-capstan/node-certificates  authenticated with the join secret (HTTP Basic,
//        `node:<secret>`, as k3s's node endpoints); body `NodeCertificatesRequest`. Signs the
//        node's two CSRs: a client certificate for user `system:node:<name>` in group
//        `system:nodes`, and a kubelet serving certificate for the node's names and IPs.
//        A wrong or missing secret gets 401 and nothing is signed; a node name already joined
//        with another node password gets 403 (node-password.ts).
import { errors, isDNS1123Subdomain } from '../../api/index.js';
import type { ApiRequest, ApiResponse } from '../http/types.js';
import { jsonResponse, statusResponse } from '../http/respond.js';
import { canonicalIP, type Pki } from '../pki/index.js';
import { secretsEqual } from './join-token.js';
import { NODE_PASSWORD_NAMESPACE, nodePasswordSecretName } from './node-password.js';
import { CACERTS_PATH, NODE_CERTIFICATES_PATH, type NodeCertificatesRequest, type NodeCertificatesResponse } from './join-protocol.js';

export { CACERTS_PATH, NODE_CERTIFICATES_PATH, type NodeCertificatesRequest, type NodeCertificatesResponse } from './join-protocol.js';

export interface NodeJoinConfig {
  caCertPem: string;
  /** The join token's secret. */
  secret: string;
  signCertificateRequest: Pki['signCertificateRequest'];
  /** Checks (and on first use records) the node's password; absent = node passwords not enforced. */
  checkNodePassword?(nodeName: string, password: string): Promise<boolean>;
}

/** Node certificates live one year, like the server's leaves (the agent renews on restart). */
const NODE_CERT_DAYS = 365;

/** The HTTP Basic password of the request, if any. */
function basicPassword(req: ApiRequest): string | undefined {
  const h = req.headers['authorization'];
  if (!h || !/^basic /i.test(h)) return undefined;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : decoded.slice(i + 1);
}

/** Validates the request body; throws a 400 Status naming the problem. */
export function checkNodeCertificatesRequest(body: unknown): NodeCertificatesRequest {
  if (!body || typeof body !== 'object') throw errors.badRequest('expected a JSON object');
  const b = body as Record<string, unknown>;
  const name = b.nodeName;
  if (typeof name !== 'string' || !name) throw errors.badRequest('nodeName is required');
  const nameErrs = isDNS1123Subdomain(name);
  if (nameErrs.length) throw errors.badRequest(`invalid nodeName "${name}": ${nameErrs.join('; ')}`);
  for (const k of ['clientCSR', 'servingCSR'] as const) {
    if (typeof b[k] !== 'string' || !(b[k] as string).includes('CERTIFICATE REQUEST')) throw errors.badRequest(`${k} must be a PEM certificate request`);
  }
  const list = (k: string): string[] => {
    const v = b[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw errors.badRequest(`${k} must be a list of strings`);
    return v as string[];
  };
  const hostnames = list('hostnames');
  for (const h of hostnames) if (isDNS1123Subdomain(h.toLowerCase()).length) throw errors.badRequest(`invalid hostname "${h}"`);
  const ips = list('ips');
  for (const ip of ips) if (!canonicalIP(ip)) throw errors.badRequest(`invalid IP address "${ip}"`);
  if (b.nodePassword !== undefined && (typeof b.nodePassword !== 'string' || !b.nodePassword)) throw errors.badRequest('nodePassword must be a non-empty string');
  return { nodeName: name, clientCSR: b.clientCSR as string, servingCSR: b.servingCSR as string, hostnames, ips, nodePassword: b.nodePassword as string | undefined };
}

/**
 * The join routes: answers the two paths above, undefined for every other path (the API
 * handler then authenticates as usual). Called by ApiHandler before authentication.
 */
export function joinRoutes(cfg: NodeJoinConfig): (req: ApiRequest, path: string) => Promise<ApiResponse | undefined> {
  return async (req, path) => {
    if (path === CACERTS_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return statusResponse(errors.methodNotAllowed().status);
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: cfg.caCertPem };
    }
    if (path !== NODE_CERTIFICATES_PATH) return undefined;
    if (req.method !== 'POST') return statusResponse(errors.methodNotAllowed().status);
    const password = basicPassword(req);
    if (password === undefined || !secretsEqual(password, cfg.secret)) return statusResponse(errors.unauthorized().status);
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body?.toString('utf8') ?? '');
    } catch {
      throw errors.badRequest('the request body is not JSON');
    }
    const r = checkNodeCertificatesRequest(parsed);
    if (cfg.checkNodePassword) {
      if (!r.nodePassword) throw errors.badRequest('nodePassword is required');
      if (!(await cfg.checkNodePassword(r.nodeName, r.nodePassword))) {
        throw errors.forbidden(`node password rejected for node "${r.nodeName}": another host joined under this name, or its node-password file changed (delete the Secret ${NODE_PASSWORD_NAMESPACE}/${nodePasswordSecretName(r.nodeName)} to release the name)`);
      }
    }
    const user = `system:node:${r.nodeName}`;
    const dnsNames = [...new Set([r.nodeName, ...(r.hostnames ?? []).map((h) => h.toLowerCase())])];
    const ips = [...new Set((r.ips ?? []).map((ip) => canonicalIP(ip)!))];
    let clientCertificate: string;
    let servingCertificate: string;
    try {
      clientCertificate = await cfg.signCertificateRequest(r.clientCSR, { commonName: user, organizations: ['system:nodes'], days: NODE_CERT_DAYS, usage: 'client' });
      servingCertificate = await cfg.signCertificateRequest(r.servingCSR, { commonName: user, organizations: ['system:nodes'], days: NODE_CERT_DAYS, usage: 'server', sans: { dnsNames, ips } });
    } catch (e) {
      throw errors.badRequest(`cannot sign the node's certificate request: ${(e as Error).message}`);
    }
    const out: NodeCertificatesResponse = { caCertificate: cfg.caCertPem, clientCertificate, servingCertificate };
    return jsonResponse(200, out);
  };
}
