// The cluster PKI kept in a directory (`<data-dir>/server/tls`), like k3s: one CA, the API
// server's serving certificate and the admin client credential. Called once at server start,
// before the HTTPS listener is created; not safe to run concurrently on the same directory.
//
// Lifetimes: the CA is created once (10 years) and never replaced automatically, since every
// kubeconfig and node trusts it. The serving certificate (1 year) is reissued when its SANs no
// longer match the options, when it expires within 90 days, or when it does not belong to the CA.
// The admin certificate (1 year) is kept across restarts and reissued only when it is missing,
// broken, not from the CA, or expires within 90 days.
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import {
  createCertificateAuthority, loadCertificateAuthority, issueLeaf, certificateSans, sameSans, isSignedBy,
  canonicalIP, type CertificateAuthority, type KeyPairPem, type SubjectAltNames,
} from './certs.js';
import { readIfExists, writeFileAtomic } from './files.js';
import { signCertificateRequest } from './csr.js';
import { x509 } from './x509.js';

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
const RENEW_BEFORE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** File names inside the PKI directory (k3s's names). */
export const PKI_FILES = {
  caCert: 'server-ca.crt',
  caKey: 'server-ca.key',
  serverCert: 'serving-kube-apiserver.crt',
  serverKey: 'serving-kube-apiserver.key',
  adminCert: 'client-admin.crt',
  adminKey: 'client-admin.key',
  kubeletClientCert: 'client-kube-apiserver.crt',
  kubeletClientKey: 'client-kube-apiserver.key',
} as const;

/** The identity the API server presents to kubelets (upstream's kube-apiserver-kubelet-client). */
export const KUBELET_CLIENT_IDENTITY = { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] } as const;

export interface PkiOptions {
  /** Extra DNS names for the serving certificate (the host's name, a load balancer's name). */
  hostnames: string[];
  /** Extra IP addresses for the serving certificate (node IPs, advertise address). */
  ips: string[];
  /** ClusterIP of the `kubernetes` Service (first address of the service CIDR, e.g. 10.43.0.1). */
  serviceIP?: string;
  /** Cluster DNS domain; default `cluster.local`. */
  clusterDomain?: string;
  /** Clock; default the wall clock. */
  now?: () => Date;
}

export interface ClientCertificateRequest {
  /** Becomes the user name: `system:node:worker-1`. */
  commonName: string;
  /** Become the groups: `system:nodes`. */
  organizations?: string[];
  /** Validity in days; default 365. */
  days?: number;
}

export interface Pki {
  dir: string;
  /** PEM of the cluster CA certificate: what clients and kubelets trust. */
  caCertPem: string;
  /** The API server's serving certificate and key. */
  serverCertPem: string;
  serverKeyPem: string;
  /** The `system:admin` / `system:masters` client credential (the admin kubeconfig's user). */
  adminCertPem: string;
  adminKeyPem: string;
  /** The client credential the API server uses towards kubelets (logs, exec, attach, port-forward). */
  kubeletClientCertPem: string;
  kubeletClientKeyPem: string;
  /** Which credentials this call created (false: loaded from disk). */
  generated: { ca: boolean; server: boolean; admin: boolean };
  /** Issues a client certificate signed by the cluster CA (for kubelets and other components). */
  issueClientCertificate(req: ClientCertificateRequest): Promise<KeyPairPem>;
  /** Issues a serving certificate signed by the cluster CA (a kubelet's HTTPS server). */
  issueServingCertificate(req: { commonName: string; sans: SubjectAltNames; days?: number }): Promise<KeyPairPem>;
  /**
   * Signs a PEM CSR with the cluster CA: the CSR gives only its public key; subject, usage and
   * SANs are the caller's (the node credentials endpoint). Returns the certificate PEM.
   */
  signCertificateRequest(csrPem: string, req: NodeCertificateRequest): Promise<string>;
}

export interface NodeCertificateRequest extends ClientCertificateRequest {
  usage: 'client' | 'server';
  /** Required for server certificates. */
  sans?: SubjectAltNames;
}

