// Upstream ValidatePodSpec's per-container rules (validateContainers, validateInitContainers,
// validateEphemeralContainers and what they call). Called by pod-validation.ts only; every path
// is built from the caller's prefix so workload templates report `spec.template.spec.…`.
import { fieldError, type FieldError, childPath, indexPath } from '../field-errors.js';
import { isEnvVarName, isConfigMapKey, isQualifiedName, isDNS1123Subdomain, isInRange, isValidPortName } from '../meta/names.js';
import { compareQuantity, canonicalizeQuantity } from '../meta/quantity.js';
import { validatePortNumber, validateNonnegativeQuantity, validateDNS1123Label } from './field-checks.js';
import type { Container, EphemeralContainer, ContainerPort, EnvVar, EnvFromSource, ResourceRequirements, VolumeMount } from './container.js';
import type { SecurityContext } from './security-context.js';
import { validateLocalDescendingPath } from './volume-validation.js';
import { validateLifecycleHandler, validateLivenessLike, validateReadinessProbe } from './probe-validation.js';

/** What the container rules need to know about the rest of the pod. */
export interface ContainerContext {
  /** Volume name → true when it is backed by a persistentVolumeClaim/ephemeral (block-capable). */
  volumes: Map<string, boolean>;
  hostNetwork: boolean;
  /** Pod terminationGracePeriodSeconds (bounds lifecycle sleep). */
  gracePeriod: number;
  /** Names of spec.resourceClaims. */
  claimNames: Set<string>;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const MOUNT_PROPAGATION = ['None', 'HostToContainer', 'Bidirectional'];
const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const ENV_RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const MAX_INT32 = 2147483647;

export function validatePorts(ports: ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const ip = indexPath(path, i);
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length) for (const m of msgs) errs.push(fieldError.invalid(childPath(ip, 'name'), p.name, m));
      else if (names.has(p.name)) errs.push(fieldError.duplicate(childPath(ip, 'name'), p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errs.push(fieldError.required(childPath(ip, 'containerPort')));
    else errs.push(...validatePortNumber(p.containerPort, childPath(ip, 'containerPort')));
    if (p.hostPort) errs.push(...validatePortNumber(p.hostPort, childPath(ip, 'hostPort')));
    if (!p.protocol) errs.push(fieldError.required(childPath(ip, 'protocol')));
    else if (!['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(fieldError.notSupported(childPath(ip, 'protocol'), p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

export function validateEnv(env: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((e, i) => {
    const ip = indexPath(path, i);
    if (!e.name) errs.push(fieldError.required(childPath(ip, 'name')));
    else for (const m of isEnvVarName(e.name)) errs.push(fieldError.invalid(childPath(ip, 'name'), e.name, m));
    errs.push(...validateEnvValueFrom(e, childPath(ip, 'valueFrom')));
  });
  return errs;
}

function validateEnvValueFrom(e: EnvVar, path: string): FieldError[] {
  const from = e.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    const fp = from.fieldRef.fieldPath ?? '';
    if (!from.fieldRef.apiVersion) errs.push(fieldError.required(childPath(path, 'fieldRef.apiVersion')));
    else if (!fp) errs.push(fieldError.required(childPath(path, 'fieldRef.fieldPath')));
    else if (!ENV_FIELD_PATHS.includes(fp) && !/^metadata\.(labels|annotations)\[.+\]$/.test(fp)) {
      errs.push(fieldError.notSupported(childPath(path, 'fieldRef.fieldPath'), fp, ENV_FIELD_PATHS));
    }
  }
  if (from.resourceFieldRef) {
    sources++;
    const r = from.resourceFieldRef.resource ?? '';
    if (!r) errs.push(fieldError.required(childPath(path, 'resourceFieldRef.resource')));
    else if (!ENV_RESOURCE_FIELDS.includes(r) && !/^(limits|requests)\.hugepages-/.test(r)) {
      errs.push(fieldError.notSupported(childPath(path, 'resourceFieldRef.resource'), r, ENV_RESOURCE_FIELDS));
    }
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = from[kind];
    if (!ref) continue;
    sources++;
    const rp = childPath(path, kind);
    // Upstream runs the name check even on an empty name (no Required here).
    for (const m of isDNS1123Subdomain(ref.name ?? '')) errs.push(fieldError.invalid(childPath(rp, 'name'), ref.name ?? '', m));
    if (!ref.key) errs.push(fieldError.required(childPath(rp, 'key')));
    else for (const m of isConfigMapKey(ref.key)) errs.push(fieldError.invalid(childPath(rp, 'key'), ref.key, m));
  }
  if (sources === 0) errs.push(fieldError.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (e.value) errs.push(fieldError.invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(fieldError.invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

export function validateEnvFrom(envFrom: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (envFrom ?? []).forEach((ef, i) => {
    const ip = indexPath(path, i);
    if (ef.prefix) for (const m of isEnvVarName(ef.prefix)) errs.push(fieldError.invalid(childPath(ip, 'prefix'), ef.prefix, m));
    const refs = (['configMapRef', 'secretRef'] as const).filter((k) => ef[k]);
    if (refs.length === 0) errs.push(fieldError.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(fieldError.invalid(path, '', 'may not have more than one field specified at a time'));
    for (const k of refs) {
      const name = ef[k]!.name ?? '';
      if (!name) errs.push(fieldError.required(childPath(ip, `${k}.name`)));
      else for (const m of isDNS1123Subdomain(name)) errs.push(fieldError.invalid(childPath(ip, `${k}.name`), name, m));
    }
  });
  return errs;
}

/** Resources whose request may be below their limit (upstream IsOvercommitAllowed). */
function overcommitAllowed(name: string): boolean {
  const native = !name.includes('/') || name.startsWith('kubernetes.io/') || name.includes('.kubernetes.io/');
  return native && !name.startsWith('hugepages-');
}

export function validateResources(res: ResourceRequirements | undefined, path: string, claimNames: Set<string>): FieldError[] {
  if (!res) return [];
  const errs: FieldError[] = [];
  const limits = res.limits ?? {};
  const requests = res.requests ?? {};
  const lp = childPath(path, 'limits');
  const rp = childPath(path, 'requests');
  for (const [name, q] of Object.entries(limits)) {
    for (const m of isQualifiedName(name)) errs.push(fieldError.invalid(indexPath(lp, name), name, m));
    errs.push(...validateNonnegativeQuantity(String(q), indexPath(lp, name)));
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = indexPath(rp, name);
    for (const m of isQualifiedName(name)) errs.push(fieldError.invalid(p, name, m));
    const qErrs = validateNonnegativeQuantity(String(q), p);
    errs.push(...qErrs);
    if (qErrs.length) continue;
    const limit = limits[name];
    if (limit !== undefined) {
      const cmp = safeCompare(q, limit);
      if (cmp === undefined) continue;
      if (cmp !== 0 && !overcommitAllowed(name)) errs.push(fieldError.invalid(rp, canonicalizeQuantity(q), `must be equal to ${name} limit of ${canonicalizeQuantity(limit)}`));
      else if (cmp > 0) errs.push(fieldError.invalid(rp, canonicalizeQuantity(q), `must be less than or equal to ${name} limit of ${canonicalizeQuantity(limit)}`));
    } else if (!overcommitAllowed(name)) {
      errs.push(fieldError.required(lp, 'Limit must be set for non overcommitable resources'));
    }
  }
  (res.claims ?? []).forEach((c, i) => {
    const cp = indexPath(childPath(path, 'claims'), i);
    if (!c.name) errs.push(fieldError.required(childPath(cp, 'name')));
    else if (!claimNames.has(c.name)) errs.push(fieldError.notFound(cp, c.name));
  });
  return errs;
}

function safeCompare(a: string, b: string): number | undefined {
  try { return compareQuantity(a, b); } catch { return undefined; }
}

export function validateVolumeMounts(mounts: VolumeMount[] | undefined, path: string, volumes: Map<string, boolean>, deviceNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const ip = indexPath(path, i);
    if (!m.name) errs.push(fieldError.required(childPath(ip, 'name')));
    if (!volumes.has(m.name ?? '')) errs.push(fieldError.notFound(childPath(ip, 'name'), m.name ?? ''));
    if (!m.mountPath) errs.push(fieldError.required(childPath(ip, 'mountPath')));
    if (mountPoints.has(m.mountPath ?? '')) errs.push(fieldError.invalid(childPath(ip, 'mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath ?? '');
    if (m.name && deviceNames.has(m.name)) errs.push(fieldError.invalid(childPath(ip, 'name'), m.name, 'must not already exist in volumeDevices'));
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, childPath(ip, 'subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(fieldError.invalid(childPath(ip, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, childPath(ip, 'subPathExpr')));
    }
    if (m.mountPropagation !== undefined && !MOUNT_PROPAGATION.includes(m.mountPropagation)) {
      errs.push(fieldError.notSupported(childPath(ip, 'mountPropagation'), m.mountPropagation, MOUNT_PROPAGATION));
    }
  });
  return errs;
}

function validateSecurityContext(sc: SecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  for (const f of ['runAsUser', 'runAsGroup'] as const) {
    const v = sc[f];
    if (v !== undefined) for (const m of isInRange(v, 0, MAX_INT32)) errs.push(fieldError.invalid(childPath(path, f), v, m));
  }
  if (sc.procMount !== undefined && !['Default', 'Unmasked'].includes(sc.procMount)) errs.push(fieldError.notSupported(childPath(path, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
    errs.push(fieldError.invalid(path, 'privileged', 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  return errs;
}

/** Rules common to every kind of container (upstream validateContainerCommon). */
function validateContainerCommon(c: Container | EphemeralContainer, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.image) errs.push(fieldError.required(childPath(path, 'image')));
  else if (c.image.trim() !== c.image) errs.push(fieldError.invalid(childPath(path, 'image'), c.image, 'must not have leading or trailing whitespace'));
  if (c.lifecycle) {
    for (const hook of ['postStart', 'preStop'] as const) {
      const h = c.lifecycle[hook];
      if (h) errs.push(...validateLifecycleHandler(h, childPath(path, `lifecycle.${hook}`), ctx.gracePeriod));
    }
  }
  errs.push(...validatePorts(c.ports, childPath(path, 'ports')));
  errs.push(...validateEnv(c.env, childPath(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom, childPath(path, 'envFrom')));
  const deviceNames = new Set((c.volumeDevices ?? []).map((d) => d.name ?? ''));
  errs.push(...validateVolumeMounts(c.volumeMounts, childPath(path, 'volumeMounts'), ctx.volumes, deviceNames));
  (c.volumeDevices ?? []).forEach((d, i) => {
    const dp = indexPath(childPath(path, 'volumeDevices'), i);
    if (!d.name) errs.push(fieldError.required(childPath(dp, 'name')));
    else if (!ctx.volumes.has(d.name)) errs.push(fieldError.notFound(childPath(dp, 'name'), d.name));
    else if (!ctx.volumes.get(d.name)) errs.push(fieldError.invalid(childPath(dp, 'name'), d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!d.devicePath) errs.push(fieldError.required(childPath(dp, 'devicePath')));
  });
  errs.push(...validateResources(c.resources, childPath(path, 'resources'), ctx.claimNames));
  if (!c.imagePullPolicy) errs.push(fieldError.required(childPath(path, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(fieldError.notSupported(childPath(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  if (!c.terminationMessagePolicy) errs.push(fieldError.required(childPath(path, 'terminationMessagePolicy')));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(fieldError.notSupported(childPath(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validateSecurityContext(c.securityContext, childPath(path, 'securityContext')));
  return errs;
}

/** Name rules: required, DNS label, unique among every container of the pod (`seen`). */
function validateContainerName(name: string | undefined, path: string, seen: Set<string>): FieldError[] {
  const p = childPath(path, 'name');
  if (!name) return [fieldError.required(p)];
  const errs = validateDNS1123Label(name, p);
  if (seen.has(name)) errs.push(fieldError.duplicate(p, name));
  else seen.add(name);
  return errs;
}

/** spec.containers. */
export function validateAppContainers(containers: Container[], path: string, ctx: ContainerContext, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const ip = indexPath(path, i);
    errs.push(...validateContainerName(c.name, ip, seen));
    errs.push(...validateContainerCommon(c, ip, ctx));
    if (c.restartPolicy !== undefined) errs.push(fieldError.forbidden(childPath(ip, 'restartPolicy'), 'may not be set for non-init containers'));
    errs.push(...validateLivenessLike(c.livenessProbe, childPath(ip, 'livenessProbe'), ctx.gracePeriod));
    errs.push(...validateReadinessProbe(c.readinessProbe, childPath(ip, 'readinessProbe'), ctx.gracePeriod));
    errs.push(...validateLivenessLike(c.startupProbe, childPath(ip, 'startupProbe'), ctx.gracePeriod));
  });
  return errs;
}

/** spec.initContainers: sidecars (restartPolicy Always) may have probes and lifecycle hooks. */
export function validateInitContainers(containers: Container[], path: string, ctx: ContainerContext, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const ip = indexPath(path, i);
    errs.push(...validateContainerName(c.name, ip, seen));
    errs.push(...validateContainerCommon(c, ip, ctx));
    const sidecar = c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined && !sidecar) errs.push(fieldError.notSupported(childPath(ip, 'restartPolicy'), c.restartPolicy, ['Always']));
    if (sidecar) {
      errs.push(...validateLivenessLike(c.livenessProbe, childPath(ip, 'livenessProbe'), ctx.gracePeriod));
      errs.push(...validateReadinessProbe(c.readinessProbe, childPath(ip, 'readinessProbe'), ctx.gracePeriod));
      errs.push(...validateLivenessLike(c.startupProbe, childPath(ip, 'startupProbe'), ctx.gracePeriod));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[f]) errs.push(fieldError.forbidden(childPath(ip, f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

/** spec.ephemeralContainers: no ports, probes, lifecycle or resources; target must exist. */
export function validateEphemeralContainers(containers: EphemeralContainer[], path: string, ctx: ContainerContext, seen: Set<string>, targets: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const ip = indexPath(path, i);
    errs.push(...validateContainerName(c.name, ip, seen));
    errs.push(...validateContainerCommon(c, ip, ctx));
    for (const f of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'] as const) {
      if (c[f] !== undefined && !(Array.isArray(c[f]) && (c[f] as unknown[]).length === 0)) errs.push(fieldError.forbidden(childPath(ip, f), 'cannot be set for an Ephemeral Container'));
    }
    if (c.resources && (Object.keys(c.resources.limits ?? {}).length || Object.keys(c.resources.requests ?? {}).length)) {
      errs.push(fieldError.forbidden(childPath(ip, 'resources'), 'cannot be set for an Ephemeral Container'));
    }
    if (c.targetContainerName && !targets.has(c.targetContainerName)) errs.push(fieldError.notFound(childPath(ip, 'targetContainerName'), c.targetContainerName));
  });
  return errs;
}
