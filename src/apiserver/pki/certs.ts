// Certificate issuing for the cluster PKI: a self-signed CA and leaf certificates signed by it,
// all ECDSA P-256 / SHA-256. Pure apart from key generation and signing (no files); `now` is
// always passed in so callers (and tests) control time.
import { randomBytes, type webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { x509, webcrypto as subtleCrypto } from './x509.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** Leaf certificates start a little in the past to tolerate clock skew between hosts. */
const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its private key, both PEM (key: PKCS#8 "PRIVATE KEY"). */
export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

/** A loaded signer: the CA certificate and the private key that signs leaves. */
export interface CertificateAuthority {
  cert: x509.X509Certificate;
  key: CryptoKey;
  certPem: string;
  keyPem: string;
}

/** Subject Alternative Names of a serving certificate. */
export interface SubjectAltNames {
  dnsNames: string[];
  ips: string[];
}

export interface LeafOptions {
  commonName: string;
  organizations?: string[];
  /** Validity in days from `now`. */
  days: number;
  usage: 'server' | 'client';
  /** Required for server certificates. */
  sans?: SubjectAltNames;
  now: Date;
}

function serialNumber(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // a positive INTEGER
  if (b[0] === 0) b[0] = 1;
  return b.toString('hex');
}

function subjectName(commonName: string, organizations: string[] = []): x509.JsonName {
  return [{ CN: [commonName] }, ...organizations.map((o) => ({ O: [o] }))];
}

export async function generateKeys(): Promise<CryptoKeyPair> {
  return subtleCrypto.subtle.generateKey(EC, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

export async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await subtleCrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Loads a PKCS#8 PEM ECDSA P-256 private key for signing. */
export async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('no PEM block in private key');
  return subtleCrypto.subtle.importKey('pkcs8', der, EC, true, ['sign']);
}

/** A self-signed CA named `<prefix>@<unix seconds>` (k3s: `k3s-server-ca@1700000000`). */
export async function createCertificateAuthority(prefix: string, days: number, now: Date): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const name = `${prefix}@${Math.floor(now.getTime() / 1000)}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subjectName(name),
    notBefore: now,
    notAfter: new Date(now.getTime() + days * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, key: keys.privateKey, certPem: cert.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Loads a CA from its PEMs (as written by `createCertificateAuthority`). */
export async function loadCertificateAuthority(certPem: string, keyPem: string): Promise<CertificateAuthority> {
  return { cert: new x509.X509Certificate(certPem), key: await importSigningKey(keyPem), certPem, keyPem };
}

/** Issues a leaf certificate signed by `ca` with a fresh key. */
export async function issueLeaf(ca: CertificateAuthority, opts: LeafOptions): Promise<KeyPairPem> {
  const keys = await generateKeys();
  return { certPem: await issueLeafForKey(ca, keys.publicKey, opts), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Issues a leaf certificate signed by `ca` for a public key held elsewhere (a CSR's); returns its PEM. */
export async function issueLeafForKey(ca: CertificateAuthority, publicKey: CryptoKey, opts: LeafOptions): Promise<string> {
  const server = opts.usage === 'server';
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (server ? x509.KeyUsageFlags.keyEncipherment : 0), true),
    new x509.ExtendedKeyUsageExtension([server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth], false),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
  ];
  if (opts.sans) {
    const names: x509.JsonGeneralName[] = [
      ...opts.sans.dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ...opts.sans.ips.map((value) => ({ type: 'ip' as const, value })),
    ];
    extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: subjectName(opts.commonName, opts.organizations),
    issuer: ca.cert.subjectName,
    notBefore: new Date(opts.now.getTime() - BACKDATE_MS),
    notAfter: new Date(opts.now.getTime() + opts.days * DAY_MS),
    signingAlgorithm: SIGNING,
    publicKey,
    signingKey: ca.key,
    extensions,
  });
  return cert.toString('pem');
}

/** Canonical text of an IP address (`0:0::1` → `::1`), or undefined if `ip` is not one. */
export function canonicalIP(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family === 6) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  return undefined;
}

/** The SANs a certificate carries, canonicalised and sorted (for comparison). */
export function certificateSans(cert: x509.X509Certificate): SubjectAltNames {
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dnsNames: string[] = [];
  const ips: string[] = [];
  for (const n of ext?.names.items ?? []) {
    if (n.type === 'dns') dnsNames.push(n.value.toLowerCase());
    else if (n.type === 'ip') ips.push(canonicalIP(n.value) ?? n.value);
  }
  return { dnsNames: [...new Set(dnsNames)].sort(), ips: [...new Set(ips)].sort() };
}

export function sameSans(a: SubjectAltNames, b: SubjectAltNames): boolean {
  const key = (s: SubjectAltNames) => JSON.stringify([[...new Set(s.dnsNames)].sort(), [...new Set(s.ips)].sort()]);
  return key(a) === key(b);
}

/** True when `cert` was signed by `ca` (same issuer name and a valid signature). */
export async function isSignedBy(cert: x509.X509Certificate, ca: x509.X509Certificate): Promise<boolean> {
  if (cert.issuer !== ca.subject) return false;
  try {
    return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}
