// Certificate signing requests (PKCS#10): a node makes its key pair locally and sends only the
// CSR, so private keys never cross the network; the server checks the request's signature and
// issues a certificate for its public key with a subject and SANs the SERVER chooses.
import { issueLeafForKey, exportKeyPem, generateKeys, type CertificateAuthority, type LeafOptions } from './certs.js';
import { x509 } from './x509.js';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A fresh ECDSA P-256 key (PKCS#8 PEM) and a CSR (PEM) for it naming `commonName`. */
export async function createKeyAndCsr(commonName: string): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await generateKeys();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: [{ CN: [commonName] }], keys, signingAlgorithm: SIGNING });
  return { keyPem: await exportKeyPem(keys.privateKey), csrPem: csr.toString('pem') };
}

/**
 * Signs `csrPem` with `ca`. The CSR only contributes its public key (after its self-signature
 * is verified); subject, usage and SANs come from `opts`. Throws on a malformed or forged CSR,
 * or a key that is not ECDSA P-256.
 */
export async function signCertificateRequest(ca: CertificateAuthority, csrPem: string, opts: LeafOptions): Promise<string> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new Error('not a PEM certificate request');
  }
  if (!(await csr.verify())) throw new Error('the certificate request signature does not verify');
  let key;
  try {
    key = await csr.publicKey.export(EC, ['verify']);
  } catch {
    throw new Error('the certificate request key must be ECDSA P-256');
  }
  return issueLeafForKey(ca, key, opts);
}