/** The serving certificate's SANs for these options (localhost, kubernetes.*, loopbacks, …). */
export function servingSans(opts: PkiOptions): SubjectAltNames {
  const domain = opts.clusterDomain ?? 'cluster.local';
  const dnsNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`];
  const ips = ['127.0.0.1', '::1'];
  for (const h of opts.hostnames) {
    const ip = canonicalIP(h);
    if (ip) ips.push(ip);
    else if (h) dnsNames.push(h.toLowerCase());
  }
  for (const raw of [...opts.ips, ...(opts.serviceIP ? [opts.serviceIP] : [])]) {
    const ip = canonicalIP(raw);
    if (!ip) throw new TypeError(`invalid IP address for the serving certificate: ${JSON.stringify(raw)}`);
    ips.push(ip);
  }
  return { dnsNames: [...new Set(dnsNames)], ips: [...new Set(ips)] };
}

interface LoadedLeaf { cert: x509.X509Certificate; certPem: string; keyPem: string }

/** A leaf pair from disk, if both files exist, parse, and the key belongs to the certificate. */
async function loadLeaf(dir: string, certFile: string, keyFile: string): Promise<LoadedLeaf | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(join(dir, certFile)), readIfExists(join(dir, keyFile))]);
  if (!certPem || !keyPem) return undefined;
  try {
    const cert = new x509.X509Certificate(certPem);
    const fromKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    if (!Buffer.from(cert.publicKey.rawData).equals(fromKey)) return undefined;
    return { cert, certPem, keyPem };
  } catch {
    return undefined;
  }
}

async function usable(leaf: LoadedLeaf, ca: CertificateAuthority, now: Date): Promise<boolean> {
  if (leaf.cert.notAfter.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return false;
  return isSignedBy(leaf.cert, ca.cert);
}

async function writePair(dir: string, certFile: string, keyFile: string, pair: KeyPairPem): Promise<void> {
  // Key first: if we stop in between, the old certificate no longer matches the key and the
  // next start reissues the pair.
  await writeFileAtomic(join(dir, keyFile), pair.keyPem, 0o600);
  await writeFileAtomic(join(dir, certFile), pair.certPem, 0o644);
}

async function loadOrCreateCa(dir: string, now: Date): Promise<{ ca: CertificateAuthority; created: boolean }> {
  const [certPem, keyPem] = await Promise.all([readIfExists(join(dir, PKI_FILES.caCert)), readIfExists(join(dir, PKI_FILES.caKey))]);
  if (certPem && keyPem) return { ca: await loadCertificateAuthority(certPem, keyPem), created: false };
  if (certPem || keyPem) {
    // Replacing a CA silently would lock every client and node out; make the operator decide.
    throw new Error(`cluster CA in ${dir} is incomplete: need both ${PKI_FILES.caCert} and ${PKI_FILES.caKey}`);
  }
  const ca = await createCertificateAuthority('capstan-server-ca', CA_DAYS, now);
  await writePair(dir, PKI_FILES.caCert, PKI_FILES.caKey, ca);
  return { ca, created: true };
}

/**
 * Loads the PKI from `dir`, creating or renewing what is missing or stale (see file comment).
 * Private keys are written with mode 0600, certificates 0644, the directory 0700.
 */
export async function loadOrCreatePki(dir: string, opts: PkiOptions): Promise<Pki> {
  const clock = opts.now ?? (() => new Date());
  const now = clock();
  const sans = servingSans(opts);
  const { ca, created: caCreated } = await loadOrCreateCa(dir, now);

  const oldServer = await loadLeaf(dir, PKI_FILES.serverCert, PKI_FILES.serverKey);
  let server: KeyPairPem;
  let serverGenerated = false;
  if (oldServer && await usable(oldServer, ca, now) && sameSans(certificateSans(oldServer.cert), sans)) {
    server = oldServer;
  } else {
    server = await issueLeaf(ca, { commonName: 'kube-apiserver', days: LEAF_DAYS, usage: 'server', sans, now });
    await writePair(dir, PKI_FILES.serverCert, PKI_FILES.serverKey, server);
    serverGenerated = true;
  }

  const oldAdmin = await loadLeaf(dir, PKI_FILES.adminCert, PKI_FILES.adminKey);
  let admin: KeyPairPem;
  let adminGenerated = false;
  if (oldAdmin && await usable(oldAdmin, ca, now)) {
    admin = oldAdmin;
  } else {
    admin = await issueLeaf(ca, { commonName: 'system:admin', organizations: ['system:masters'], days: LEAF_DAYS, usage: 'client', now });
    await writePair(dir, PKI_FILES.adminCert, PKI_FILES.adminKey, admin);
    adminGenerated = true;
  }

  // Same lifetime rules as the admin credential.
  const oldKubeletClient = await loadLeaf(dir, PKI_FILES.kubeletClientCert, PKI_FILES.kubeletClientKey);
  let kubeletClient: KeyPairPem;
  if (oldKubeletClient && await usable(oldKubeletClient, ca, now)) {
    kubeletClient = oldKubeletClient;
  } else {
    kubeletClient = await issueLeaf(ca, { ...KUBELET_CLIENT_IDENTITY, organizations: [...KUBELET_CLIENT_IDENTITY.organizations], days: LEAF_DAYS, usage: 'client', now });
    await writePair(dir, PKI_FILES.kubeletClientCert, PKI_FILES.kubeletClientKey, kubeletClient);
  }

  return {
    dir,
    caCertPem: ca.certPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    adminCertPem: admin.certPem,
    adminKeyPem: admin.keyPem,
    kubeletClientCertPem: kubeletClient.certPem,
    kubeletClientKeyPem: kubeletClient.keyPem,
    generated: { ca: caCreated, server: serverGenerated, admin: adminGenerated },
    issueClientCertificate: (req) => issueLeaf(ca, {
      commonName: req.commonName, organizations: req.organizations, days: req.days ?? LEAF_DAYS, usage: 'client', now: clock(),
    }),
    signCertificateRequest: (csrPem, req) => signCertificateRequest(ca, csrPem, {
      commonName: req.commonName, organizations: req.organizations, days: req.days ?? LEAF_DAYS, usage: req.usage, sans: req.sans, now: clock(),
    }),
    issueServingCertificate: (req) => issueLeaf(ca, {
      commonName: req.commonName, sans: req.sans, days: req.days ?? LEAF_DAYS, usage: 'server', now: clock(),
    }),
  };
}
