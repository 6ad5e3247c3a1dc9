// Field numbers of core/v1 top-level objects other than pods and workloads: Namespace, ConfigMap, Secret, Service,
// ServiceAccount, ResourceQuota, Binding, and what they embed.
import { always, ptr, type FieldTables } from './spec.js';

export const CORE_FIELDS: FieldTables = {
  'io.k8s.api.core.v1.Binding': { metadata: 1, target: 2 },
  'io.k8s.api.core.v1.ClientIPConfig': { timeoutSeconds: ptr(1) },
  'io.k8s.api.core.v1.ConfigMap': { metadata: 1, data: 2, binaryData: 3, immutable: ptr(4) },
  'io.k8s.api.core.v1.LoadBalancerIngress': { ip: 1, hostname: 2, ipMode: ptr(3), ports: 4 },
  'io.k8s.api.core.v1.LoadBalancerStatus': { ingress: 1 },
  'io.k8s.api.core.v1.Namespace': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.core.v1.NamespaceCondition': { type: always(1), status: always(2), lastTransitionTime: 4, reason: 5, message: 6 },
  'io.k8s.api.core.v1.NamespaceSpec': { finalizers: 1 },
  'io.k8s.api.core.v1.NamespaceStatus': { phase: 1, conditions: 2 },
  'io.k8s.api.core.v1.ObjectReference': {
    kind: 1, namespace: 2, name: 3, uid: 4, apiVersion: 5, resourceVersion: 6, fieldPath: 7,
  },
  'io.k8s.api.core.v1.PortStatus': { port: always(1), protocol: always(2), error: ptr(3) },
  'io.k8s.api.core.v1.ResourceQuota': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.core.v1.ResourceQuotaSpec': { hard: 1, scopes: 2, scopeSelector: 3 },
  'io.k8s.api.core.v1.ResourceQuotaStatus': { hard: 1, used: 2 },
  'io.k8s.api.core.v1.ScopeSelector': { matchExpressions: 1 },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': { scopeName: always(1), operator: always(2), values: 3 },
  'io.k8s.api.core.v1.Secret': { metadata: 1, data: 2, type: 3, stringData: 4, immutable: ptr(5) },
  'io.k8s.api.core.v1.Service': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.core.v1.ServiceAccount': { metadata: 1, secrets: 2, imagePullSecrets: 3, automountServiceAccountToken: ptr(4) },
  'io.k8s.api.core.v1.ServicePort': { name: 1, protocol: 2, port: always(3), targetPort: 4, nodePort: 5, appProtocol: ptr(6) },
  'io.k8s.api.core.v1.ServiceSpec': {
    ports: 1, selector: 2, clusterIP: 3, type: 4, externalIPs: 5, sessionAffinity: 7, loadBalancerIP: 8,
    loadBalancerSourceRanges: 9, externalName: 10, externalTrafficPolicy: 11, healthCheckNodePort: 12,
    publishNotReadyAddresses: 13, sessionAffinityConfig: 14, ipFamilyPolicy: ptr(17), clusterIPs: 18, ipFamilies: 19,
    allocateLoadBalancerNodePorts: ptr(20), loadBalancerClass: ptr(21), internalTrafficPolicy: ptr(22),
    trafficDistribution: ptr(23),
  },
  'io.k8s.api.core.v1.ServiceStatus': { loadBalancer: 1, conditions: 2 },
  'io.k8s.api.core.v1.SessionAffinityConfig': { clientIP: 1 },
};
