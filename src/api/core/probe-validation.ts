// Upstream validation of probes and lifecycle hooks (validateProbe, validateProbeHandler,
// validateLifecycleHandler). Called by container-validation.ts with the container's paths.
import { fieldError, type FieldError, childPath } from '../field-errors.js';
import { isHTTPHeaderName } from '../meta/names.js';
import { validateNonnegative, validatePortNumber, validatePortNumOrName } from './field-checks.js';
import type { Probe, LifecycleHandler } from './probe.js';

const SCHEMES = ['HTTP', 'HTTPS'];

/** Exactly one handler, then the handler's own fields (probes and lifecycle hooks). */
function validateHandler(h: Probe | LifecycleHandler, path: string, kinds: readonly string[], gracePeriod: number): FieldError[] {
  const set = kinds.filter((k) => (h as Record<string, unknown>)[k] !== undefined && (h as Record<string, unknown>)[k] !== null);
  if (set.length === 0) return [fieldError.required(path, 'must specify a handler type')];
  const errs: FieldError[] = [];
  for (const extra of set.slice(1)) errs.push(fieldError.forbidden(childPath(path, extra), 'may not specify more than 1 handler type'));
  const a = h as Probe & LifecycleHandler;
  if (a.exec && (a.exec.command ?? []).length === 0) errs.push(fieldError.required(childPath(path, 'exec.command')));
  if (a.httpGet) {
    const hp = childPath(path, 'httpGet');
    if (!a.httpGet.path) errs.push(fieldError.required(childPath(hp, 'path')));
    errs.push(...portOrName(a.httpGet.port, childPath(hp, 'port')));
    if (a.httpGet.scheme !== undefined && !SCHEMES.includes(a.httpGet.scheme)) errs.push(fieldError.notSupported(childPath(hp, 'scheme'), a.httpGet.scheme, SCHEMES));
    for (const hdr of a.httpGet.httpHeaders ?? []) {
      for (const m of isHTTPHeaderName(hdr.name ?? '')) errs.push(fieldError.invalid(childPath(hp, 'httpHeaders'), hdr.name ?? '', m));
    }
  }
  if (a.tcpSocket) errs.push(...portOrName(a.tcpSocket.port, childPath(path, 'tcpSocket.port')));
  if (a.grpc) errs.push(...validatePortNumber(a.grpc.port ?? 0, childPath(path, 'grpc.port')));
  if (a.sleep) {
    const s = a.sleep.seconds ?? 0;
    if (s <= 0 || s > gracePeriod) errs.push(fieldError.invalid(childPath(path, 'sleep'), s, `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod})`));
  }
  return errs;
}

function portOrName(port: number | string | undefined, path: string): FieldError[] {
  if (port === undefined) return [fieldError.required(path)];
  return validatePortNumOrName(port, path);
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

export function validateProbe(p: Probe | undefined, path: string, gracePeriod: number): FieldError[] {
  if (!p) return [];
  const errs = validateHandler(p, path, PROBE_HANDLERS, gracePeriod);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...validateNonnegative(p[f], childPath(path, f)));
  }
  if (p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds <= 0) {
    errs.push(fieldError.invalid(childPath(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

/** A postStart/preStop hook: exactly one of exec, httpGet, tcpSocket, sleep. */
export function validateLifecycleHandler(h: LifecycleHandler, path: string, gracePeriod: number): FieldError[] {
  return validateHandler(h, path, LIFECYCLE_HANDLERS, gracePeriod);
}

/** Liveness and startup probes: successThreshold must be 1. */
export function validateLivenessLike(p: Probe | undefined, path: string, gracePeriod: number): FieldError[] {
  const errs = validateProbe(p, path, gracePeriod);
  if (p && p.successThreshold !== undefined && p.successThreshold !== 1) errs.push(fieldError.invalid(childPath(path, 'successThreshold'), p.successThreshold, 'must be 1'));
  return errs;
}

/** Readiness probes may not set terminationGracePeriodSeconds. */
export function validateReadinessProbe(p: Probe | undefined, path: string, gracePeriod: number): FieldError[] {
  const errs = validateProbe(p, path, gracePeriod);
  if (p?.terminationGracePeriodSeconds !== undefined) errs.push(fieldError.invalid(childPath(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  return errs;
}
