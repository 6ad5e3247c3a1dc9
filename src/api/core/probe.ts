// core/v1 probe and lifecycle-hook handlers: the actions a kubelet performs against a container.
import { obj, str, int32, int64, intOrString, list, enumStr, type Static } from '../schema/builder.js';

export const ExecActionSchema = obj('io.k8s.api.core.v1.ExecAction', 'ExecAction describes a "run in container" action.', {
  command: list(str(), 'Command is the command line to execute inside the container, the working directory for the command  is root (\'/\') in the container\'s filesystem.', { listType: 'atomic' }),
});

export const HTTPHeaderSchema = obj('io.k8s.api.core.v1.HTTPHeader', 'HTTPHeader describes a custom header to be used in HTTP probes', {
  name: str('The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.'),
  value: str('The header field value'),
}, { required: ['name', 'value'] });

export const HTTPGetActionSchema = obj('io.k8s.api.core.v1.HTTPGetAction', 'HTTPGetAction describes an action based on HTTP Get requests.', {
  path: str('Path to access on the HTTP server.'),
  port: intOrString('Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
  host: str('Host name to connect to, defaults to the pod IP.'),
  scheme: enumStr('Scheme to use for connecting to the host. Defaults to HTTP.', ['HTTP', 'HTTPS']),
  httpHeaders: list(HTTPHeaderSchema, 'Custom headers to set in the request. HTTP allows repeated headers.', { listType: 'atomic' }),
}, { required: ['port'] });

export const TCPSocketActionSchema = obj('io.k8s.api.core.v1.TCPSocketAction', 'TCPSocketAction describes an action based on opening a socket', {
  port: intOrString('Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
  host: str('Optional: Host name to connect to, defaults to the pod IP.'),
}, { required: ['port'] });

export const GRPCActionSchema = obj('io.k8s.api.core.v1.GRPCAction', 'GRPCAction specifies an action involving a GRPC service.', {
  port: int32('Port number of the gRPC service. Number must be in the range 1 to 65535.'),
  service: str('Service is the name of the service to place in the gRPC HealthCheckRequest. If this is not specified, the default behavior is defined by gRPC.'),
}, { required: ['port'] });

export const SleepActionSchema = obj('io.k8s.api.core.v1.SleepAction', 'SleepAction describes a "sleep" action.', {
  seconds: int64('Seconds is the number of seconds to sleep.'),
}, { required: ['seconds'] });

export const ProbeSchema = obj('io.k8s.api.core.v1.Probe', 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.', {
  exec: ExecActionSchema,
  httpGet: HTTPGetActionSchema,
  tcpSocket: TCPSocketActionSchema,
  grpc: GRPCActionSchema,
  initialDelaySeconds: int32('Number of seconds after the container has started before liveness probes are initiated.'),
  timeoutSeconds: int32('Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1.'),
  periodSeconds: int32('How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.'),
  successThreshold: int32('Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.'),
  failureThreshold: int32('Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.'),
  terminationGracePeriodSeconds: int64('Optional duration in seconds the pod needs to terminate gracefully upon probe failure.'),
});
export type Probe = Static<typeof ProbeSchema>;

export const LifecycleHandlerSchema = obj('io.k8s.api.core.v1.LifecycleHandler', 'LifecycleHandler defines a specific action that should be taken in a lifecycle hook. One and only one of the fields, except TCPSocket must be specified.', {
  exec: ExecActionSchema,
  httpGet: HTTPGetActionSchema,
  tcpSocket: TCPSocketActionSchema,
  sleep: SleepActionSchema,
});
export type LifecycleHandler = Static<typeof LifecycleHandlerSchema>;

export const LifecycleSchema = obj('io.k8s.api.core.v1.Lifecycle', 'Lifecycle describes actions that the management system should take in response to container lifecycle events.', {
  postStart: LifecycleHandlerSchema,
  preStop: LifecycleHandlerSchema,
  stopSignal: str('StopSignal defines which signal will be sent to a container when it is being stopped.'),
});
export type Lifecycle = Static<typeof LifecycleSchema>;

/** Upstream SetDefaults_Probe and SetDefaults_HTTPGetAction; called by the pod defaulting. */
export function defaultProbe(p: Probe): void {
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) defaultHTTPGet(p.httpGet);
}

export function defaultLifecycleHandler(h: LifecycleHandler): void {
  if (h.httpGet) defaultHTTPGet(h.httpGet);
}

function defaultHTTPGet(a: Static<typeof HTTPGetActionSchema>): void {
  if (!a.path) a.path = '/';
  if (!a.scheme) a.scheme = 'HTTP';
}
