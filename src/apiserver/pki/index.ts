// Cluster PKI and kubeconfig: the CA, the API server's serving certificate, the admin client
// credential (loaded or created in the server's TLS directory), and kubeconfig rendering.
export { loadOrCreatePki, servingSans, PKI_FILES, KUBELET_CLIENT_IDENTITY, type Pki, type PkiOptions, type ClientCertificateRequest, type NodeCertificateRequest } from './pki.js';
export { renderKubeconfig, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export { createKeyAndCsr } from './csr.js';
export { canonicalIP } from './certs.js';
export { writeFileAtomic, readIfExists } from './files.js';
export type { KeyPairPem, SubjectAltNames } from './certs.js';
