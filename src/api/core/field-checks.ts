// Small validation building blocks shared by the resource files of every group, mirroring the
// helpers of upstream's pkg/apis/core/validation (ValidateImmutableField, ValidateNonnegativeField,
// ValidatePortNumOrName, ValidateLabelSelector, ValidateResourceQuantityValue, …). Each returns
// FieldErrors with upstream's field paths and messages; none of them throws.
import { fieldError, type FieldError, indexPath, childPath } from '../field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPercent, isValidPortName, isValidPortNum } from '../meta/names.js';
import { compareQuantity, parseQuantity } from '../meta/quantity.js';

/** Upstream's FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE = 'field is immutable';
/** Upstream's isNegativeErrorMsg. */
export const IS_NEGATIVE = 'must be greater than or equal to 0';
/** Upstream's isNotPositiveErrorMsg. */
export const IS_NOT_POSITIVE = 'must be greater than zero';

/** Structural equality of two JSON values (key order does not matter; undefined ≡ absent). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

/** Upstream ValidateImmutableField: `Invalid value: <new>: field is immutable` when changed. */
export function validateImmutable(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return jsonEqual(newValue, oldValue) ? [] : [fieldError.invalid(path, newValue ?? null, FIELD_IMMUTABLE)];
}

/** Upstream ValidateNonnegativeField. */
export function validateNonnegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [fieldError.invalid(path, value, IS_NEGATIVE)] : [];
}

/** A port number check producing `Invalid value: <port>: must be between 1 and 65535, inclusive`. */
export function validatePortNumber(port: number | undefined, path: string): FieldError[] {
  if (port === undefined) return [];
  return isValidPortNum(port).map((m) => fieldError.invalid(path, port, m));
}

/** Upstream ValidatePortNumOrName (targetPort, probe ports, network policy ports). */
export function validatePortNumOrName(port: number | string | undefined, path: string): FieldError[] {
  if (port === undefined) return [];
  if (typeof port === 'number') return validatePortNumber(port, path);
  if (port === '') return [fieldError.required(path, '')];
  return isValidPortName(port).map((m) => fieldError.invalid(path, port, m));
}

/** Protocols accepted for service, endpoint and network-policy ports, sorted as upstream lists them. */
export const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

export function validateProtocol(protocol: string | undefined, path: string, required = true): FieldError[] {
  if (protocol === undefined || protocol === '') return required ? [fieldError.required(path, '')] : [];
  return (SUPPORTED_PROTOCOLS as readonly string[]).includes(protocol) ? [] : [fieldError.notSupported(path, protocol, SUPPORTED_PROTOCOLS)];
}

export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => fieldError.invalid(path, value, m));
}

export function validateDNS1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => fieldError.invalid(path, value, m));
}

/** Upstream ValidateLabels for maps outside metadata (selectors, topology): keys then values. */
export function validateLabelMap(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(fieldError.invalid(path, k, m));
    for (const m of isValidLabelValue(v)) errs.push(fieldError.invalid(path, v, m));
  }
  return errs;
}

interface SelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** Upstream metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(selector: SelectorLike | undefined, path: string): FieldError[] {
  if (!selector) return [];
  const errs = validateLabelMap(selector.matchLabels, childPath(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const p = indexPath(childPath(path, 'matchExpressions'), i);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(fieldError.required(childPath(p, 'values'), 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldError.forbidden(childPath(p, 'values'), 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(fieldError.invalid(childPath(p, 'operator'), req.operator ?? '', 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(req.key ?? '')) errs.push(fieldError.invalid(childPath(p, 'key'), req.key ?? '', m));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(fieldError.invalid(indexPath(childPath(p, 'values'), j), v, m));
    });
  });
  return errs;
}

/** True when the string parses as a resource.Quantity. */
export function isQuantity(value: string): boolean {
  try {
    parseQuantity(value);
    return true;
  } catch {
    return false;
  }
}

/** Upstream ValidateResourceQuantityValue's sign check: `must be greater than or equal to 0`. */
export function validateNonnegativeQuantity(value: string, path: string): FieldError[] {
  if (!isQuantity(value)) return [fieldError.invalid(path, value, 'must be a valid quantity')];
  return compareQuantity(value, '0') < 0 ? [fieldError.invalid(path, value, IS_NEGATIVE)] : [];
}

/** Upstream ValidatePositiveQuantityValue: `must be greater than zero`. */
export function validatePositiveQuantity(value: string, path: string): FieldError[] {
  if (!isQuantity(value)) return [fieldError.invalid(path, value, 'must be a valid quantity')];
  return compareQuantity(value, '0') <= 0 ? [fieldError.invalid(path, value, IS_NOT_POSITIVE)] : [];
}

/** Every quantity of a ResourceList (`spec.hard[cpu]`) must be non-negative. */
export function validateResourceList(list: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    for (const m of isQualifiedName(name)) errs.push(fieldError.invalid(indexPath(path, name), name, m));
    errs.push(...validateNonnegativeQuantity(q, indexPath(path, name)));
  }
  return errs;
}

/** Upstream ValidatePositiveIntOrPercent + IsNotMoreThan100Percent (PDB, rolling updates). */
export function validateIntOrPercent(value: number | string | undefined, path: string): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return validateNonnegative(value, path);
  const errs = isValidPercent(value).map((m) => fieldError.invalid(path, value, m));
  if (errs.length === 0 && Number.parseInt(value, 10) > 100) errs.push(fieldError.invalid(path, value, 'must not be greater than 100%'));
  return errs;
}

/** Checks `value` against a closed set, upstream's NotSupported with the sorted list. */
export function validateEnum(value: string | undefined, allowed: readonly string[], path: string, required = false): FieldError[] {
  if (value === undefined || value === '') return required ? [fieldError.required(path, '')] : [];
  return allowed.includes(value) ? [] : [fieldError.notSupported(path, value, [...allowed].sort())];
}
