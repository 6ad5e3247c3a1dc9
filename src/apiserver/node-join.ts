// The part of the apiserver component a node runs (`capstan agent`, `capstan version`): joining
// a cluster with a token and the release version. Importing it loads the PKI helpers the join
// needs and none of the API server (catalogue, registries, store); index.ts re-exports all of it.
export { loadOrObtainNodeCredentials, JoinRefusedError, AGENT_FILES, type NodeCredentials, type NodeCredentialsOptions } from './join/agent-credentials.js';
export { CACERTS_PATH, NODE_CERTIFICATES_PATH, type NodeCertificatesRequest, type NodeCertificatesResponse } from './join/join-protocol.js';
export { SERVER_VERSION, type ServerVersion } from './version.js';
