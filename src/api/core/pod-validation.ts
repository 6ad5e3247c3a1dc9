// Upstream ValidatePodSpec: the rules every PodSpec must satisfy, whether in a Pod or in a
// workload's template. `path` is the spec's own path (`spec`, `spec.template.spec`,
// `spec.jobTemplate.spec.template.spec`), so messages match upstream for each owner.
import { fieldError, type FieldError, childPath, indexPath } from '../field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP, isInRange } from '../meta/names.js';
import { validateLabelMap, validateResourceList } from './field-checks.js';
import type { PodSpec } from './pod-spec.js';
import { validateVolumes } from './volume-validation.js';
import { validateAppContainers, validateInitContainers, validateEphemeralContainers, type ContainerContext } from './container-validation.js';
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from './affinity-validation.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_INT32 = 2147483647;

function subdomain(value: string | undefined, path: string): FieldError[] {
  if (!value) return [];
  return isDNS1123Subdomain(value).map((m) => fieldError.invalid(path, value, m));
}

function label(value: string | undefined, path: string): FieldError[] {
  if (!value) return [];
  return isDNS1123Label(value).map((m) => fieldError.invalid(path, value, m));
}

function validateRestartPolicy(policy: string | undefined, path: string): FieldError[] {
  if (!policy) return [fieldError.required(path)];
  return RESTART_POLICIES.includes(policy) ? [] : [fieldError.notSupported(path, policy, RESTART_POLICIES)];
}

