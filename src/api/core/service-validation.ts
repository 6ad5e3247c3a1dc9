// Service validation, after upstream ValidateService / ValidateServiceUpdate. Runs after
// defaulting. Node port ranges and IP ranges are the allocators' business, not checked here.
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { isQualifiedName, isValidCIDR, isValidIP } from '../meta/names.js';
import type { Service, ServicePort } from './service.js';
import { externallyAccessible, isHeadless, needsHealthCheckNodePort } from './service-strategy.js';
import {
  validateDNS1123Label, validateDNS1123Subdomain, validateEnum, validateLabelMap, validatePortNumOrName,
  validatePortNumber, validateProtocol,
} from './field-checks.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(fieldError.required(childPath(path, 'name'), ''));
  else if (sp.name) {
    errs.push(...validateDNS1123Label(sp.name, childPath(path, 'name')));
    if (names.has(sp.name)) errs.push(fieldError.duplicate(childPath(path, 'name'), sp.name));
    names.add(sp.name);
  }
  if (sp.port === undefined) errs.push(fieldError.invalid(childPath(path, 'port'), 0, 'must be between 1 and 65535, inclusive'));
  else errs.push(...validatePortNumber(sp.port, childPath(path, 'port')));
  errs.push(...validateProtocol(sp.protocol, childPath(path, 'protocol')));
  errs.push(...validatePortNumOrName(sp.targetPort, childPath(path, 'targetPort')));
  if (sp.appProtocol !== undefined) {
    for (const m of isQualifiedName(sp.appProtocol)) errs.push(fieldError.invalid(childPath(path, 'appProtocol'), sp.appProtocol, m));
  }
  return errs;
}

function validateClusterIPs(spec: NonNullable<Service['spec']>): FieldError[] {
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(fieldError.required('spec.clusterIPs', ''));
    else if (ips[0] !== spec.clusterIP) errs.push(fieldError.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(fieldError.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) errs.push(fieldError.invalid('spec.clusterIPs', ips, '\'None\' must be the first and only value'));
      return;
    }
    for (const m of isValidIP(ip)) errs.push(fieldError.invalid(indexPath('spec.clusterIPs', i), ip, m));
  });
  if (ips.length > 2) errs.push(fieldError.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f, i) => {
    errs.push(...validateEnum(f, ['IPv4', 'IPv6'], indexPath('spec.ipFamilies', i)));
    if (seen.has(f)) errs.push(fieldError.duplicate(indexPath('spec.ipFamilies', i), f));
    seen.add(f);
  });
  errs.push(...validateEnum(spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'spec.ipFamilyPolicy'));
  if (spec.ipFamilyPolicy === 'SingleStack' && ips.length > 1) {
    errs.push(fieldError.invalid('spec.clusterIPs', ips, 'must be a single IP when `ipFamilyPolicy` is \'SingleStack\''));
  }
  return errs;
}

