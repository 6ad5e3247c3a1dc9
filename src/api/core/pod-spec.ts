// core/v1 PodSpec and PodTemplateSpec. PodSpec is embedded by every workload's template, so its
// defaulting (pod-defaults.ts) and validation (pod-validation.ts) are shared with apps and batch.
import { obj, str, int32, int64, bool, list, map, quantity, stringMap, enumStr, withMeta, type Static, type ListOptions } from '../schema/builder.js';
import { ObjectMeta } from '../schema/meta.js';
import { ContainerSchema, EphemeralContainerSchema, ResourceRequirementsSchema } from './container.js';
import { VolumeSchema } from './volume.js';
import { LocalObjectReferenceSchema } from './object-reference.js';
import { AffinitySchema, TolerationSchema, TopologySpreadConstraintSchema } from './affinity.js';
import { PodSecurityContextSchema } from './security-context.js';

export const HostAliasSchema = obj('io.k8s.api.core.v1.HostAlias', 'HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod\'s hosts file.', {
  ip: str('IP address of the host file entry.'),
  hostnames: list(str(), 'Hostnames for the above IP address.', { listType: 'atomic' }),
}, { required: ['ip'] });

export const PodDNSConfigOptionSchema = obj('io.k8s.api.core.v1.PodDNSConfigOption', 'PodDNSConfigOption defines DNS resolver options of a pod.', {
  name: str('Name is this DNS resolver option\'s name. Required.'),
  value: str('Value is this DNS resolver option\'s value.'),
});

export const PodDNSConfigSchema = obj('io.k8s.api.core.v1.PodDNSConfig', 'PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.', {
  nameservers: list(str(), 'A list of DNS name server IP addresses. This will be appended to the base nameservers generated from DNSPolicy.', { listType: 'atomic' }),
  searches: list(str(), 'A list of DNS search domains for host-name lookup. This will be appended to the base search paths generated from DNSPolicy.', { listType: 'atomic' }),
  options: list(PodDNSConfigOptionSchema, 'A list of DNS resolver options. This will be merged with the base options generated from DNSPolicy.', { listType: 'atomic' }),
});

export const PodReadinessGateSchema = obj('io.k8s.api.core.v1.PodReadinessGate', 'PodReadinessGate contains the reference to a pod condition', {
  conditionType: str('ConditionType refers to a condition in the pod\'s condition list with matching type.'),
}, { required: ['conditionType'] });

export const PodSchedulingGateSchema = obj('io.k8s.api.core.v1.PodSchedulingGate', 'PodSchedulingGate is associated to a Pod to guard its scheduling.', {
  name: str('Name of the scheduling gate. Each scheduling gate must have a unique name field.'),
}, { required: ['name'] });

export const PodResourceClaimSchema = obj('io.k8s.api.core.v1.PodResourceClaim', 'PodResourceClaim references exactly one ResourceClaim, either directly or by naming a ResourceClaimTemplate which is then turned into a ResourceClaim for the pod.', {
  name: str('Name uniquely identifies this resource claim inside the pod. This must be a DNS_LABEL.'),
  resourceClaimName: str('ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod.'),
  resourceClaimTemplateName: str('ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod.'),
}, { required: ['name'] });

export const PodOSSchema = obj('io.k8s.api.core.v1.PodOS', 'PodOS defines the OS parameters of a pod.', {
  name: str('Name is the name of the operating system. The currently supported values are linux and windows.'),
}, { required: ['name'] });

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;

const byName: ListOptions = { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] };

export const PodSpecSchema = obj('io.k8s.api.core.v1.PodSpec', 'PodSpec is a description of a pod.', {
  volumes: list(VolumeSchema, 'List of volumes that can be mounted by containers belonging to the pod.', { ...byName, strategy: 'merge,retainKeys' }),
  initContainers: list(ContainerSchema, 'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.', byName),
  containers: list(ContainerSchema, 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.', byName),
  ephemeralContainers: list(EphemeralContainerSchema, 'List of ephemeral containers run in this pod. Ephemeral containers may be run in an existing pod to perform user-initiated actions such as debugging.', byName),
  restartPolicy: enumStr('Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.', ['Always', 'Never', 'OnFailure']),
  terminationGracePeriodSeconds: int64('Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.'),
  activeDeadlineSeconds: int64('Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.'),
  dnsPolicy: enumStr('Set DNS policy for the pod. Defaults to "ClusterFirst".', ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']),
  nodeSelector: withMeta(stringMap('NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node.'), { 'x-kubernetes-map-type': 'atomic' }),
  serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
  serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.'),
  automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'),
  nodeName: str('NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.'),
  hostNetwork: bool('Host networking requested for this pod. Use the host\'s network namespace. Default to false.'),
  hostPID: bool('Use the host\'s pid namespace. Optional: Default to false.'),
  hostIPC: bool('Use the host\'s ipc namespace. Optional: Default to false.'),
  shareProcessNamespace: bool('Share a single process namespace between all of the containers in a pod.'),
  securityContext: PodSecurityContextSchema,
  imagePullSecrets: list(LocalObjectReferenceSchema, 'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.', byName),
  hostname: str('Specifies the hostname of the Pod If not specified, the pod\'s hostname will be set to a system-defined value.'),
  subdomain: str('If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".'),
  affinity: AffinitySchema,
  schedulerName: str('If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.'),
  tolerations: list(TolerationSchema, 'If specified, the pod\'s tolerations.', { listType: 'atomic' }),
  hostAliases: list(HostAliasSchema, 'HostAliases is an optional list of hosts and IPs that will be injected into the pod\'s hosts file if specified.', { mergeKey: 'ip', strategy: 'merge', listType: 'map', mapKeys: ['ip'] }),
  priorityClassName: str('If specified, indicates the pod\'s priority.'),
  priority: int32('The priority value. Various system components use this field to find the priority of the pod.'),
  dnsConfig: PodDNSConfigSchema,
  readinessGates: list(PodReadinessGateSchema, 'If specified, all readiness gates will be evaluated for pod readiness.', { listType: 'atomic' }),
  runtimeClassName: str('RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.'),
  enableServiceLinks: bool('EnableServiceLinks indicates whether information about services should be injected into pod\'s environment variables, matching the syntax of Docker links. Optional: Defaults to true.'),
  preemptionPolicy: enumStr('PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.', ['Never', 'PreemptLowerPriority']),
  overhead: map(quantity(), 'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.'),
  topologySpreadConstraints: list(TopologySpreadConstraintSchema, 'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.', { mergeKey: 'topologyKey', strategy: 'merge', listType: 'map', mapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
  setHostnameAsFQDN: bool('If true the pod\'s hostname will be configured as the pod\'s FQDN, rather than the leaf name (the default).'),
  os: PodOSSchema,
  hostUsers: bool('Use the host\'s user namespace. Optional: Default to true.'),
  schedulingGates: list(PodSchedulingGateSchema, 'SchedulingGates is an opaque list of values that if specified will block scheduling the pod.', byName),
  resourceClaims: list(PodResourceClaimSchema, 'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.', { ...byName, strategy: 'merge,retainKeys' }),
  resources: ResourceRequirementsSchema,
}, { required: ['containers'] });
export type PodSpec = Static<typeof PodSpecSchema>;

export const PodTemplateSpecSchema = obj('io.k8s.api.core.v1.PodTemplateSpec', 'PodTemplateSpec describes the data a pod should have when created from a template', {
  metadata: ObjectMeta,
  spec: PodSpecSchema,
});
export type PodTemplateSpec = Static<typeof PodTemplateSpecSchema>;
