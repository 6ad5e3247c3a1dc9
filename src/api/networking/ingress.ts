// networking.k8s.io/v1 Ingress: HTTP(S) routing from outside the cluster to Services, realised
// by an ingress controller; status carries the load balancer addresses it publishes.
import { obj, str, int32, list, enumStr, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { TypedLocalObjectReferenceSchema } from '../core/volume-claim.js';
import { validateIngress } from './ingress-validation.js';

export const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;

export const IngressBackendSchema = obj('io.k8s.api.networking.v1.IngressBackend', 'IngressBackend describes all endpoints for a given service and port.', {
  service: obj('io.k8s.api.networking.v1.IngressServiceBackend', 'IngressServiceBackend references a Kubernetes Service as a Backend.', {
    name: str('name is the referenced service. The service must exist in the same namespace as the Ingress object.'),
    port: obj('io.k8s.api.networking.v1.ServiceBackendPort', 'ServiceBackendPort is the service port being referenced.', {
      name: str('name is the name of the port on the Service. This is a mutually exclusive setting with "Number".'),
      number: int32('number is the numerical port number (e.g. 80) on the Service. This is a mutually exclusive setting with "Name".'),
    }, { extra: { 'x-kubernetes-map-type': 'atomic' } }),
  }, { required: ['name'] }),
  resource: TypedLocalObjectReferenceSchema,
});
export type IngressBackend = Static<typeof IngressBackendSchema>;

export const IngressRuleSchema = obj('io.k8s.api.networking.v1.IngressRule', 'IngressRule represents the rules mapping the paths under a specified host to the related backend services.', {
  host: str('host is the fully qualified domain name of a network host, as defined by RFC 3986. Wildcards (*.foo.com) are allowed as a prefix.'),
  http: obj('io.k8s.api.networking.v1.HTTPIngressRuleValue', 'HTTPIngressRuleValue is a list of http selectors pointing to backends.', {
    paths: list(obj('io.k8s.api.networking.v1.HTTPIngressPath', 'HTTPIngressPath associates a path with a backend. Incoming urls matching the path are forwarded to the backend.', {
      path: str('path is matched against the path of an incoming request. Currently it can contain characters disallowed from the conventional "path" part of a URL as defined by RFC 3986.'),
      pathType: enumStr('pathType determines the interpretation of the path matching.', PATH_TYPES),
      backend: IngressBackendSchema,
    }, { required: ['pathType', 'backend'] }), 'paths is a collection of paths that map requests to backends.', { listType: 'atomic' }),
  }, { required: ['paths'] }),
});

export const IngressSpecSchema = obj('io.k8s.api.networking.v1.IngressSpec', 'IngressSpec describes the Ingress the user wishes to exist.', {
  ingressClassName: str('ingressClassName is the name of an IngressClass cluster resource.'),
  defaultBackend: IngressBackendSchema,
  tls: list(obj('io.k8s.api.networking.v1.IngressTLS', 'IngressTLS describes the transport layer security associated with an ingress.', {
    hosts: list(str(), 'hosts is a list of hosts included in the TLS certificate.', { listType: 'atomic' }),
    secretName: str('secretName is the name of the secret used to terminate TLS traffic on port 443.'),
  }), 'tls represents the TLS configuration.', { listType: 'atomic' }),
  rules: list(IngressRuleSchema, 'rules is a list of host rules used to configure the Ingress.', { listType: 'atomic' }),
});

export const IngressLoadBalancerStatusSchema = obj('io.k8s.api.networking.v1.IngressLoadBalancerStatus', 'IngressLoadBalancerStatus represents the status of a load-balancer.', {
  ingress: list(obj('io.k8s.api.networking.v1.IngressLoadBalancerIngress', 'IngressLoadBalancerIngress represents the status of a load-balancer ingress point.', {
    ip: str('ip is set for load-balancer ingress points that are IP based.'),
    hostname: str('hostname is set for load-balancer ingress points that are DNS based.'),
    ports: list(obj('io.k8s.api.networking.v1.IngressPortStatus', 'IngressPortStatus represents the error condition of a service port', {
      port: int32('port is the port number of the ingress port.'),
      protocol: enumStr('protocol is the protocol of the ingress port.', ['SCTP', 'TCP', 'UDP']),
      error: str('error is to record the problem with the service port.'),
    }, { required: ['port', 'protocol'] }), 'ports provides information about the ports exposed by this LoadBalancer.', { listType: 'atomic' }),
  }), 'ingress is a list containing ingress points for the load-balancer.', { listType: 'atomic' }),
});

export const IngressSchema = resourceSchema('io.k8s.api.networking.v1.Ingress', { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
  'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.', {
    spec: IngressSpecSchema,
    status: obj('io.k8s.api.networking.v1.IngressStatus', 'IngressStatus describe the current state of the Ingress.', {
      loadBalancer: IngressLoadBalancerStatusSchema,
    }),
  });
export type Ingress = Static<typeof IngressSchema>;

export const ingresses: ResourceType<Ingress> = {
  group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress',
  namespaced: true, shortNames: ['ing'],
  subresources: [{ name: 'status', kind: 'Ingress', verbs: ['get', 'patch', 'update'] }],
  schema: IngressSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(ing) {
    delete ing.status;
  },
  validate: (ing) => validateIngress(ing),
};
