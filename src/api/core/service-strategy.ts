// Service defaulting (upstream SetDefaults_Service) and create/update preparation (upstream
// svcStrategy.PrepareForCreate/PrepareForUpdate plus the REST layer's patchAllocatedValues).
// The server's allocators run after these and fill clusterIP(s)/nodePorts/healthCheckNodePort
// that are still empty; ipFamilies/ipFamilyPolicy defaults below assume an IPv4 service CIDR.
import type { Service } from './service.js';
import { jsonEqual } from './field-checks.js';

type Spec = NonNullable<Service['spec']>;

/** Upstream ExternallyAccessible: reachable from outside through node ports, an LB or external IPs. */
export function externallyAccessible(spec: Spec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}
export function needsClusterIP(spec: Spec): boolean {
  return spec.type !== 'ExternalName';
}
export function needsNodePort(spec: Spec): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}
export function needsHealthCheckNodePort(spec: Spec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}
export function isHeadless(spec: Spec): boolean {
  return spec.clusterIP === 'None';
}

/** Upstream normalizeClusterIPs: keep clusterIP and clusterIPs[0] in step. */
function normalizeClusterIPs(spec: Spec, old?: Spec): void {
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  // User cleared clusterIP but left clusterIPs as they were: clear both (e.g. switch to ExternalName).
  if (!spec.clusterIP && old.clusterIP && jsonEqual(spec.clusterIPs, old.clusterIPs)) {
    delete spec.clusterIPs;
    return;
  }
  // User changed clusterIP but not clusterIPs: clusterIPs follows.
  if (spec.clusterIP && spec.clusterIP !== old.clusterIP && jsonEqual(spec.clusterIPs, old.clusterIPs)) {
    spec.clusterIPs = [spec.clusterIP];
    return;
  }
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
}

export function prepareServiceForCreate(svc: Service): void {
  delete svc.status;
  if (svc.spec) normalizeClusterIPs(svc.spec);
}

export function prepareServiceForUpdate(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};
  spec.type ||= 'ClusterIP';
  patchAllocatedValues(spec, { ...oldSpec, type: oldSpec.type || 'ClusterIP' });
  normalizeClusterIPs(spec, oldSpec);
  dropTypeDependentFields(svc, old);
}

/** Values the allocators filled in are kept when a full update (PUT) omits them. */
function patchAllocatedValues(spec: Spec, old: Spec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if (!spec.clusterIPs?.length && old.clusterIPs?.length) spec.clusterIPs = [...old.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(spec)) {
    const usedByNew = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n) => n));
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of spec.ports ?? []) {
      const oldValue = byName.get(p.name ?? '');
      if (!p.nodePort && oldValue && !usedByNew.has(oldValue)) p.nodePort = oldValue;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(spec) && !spec.healthCheckNodePort && old.healthCheckNodePort) {
    spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/** Upstream dropTypeDependentFields: wipe what the old type allocated and the new one does not use. */
function dropTypeDependentFields(svc: Service, old: Service): void {
  const spec = svc.spec!;
  const oldSpec = { ...old.spec, type: old.spec?.type || 'ClusterIP' };
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (spec.clusterIP === oldSpec.clusterIP && jsonEqual(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (jsonEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  const sameNodePorts = jsonEqual((spec.ports ?? []).map((p) => p.nodePort ?? 0), (oldSpec.ports ?? []).map((p) => p.nodePort ?? 0));
  if (needsNodePort(oldSpec) && !needsNodePort(spec) && sameNodePorts) {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec) && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer' && svc.status?.loadBalancer) svc.status.loadBalancer = {};
}

/** Upstream SetDefaults_Service, plus the registry's ipFamilyPolicy/ipFamilies defaults. */
export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && spec.type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (spec.type === 'LoadBalancer') {
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
  if (spec.type !== 'ExternalName') {
    // Headless services without a selector may carry addresses of every family.
    const headlessNoSelector = isHeadless(spec) && Object.keys(spec.selector ?? {}).length === 0;
    spec.ipFamilyPolicy ??= headlessNoSelector ? 'RequireDualStack' : 'SingleStack';
    if (!spec.ipFamilies?.length) {
      const ip = spec.clusterIPs?.[0] ?? spec.clusterIP;
      spec.ipFamilies = [ip && ip !== 'None' && ip.includes(':') ? 'IPv6' : 'IPv4'];
    }
  }
}
