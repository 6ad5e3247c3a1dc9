// Ingress and IngressClass validation, after upstream pkg/apis/networking/validation.
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import {
  isDNS1035Label, isDNS1123Subdomain, isValidIP, isValidPathSegmentName, isValidPortName, isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../meta/names.js';
import type { Ingress, IngressBackend } from './ingress.js';
import { PATH_TYPES } from './ingress.js';

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

interface TypedRef { apiGroup?: string; kind?: string; name?: string }

/** Upstream validateIngressTypedLocalObjectReference. */
export function validateTypedLocalObjectReference(ref: TypedRef | undefined, path: string): FieldError[] {
  if (!ref) return [];
  const errs: FieldError[] = [];
  if (ref.apiGroup !== undefined) for (const m of isDNS1123Subdomain(ref.apiGroup)) errs.push(fieldError.invalid(childPath(path, 'apiGroup'), ref.apiGroup, m));
  for (const key of ['kind', 'name'] as const) {
    const value = ref[key] ?? '';
    if (!value) errs.push(fieldError.required(childPath(path, key), `${key} is required`));
    else for (const m of isValidPathSegmentName(value)) errs.push(fieldError.invalid(childPath(path, key), value, m));
  }
  return errs;
}

function validateBackend(b: IngressBackend, path: string): FieldError[] {
  if (b.resource && b.service) return [fieldError.invalid(path, '', 'cannot set both resource and service backends')];
  if (b.resource) return validateTypedLocalObjectReference(b.resource, childPath(path, 'resource'));
  if (!b.service) return [fieldError.invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = b.service.name ?? '';
  if (!name) errs.push(fieldError.required(`${path}.service.name`, ''));
  else for (const m of isDNS1035Label(name)) errs.push(fieldError.invalid(`${path}.service.name`, name, m));
  const portName = b.service.port?.name ?? '';
  const portNumber = b.service.port?.number ?? 0;
  if (portName && portNumber) errs.push(fieldError.invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const m of isValidPortName(portName)) errs.push(fieldError.invalid(`${path}.service.port.name`, portName, m));
  else if (portNumber) for (const m of isValidPortNum(portNumber)) errs.push(fieldError.invalid(`${path}.service.port.number`, portNumber, m));
  else errs.push(fieldError.required(path, 'port name or number is required'));
  return errs;
}

function hostMessages(host: string): string[] {
  return host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
}

/** Upstream ValidateIngressSpec. */
export function validateIngress(ing: Ingress): FieldError[] {
  const spec = ing.spec ?? {};
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) errs.push(fieldError.invalid('spec', rules, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const rp = indexPath('spec.rules', i);
    if (rule.host) {
      if (isValidIP(rule.host).length === 0) errs.push(fieldError.invalid(childPath(rp, 'host'), rule.host, 'must be a DNS name, not an IP address'));
      for (const m of hostMessages(rule.host)) errs.push(fieldError.invalid(childPath(rp, 'host'), rule.host, m));
    }
    if (!rule.http) return;
    const paths = rule.http.paths ?? [];
    if (paths.length === 0) errs.push(fieldError.required(`${rp}.http.paths`, ''));
    paths.forEach((p, j) => {
      const pp = indexPath(`${rp}.http.paths`, j);
      if (!p.pathType) {
        errs.push(fieldError.required(childPath(pp, 'pathType'), 'pathType must be specified'));
        return;
      }
      const path = p.path ?? '';
      if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
        if (!path.startsWith('/')) errs.push(fieldError.invalid(childPath(pp, 'path'), path, 'must be an absolute path'));
        for (const seq of INVALID_PATH_SEQUENCES) if (path.includes(seq)) errs.push(fieldError.invalid(childPath(pp, 'path'), path, `must not contain '${seq}'`));
        for (const suf of INVALID_PATH_SUFFIXES) if (path.endsWith(suf)) errs.push(fieldError.invalid(childPath(pp, 'path'), path, `cannot end with '${suf}'`));
      } else if (p.pathType === 'ImplementationSpecific') {
        if (path && !path.startsWith('/')) errs.push(fieldError.invalid(childPath(pp, 'path'), path, 'must be an absolute path'));
      } else {
        errs.push(fieldError.notSupported(childPath(pp, 'pathType'), p.pathType, PATH_TYPES));
      }
      errs.push(...validateBackend(p.backend ?? {}, childPath(pp, 'backend')));
    });
  });
  (spec.tls ?? []).forEach((tls, i) => {
    const tp = indexPath('spec.tls', i);
    (tls.hosts ?? []).forEach((h, j) => {
      for (const m of hostMessages(h)) errs.push(fieldError.invalid(indexPath(childPath(tp, 'hosts'), j), h, m));
    });
    if (tls.secretName) for (const m of isDNS1123Subdomain(tls.secretName)) errs.push(fieldError.invalid(childPath(tp, 'secretName'), tls.secretName, m));
  });
  if (spec.ingressClassName !== undefined) {
    for (const m of isDNS1123Subdomain(spec.ingressClassName)) errs.push(fieldError.invalid('spec.ingressClassName', spec.ingressClassName, m));
  }
  return errs;
}

/** Upstream IsDomainPrefixedPath (IngressClass controller names like `example.com/ingress`). */
export function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (!value) return [fieldError.required(path, '')];
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return [fieldError.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const rest = value.slice(slash + 1);
  const errs = isDNS1123Subdomain(host).map((m) => fieldError.invalid(path, host, m));
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest)) {
    errs.push(fieldError.invalid(path, rest, 'Invalid path (regex used for validation is \'[A-Za-z0-9/\\-._~%!$&\'()*+,;=:]+\')'));
  }
  return errs;
}