function validateDNS(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const dnsPath = childPath(path, 'dnsPolicy');
  if (!spec.dnsPolicy) errs.push(fieldError.required(dnsPath));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(fieldError.notSupported(dnsPath, spec.dnsPolicy, DNS_POLICIES));
  const cp = childPath(path, 'dnsConfig');
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None' && !cfg) errs.push(fieldError.required(cp, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  if (!cfg) return errs;
  const ns = cfg.nameservers ?? [];
  if (spec.dnsPolicy === 'None' && ns.length === 0) errs.push(fieldError.required(childPath(cp, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  if (ns.length > MAX_DNS_NAMESERVERS) errs.push(fieldError.invalid(childPath(cp, 'nameservers'), ns, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  ns.forEach((n, i) => { if (isValidIP(n).length) errs.push(fieldError.invalid(indexPath(childPath(cp, 'nameservers'), i), n, 'must be valid IP address')); });
  const searches = cfg.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) errs.push(fieldError.invalid(childPath(cp, 'searches'), searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  searches.forEach((s, i) => {
    const domain = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const m of isDNS1123Subdomain(domain)) errs.push(fieldError.invalid(indexPath(childPath(cp, 'searches'), i), s, m));
  });
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(fieldError.required(indexPath(childPath(cp, 'options'), i), 'Option.Name must not be empty'));
  });
  return errs;
}

/**
 * Upstream validateHostNetwork: with hostNetwork, a set hostPort equals its containerPort. Pods
 * get hostPort defaulted; templates may leave it 0.
 */
function validateHostNetworkPorts(spec: PodSpec, path: string): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  for (const [field, list] of [['containers', spec.containers], ['initContainers', spec.initContainers]] as const) {
    (list ?? []).forEach((c, i) => (c.ports ?? []).forEach((p, j) => {
      if (p.hostPort && p.hostPort !== p.containerPort) {
        errs.push(fieldError.invalid(childPath(indexPath(childPath(indexPath(childPath(path, field), i), 'ports'), j), 'containerPort'), p.containerPort ?? 0, 'must match `hostPort` when `hostNetwork` is true'));
      }
    }));
  }
  return errs;
}

/** Upstream AccumulateUniqueHostPorts: a hostPort/protocol pair is used once per pod. */
function validateUniqueHostPorts(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [field, list] of [['containers', spec.containers], ['initContainers', spec.initContainers]] as const) {
    (list ?? []).forEach((c, i) => (c.ports ?? []).forEach((p, j) => {
      if (!p.hostPort) return;
      const key = `${p.hostIP ?? ''}/${p.hostPort}/${p.protocol ?? 'TCP'}`;
      if (seen.has(key)) errs.push(fieldError.duplicate(childPath(indexPath(childPath(indexPath(childPath(path, field), i), 'ports'), j), 'hostPort'), `${p.hostPort}/${p.protocol ?? 'TCP'}`));
      seen.add(key);
    }));
  }
  return errs;
}

function validatePodSecurityContext(spec: PodSpec, path: string): FieldError[] {
  const sc = spec.securityContext;
  if (!sc) return [];
  const p = childPath(path, 'securityContext');
  const errs: FieldError[] = [];
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const v = sc[f];
    if (v !== undefined) for (const m of isInRange(v, 0, MAX_INT32)) errs.push(fieldError.invalid(childPath(p, f), v, m));
  }
  (sc.supplementalGroups ?? []).forEach((g, i) => {
    for (const m of isInRange(g, 0, MAX_INT32)) errs.push(fieldError.invalid(indexPath(childPath(p, 'supplementalGroups'), i), g, m));
  });
  if (sc.fsGroupChangePolicy !== undefined && !['OnRootMismatch', 'Always'].includes(sc.fsGroupChangePolicy)) {
    errs.push(fieldError.notSupported(childPath(p, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['OnRootMismatch', 'Always']));
  }
  (sc.sysctls ?? []).forEach((s, i) => {
    const sp = indexPath(childPath(p, 'sysctls'), i);
    if (!s.name) errs.push(fieldError.required(childPath(sp, 'name')));
    else if (!/^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(s.name) || s.name.length > 253) {
      errs.push(fieldError.invalid(childPath(sp, 'name'), s.name, 'must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$'));
    }
  });
  return errs;
}

/** Every PodSpec rule except the ones that depend on the owner (restart policy limits etc.). */
export function validatePodSpec(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const { errs: volErrs, names: volumes } = validateVolumes(spec.volumes, childPath(path, 'volumes'));
  errs.push(...volErrs);
  const claimNames = new Set((spec.resourceClaims ?? []).map((c) => c.name ?? ''));
  const ctx: ContainerContext = { volumes, hostNetwork: spec.hostNetwork === true, gracePeriod: spec.terminationGracePeriodSeconds ?? 30, claimNames };
  const seen = new Set<string>();
  const containers = spec.containers ?? [];
  if (containers.length === 0) errs.push(fieldError.required(childPath(path, 'containers')));
  errs.push(...validateInitContainers(spec.initContainers ?? [], childPath(path, 'initContainers'), ctx, seen));
  errs.push(...validateAppContainers(containers, childPath(path, 'containers'), ctx, seen));
  const targets = new Set([...containers, ...(spec.initContainers ?? [])].map((c) => c.name ?? ''));
  errs.push(...validateEphemeralContainers(spec.ephemeralContainers ?? [], childPath(path, 'ephemeralContainers'), ctx, seen, targets));
  errs.push(...validateHostNetworkPorts(spec, path));
  errs.push(...validateUniqueHostPorts(spec, path));
  errs.push(...validateRestartPolicy(spec.restartPolicy, childPath(path, 'restartPolicy')));
  errs.push(...validateDNS(spec, path));
  errs.push(...validateLabelMap(spec.nodeSelector, childPath(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, path));
  errs.push(...subdomain(spec.serviceAccountName, childPath(path, 'serviceAccountName')));
  errs.push(...subdomain(spec.nodeName, childPath(path, 'nodeName')));
  errs.push(...subdomain(spec.priorityClassName, childPath(path, 'priorityClassName')));
  errs.push(...subdomain(spec.runtimeClassName, childPath(path, 'runtimeClassName')));
  errs.push(...label(spec.hostname, childPath(path, 'hostname')));
  errs.push(...label(spec.subdomain, childPath(path, 'subdomain')));
  if (spec.activeDeadlineSeconds !== undefined) {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) errs.push(fieldError.invalid(childPath(path, 'activeDeadlineSeconds'), v, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  errs.push(...validateAffinity(spec.affinity, childPath(path, 'affinity')));
  errs.push(...validateTolerations(spec.tolerations, childPath(path, 'tolerations')));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, childPath(path, 'topologySpreadConstraints')));
  (spec.hostAliases ?? []).forEach((h, i) => {
    const hp = indexPath(childPath(path, 'hostAliases'), i);
    if (!h.ip) errs.push(fieldError.required(childPath(hp, 'ip')));
    else for (const m of isValidIP(h.ip)) errs.push(fieldError.invalid(childPath(hp, 'ip'), h.ip, m));
    (h.hostnames ?? []).forEach((name, j) => {
      for (const m of isDNS1123Subdomain(name)) errs.push(fieldError.invalid(indexPath(childPath(hp, 'hostnames'), j), name, m));
    });
  });
  (spec.readinessGates ?? []).forEach((g, i) => {
    const gp = indexPath(childPath(path, 'readinessGates'), i);
    for (const m of isQualifiedName(g.conditionType ?? '')) errs.push(fieldError.invalid(childPath(gp, 'conditionType'), g.conditionType ?? '', m));
  });
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    const gp = childPath(indexPath(childPath(path, 'schedulingGates'), i), 'name');
    for (const m of isQualifiedName(g.name ?? '')) errs.push(fieldError.invalid(gp, g.name ?? '', m));
    if (gates.has(g.name ?? '')) errs.push(fieldError.duplicate(gp, g.name ?? ''));
    gates.add(g.name ?? '');
  });
  errs.push(...validateResourceList(spec.overhead, childPath(path, 'overhead')));
  if (spec.os && !['linux', 'windows'].includes(spec.os.name ?? '')) {
    errs.push(fieldError.notSupported(childPath(path, 'os.name'), spec.os.name ?? '', ['linux', 'windows']));
  }
  if (spec.preemptionPolicy !== undefined && !['Never', 'PreemptLowerPriority'].includes(spec.preemptionPolicy)) {
    errs.push(fieldError.notSupported(childPath(path, 'preemptionPolicy'), spec.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  return errs;
}
