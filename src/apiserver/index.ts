// Public surface of the apiserver component.
export { ApiServer, LOOPBACK_USER, type ApiServerConfig } from './server.js';
export type { ApiRequest, ApiResponse, UserInfo } from './http/types.js';
export type { StaticToken } from './auth/authenticator.js';
export type { TlsMaterial } from './http/https-server.js';
export { SERVER_VERSION, type ServerVersion } from './version.js';
export { loadOrCreateJoinToken, parseJoinToken, formatJoinToken, caCertHash, caMatchesToken, type JoinToken } from './join/join-token.js';
export { CACERTS_PATH, NODE_CERTIFICATES_PATH, type NodeCertificatesRequest, type NodeCertificatesResponse } from './join/join-protocol.js';
export type { NodeJoinConfig } from './join/node-credentials.js';
export { loadOrObtainNodeCredentials, JoinRefusedError, AGENT_FILES, type NodeCredentials, type NodeCredentialsOptions } from './join/agent-credentials.js';
export { loadOrCreatePki, renderKubeconfig, writeKubeconfig, KUBELET_CLIENT_IDENTITY, type Pki } from './pki/index.js';
export type { KubeletClientConfig } from './streaming/kubelet-proxy.js';
