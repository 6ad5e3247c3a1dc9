// core/v1 Service: schema and ResourceType. Defaulting and the create/update preparation live in
// service-strategy.ts, validation in service-validation.ts. Cluster IPs and node ports are
// allocated by the server after these run; nothing here allocates.
import { obj, str, int32, bool, list, enumStr, intOrString, stringMap, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, Condition } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { defaultService, prepareServiceForCreate, prepareServiceForUpdate } from './service-strategy.js';
import { validateService, validateServiceUpdate } from './service-validation.js';

export const ServicePortSchema = obj('io.k8s.api.core.v1.ServicePort', 'ServicePort contains information on service\'s port.', {
  name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.'),
  protocol: withMeta(enumStr('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.', ['SCTP', 'TCP', 'UDP']), { default: 'TCP' }),
  appProtocol: str('The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.'),
  port: int32('The port that will be exposed by this service.'),
  targetPort: intOrString('Number or name of the port to access on the pods targeted by the service. If this is not specified, the value of the \'port\' field is used (an identity map).'),
  nodePort: int32('The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system.'),
}, { required: ['port'] });
export type ServicePort = Static<typeof ServicePortSchema>;

export const SessionAffinityConfigSchema = obj('io.k8s.api.core.v1.SessionAffinityConfig', 'SessionAffinityConfig represents the configurations of session affinity.', {
  clientIP: obj('io.k8s.api.core.v1.ClientIPConfig', 'ClientIPConfig represents the configurations of Client IP based session affinity.', {
    timeoutSeconds: int32('timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP". Default value is 10800(for 3 hours).'),
  }),
});

export const ServiceSpecSchema = obj('io.k8s.api.core.v1.ServiceSpec', 'ServiceSpec describes the attributes that a user creates on a service.', {
  ports: list(ServicePortSchema, 'The list of ports that are exposed by this service.', { mergeKey: 'port', strategy: 'merge', listType: 'map', mapKeys: ['port', 'protocol'] }),
  selector: withMeta(stringMap('Route service traffic to pods with label keys and values matching this selector.'), { 'x-kubernetes-map-type': 'atomic' }),
  clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly. "None" makes a headless service.'),
  clusterIPs: list(str(), 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.', { listType: 'atomic' }),
  type: enumStr('type determines how the Service is exposed. Defaults to ClusterIP.', ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']),
  externalIPs: list(str(), 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.', { listType: 'atomic' }),
  sessionAffinity: enumStr('Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.', ['ClientIP', 'None']),
  loadBalancerIP: str('Only applies to Service Type: LoadBalancer. Deprecated.'),
  loadBalancerSourceRanges: list(str(), 'If specified and supported by the platform, traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.', { listType: 'atomic' }),
  externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).'),
  externalTrafficPolicy: enumStr('externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses.', ['Cluster', 'Local']),
  healthCheckNodePort: int32('healthCheckNodePort specifies the healthcheck nodePort for the service.'),
  publishNotReadyAddresses: bool('publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'),
  sessionAffinityConfig: SessionAffinityConfigSchema,
  ipFamilies: list(enumStr('', ['IPv4', 'IPv6']), 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.', { listType: 'atomic' }),
  ipFamilyPolicy: enumStr('IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.', ['PreferDualStack', 'RequireDualStack', 'SingleStack']),
  allocateLoadBalancerNodePorts: bool('allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".'),
  loadBalancerClass: str('loadBalancerClass is the class of the load balancer implementation this Service belongs to.'),
  internalTrafficPolicy: enumStr('InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.', ['Cluster', 'Local']),
  trafficDistribution: str('TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.'),
});
export type ServiceSpec = Static<typeof ServiceSpecSchema>;

export const PortStatusSchema = obj('io.k8s.api.core.v1.PortStatus', 'PortStatus represents the error condition of a service port', {
  port: int32('Port is the port number of the service port of which status is recorded here'),
  protocol: enumStr('Protocol is the protocol of the service port of which status is recorded here.', ['SCTP', 'TCP', 'UDP']),
  error: str('Error is to record the problem with the service port.'),
}, { required: ['port', 'protocol'] });

export const LoadBalancerStatusSchema = obj('io.k8s.api.core.v1.LoadBalancerStatus', 'LoadBalancerStatus represents the status of a load-balancer.', {
  ingress: list(obj('io.k8s.api.core.v1.LoadBalancerIngress', 'LoadBalancerIngress represents the status of a load-balancer ingress point.', {
    ip: str('IP is set for load-balancer ingress points that are IP based.'),
    hostname: str('Hostname is set for load-balancer ingress points that are DNS based.'),
    ipMode: str('IPMode specifies how the load-balancer IP behaves, and may only be specified when the ip field is specified.'),
    ports: list(PortStatusSchema, 'Ports is a list of records of service ports.', { listType: 'atomic' }),
  }), 'Ingress is a list containing ingress points for the load-balancer.', { listType: 'atomic' }),
});

export const ServiceSchema = resourceSchema('io.k8s.api.core.v1.Service', { group: '', version: 'v1', kind: 'Service' },
  'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.', {
    spec: ServiceSpecSchema,
    status: obj('io.k8s.api.core.v1.ServiceStatus', 'ServiceStatus represents the current status of a service.', {
      loadBalancer: LoadBalancerStatusSchema,
      conditions: list(Condition, 'Current service state', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
    }),
  });
export type Service = Static<typeof ServiceSchema>;

export const services: ResourceType<Service> = {
  group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service',
  namespaced: true, shortNames: ['svc'], categories: ['all'],
  subresources: [{ name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] }],
  nameValidation: 'dns1035',
  schema: ServiceSchema,
  hasStatus: true,
  prepareForCreate: prepareServiceForCreate,
  prepareForUpdate: prepareServiceForUpdate,
  defaults: defaultService,
  validate: (svc) => validateService(svc),
  validateUpdate: (svc, old) => validateServiceUpdate(svc, old),
  selectableFields: {
    'spec.clusterIP': (svc) => svc.spec?.clusterIP ?? '',
    'spec.type': (svc) => svc.spec?.type ?? '',
  },
};