function validateTypeSpecific(spec: NonNullable<Service['spec']>): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  switch (spec.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (isHeadless(spec)) errs.push(fieldError.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
      break;
    case 'ExternalName': {
      if (spec.clusterIPs?.length) errs.push(fieldError.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (spec.ipFamilies?.length) errs.push(fieldError.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined) errs.push(fieldError.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const name = (spec.externalName ?? '').replace(/\.$/, '');
      if (!name) errs.push(fieldError.required('spec.externalName', ''));
      else errs.push(...validateDNS1123Subdomain(name, 'spec.externalName'));
      break;
    }
    case 'ClusterIP':
      ports.forEach((p, i) => {
        if (p.nodePort) errs.push(fieldError.forbidden(childPath(indexPath('spec.ports', i), 'nodePort'), 'may not be used when `type` is \'ClusterIP\''));
      });
      break;
  }
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(fieldError.required('spec.ports', ''));
  errs.push(...validateTypeSpecific(spec));
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, indexPath('spec.ports', i))));
  errs.push(...validateLabelMap(spec.selector, 'spec.selector'));

  if (!spec.sessionAffinity) errs.push(fieldError.required('spec.sessionAffinity', ''));
  else errs.push(...validateEnum(spec.sessionAffinity, ['ClientIP', 'None'], 'spec.sessionAffinity'));
  if (spec.sessionAffinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    const p = 'spec.sessionAffinityConfig.clientIP.timeoutSeconds';
    if (t === undefined) errs.push(fieldError.required(p, 'when session affinity type is ClientIP'));
    else if (t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS) errs.push(fieldError.invalid(p, t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`));
  } else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(fieldError.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPs(spec));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    for (const m of isValidIP(ip)) errs.push(fieldError.invalid(indexPath('spec.externalIPs', i), ip, m));
  });
  if (!spec.type) errs.push(fieldError.required('spec.type', ''));
  else errs.push(...validateEnum(spec.type, SERVICE_TYPES, 'spec.type'));

  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const path = indexPath('spec.ports', i);
    if (p.nodePort) {
      const key = `${p.protocol}/${p.nodePort}`;
      if (nodePorts.has(key)) errs.push(fieldError.duplicate(childPath(path, 'nodePort'), p.nodePort));
      nodePorts.add(key);
      errs.push(...validatePortNumber(p.nodePort, childPath(path, 'nodePort')));
    }
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key)) errs.push(fieldError.duplicate(path, { port: p.port, protocol: p.protocol }));
    portKeys.add(key);
  });

  if (spec.loadBalancerSourceRanges?.length) {
    // Upstream's path really is capitalised here.
    if (spec.type !== 'LoadBalancer') errs.push(fieldError.forbidden('spec.LoadBalancerSourceRanges', 'may only be used when `type` is \'LoadBalancer\''));
    spec.loadBalancerSourceRanges.forEach((r, i) => {
      for (const m of isValidCIDR(r.trim())) errs.push(fieldError.invalid(indexPath('spec.LoadBalancerSourceRanges', i), r.trim(), m));
    });
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer') {
    errs.push(fieldError.forbidden('spec.allocateLoadBalancerNodePorts', 'may only be used when `type` is \'LoadBalancer\''));
  }
  if (spec.loadBalancerClass !== undefined) {
    if (spec.type !== 'LoadBalancer') errs.push(fieldError.forbidden('spec.loadBalancerClass', 'may only be used when `type` is \'LoadBalancer\''));
    else for (const m of isQualifiedName(spec.loadBalancerClass)) errs.push(fieldError.invalid('spec.loadBalancerClass', spec.loadBalancerClass, m));
  }
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(fieldError.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else {
    if (!spec.externalTrafficPolicy) errs.push(fieldError.required('spec.externalTrafficPolicy', ''));
    else errs.push(...validateEnum(spec.externalTrafficPolicy, ['Cluster', 'Local'], 'spec.externalTrafficPolicy'));
  }
  if (!needsHealthCheckNodePort(spec) && spec.healthCheckNodePort) {
    errs.push(fieldError.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, 'may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\''));
  }
  if (spec.internalTrafficPolicy === undefined && ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type ?? '')) {
    errs.push(fieldError.required('spec.internalTrafficPolicy', ''));
  }
  errs.push(...validateEnum(spec.internalTrafficPolicy, ['Cluster', 'Local'], 'spec.internalTrafficPolicy'));
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== 'PreferClose') {
    errs.push(fieldError.notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** Upstream ValidateServiceUpdate: the primary cluster IP and IP family are fixed once set. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const oldSpec = old.spec ?? {};
  if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
    const [newIPs, oldIPs] = [spec.clusterIPs ?? [], oldSpec.clusterIPs ?? []];
    if (oldIPs.length > 0 && newIPs.length === 0) errs.push(fieldError.invalid('spec.clusterIPs', newIPs, 'primary clusterIP can not be unset'));
    oldIPs.forEach((ip, i) => {
      if (i < newIPs.length && newIPs[i] !== ip) errs.push(fieldError.invalid(indexPath('spec.clusterIPs', i), newIPs[i], 'may not change once set'));
    });
    const [newFam, oldFam] = [spec.ipFamilies ?? [], oldSpec.ipFamilies ?? []];
    oldFam.forEach((f, i) => {
      if (i < newFam.length && newFam[i] !== f) errs.push(fieldError.invalid(indexPath('spec.ipFamilies', i), newFam[i], 'may not change once set'));
    });
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && oldSpec.loadBalancerClass !== spec.loadBalancerClass) {
    errs.push(fieldError.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec) && oldSpec.healthCheckNodePort !== spec.healthCheckNodePort) {
    errs.push(fieldError.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return [...errs, ...validateService(svc)];
}
