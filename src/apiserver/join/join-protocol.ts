// The join endpoints' wire format, shared by the server side (node-credentials.ts) and the
// agent side (agent-credentials.ts). Data only, so the agent loads no server code to join.
export const CACERTS_PATH = '/cacerts';
export const NODE_CERTIFICATES_PATH = '/v1-capstan/node-certificates';

/** What the agent posts. */
export interface NodeCertificatesRequest {
  nodeName: string;
  /** PEM PKCS#10 requests; only their public keys are used. */
  clientCSR: string;
  servingCSR: string;
  /** DNS names and IPs for the serving certificate (the node name is always included). */
  hostnames?: string[];
  ips?: string[];
  /** The node's own random password (see node-password.ts). */
  nodePassword?: string;
}

export interface NodeCertificatesResponse {
  caCertificate: string;
  clientCertificate: string;
  servingCertificate: string;
}
