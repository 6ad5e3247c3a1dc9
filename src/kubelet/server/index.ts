// The kubelet's HTTPS server and the streaming protocols it speaks.
export { KubeletServer, KUBELET_CLIENT_COMMON_NAME, routeOf, streamFlagsOf, type KubeletServerOptions, type PluggableHandler, type ClientIdentity } from './kubelet-server.js';
export type { StreamingBackend, PodRef, ContainerRef } from './backend.js';
export { SpdyConnection, SpdyStream, type SpdyConnectionOptions } from './spdy/connection.js';
export type { SpdyHeaders } from './spdy/header-codec.js';
export { PORT_FORWARD_PROTOCOL, PORT_FORWARD_WS_TUNNEL_PROTOCOL } from './port-forward.js';
export { WS_REMOTECOMMAND_PROTOCOLS } from './remotecommand/ws-channels.js';
export { SPDY_REMOTECOMMAND_PROTOCOLS } from './remotecommand/spdy-streams.js';
export { runtimeStreamingBackend, podSandboxOf, containerInstances, type RuntimeBackendOptions } from './runtime-backend.js';
