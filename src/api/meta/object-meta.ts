// ObjectMeta validation on create and update, mirroring upstream
// k8s.io/apimachinery/pkg/api/validation/objectmeta.go and apis/meta/v1/validation. Every resource's
// validate/validateUpdate calls these for `metadata`; paths and messages are upstream's, so 422
// responses read the same (`metadata.name: Required value: name or generateName is required`).
import { childPath, fieldError, indexPath, type FieldError } from '../field-errors.js';
import { byteLength, isDNS1123Label, isQualifiedName, isValidLabelValue, validateNameFor, type NameValidation } from './names.js';

/** The metadata fields validation reads (structural: any ObjectMeta-shaped value fits). */
export interface ObjectMetaFields {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  ownerReferences?: readonly OwnerReferenceFields[] | null;
  finalizers?: readonly string[] | null;
  managedFields?: readonly { operation?: string; fieldsType?: string; manager?: string; subresource?: string }[] | null;
}

export interface OwnerReferenceFields {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean | null;
  blockOwnerDeletion?: boolean | null;
}

export interface ObjectMetaValidationOptions {
  /** Namespaced resources require `metadata.namespace`; cluster-scoped ones forbid it. */
  namespaced: boolean;
  /** The rule for `metadata.name`; upstream's default is a DNS-1123 subdomain. */
  nameValidation?: NameValidation;
}

/** Upstream TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** Finalizers Kubernetes itself handles (namespace controller, garbage collector). */
export const FINALIZER_KUBERNETES = 'kubernetes';
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';
export const STANDARD_FINALIZERS: readonly string[] = [FINALIZER_KUBERNETES, FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS];

/** Upstream FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE = 'field is immutable';

/** Upstream ValidateLabelName: a qualified name. */
export function validateLabelName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldError.invalid(path, name, msg));
}

/** Upstream ValidateLabels: keys are qualified names, values label values; errors at `path` itself. */
export function validateLabels(labels: Readonly<Record<string, string>> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const msg of isValidLabelValue(v)) errs.push(fieldError.invalid(path, v, msg));
  }
  return errs;
}

/** Upstream ValidateAnnotations: keys are qualified names (case-insensitive); total size ≤ 256 KiB. */
export function validateAnnotations(annotations: Readonly<Record<string, string>> | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldError.invalid(path, k, msg));
    total += byteLength(k) + byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(fieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

/** `group/version` → version (empty when the apiVersion has more than one '/'), as schema.FromAPIVersionAndKind. */
function versionOf(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' };
}

/** Upstream ValidateOwnerReferences: required fields, no Event owners, at most one controller. */
export function validateOwnerReferences(refs: readonly OwnerReferenceFields[] | null | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const gv = versionOf(apiVersion);
    if (!gv.version) errs.push(fieldError.invalid(childPath(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(fieldError.invalid(childPath(path, 'kind'), ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(fieldError.invalid(childPath(path, 'name'), ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(fieldError.invalid(childPath(path, 'uid'), ref.uid ?? '', 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
      errs.push(fieldError.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const current = `${ref.kind ?? ''}/${ref.name ?? ''}`;
      if (firstController) {
        errs.push(fieldError.invalid(path, refs,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`));
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

/** Upstream ValidateFinalizers: qualified names; `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: readonly string[] | null | undefined, path: string): FieldError[] {
  const list = finalizers ?? [];
  const errs: FieldError[] = [];
  for (const f of list) for (const msg of isQualifiedName(f)) errs.push(fieldError.invalid(path, f, msg));
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(fieldError.invalid(path, list, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`));
  }
  return errs;
}

/**
 * Core's stricter finalizer rule (Namespace `spec.finalizers`): a name without a '/' must be a
 * standard finalizer. Upstream core validation ValidateFinalizerName.
 */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => fieldError.invalid(path, name, msg));
  if (!name.includes('/') && !STANDARD_FINALIZERS.includes(name)) {
    errs.push(fieldError.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

/**
 * Warnings (not errors) the API server returns for non-standard finalizers without a domain, as
 * upstream does on create and update: `metadata.finalizers: "foo": prefer a domain-qualified …`.
 */
export function finalizerWarnings(finalizers: readonly string[] | null | undefined, path = 'metadata.finalizers'): string[] {
  const warnings: string[] = [];
  for (const f of finalizers ?? []) {
    if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) {
      warnings.push(`${path}: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`);
    }
  }
  return warnings;
}

/** Upstream ValidateManagedFields: operation Apply|Update, fieldsType FieldsV1, bounded subresource. */
export function validateManagedFields(entries: ObjectMetaFields['managedFields'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = indexPath(path, i);
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      errs.push(fieldError.invalid(childPath(p, 'operation'), e.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(fieldError.invalid(childPath(p, 'fieldsType'), e.fieldsType, 'must be `FieldsV1`'));
    if ((e.manager ?? '').length > 128) errs.push(fieldError.tooLong(childPath(p, 'manager'), 128));
    if ((e.subresource ?? '').length > 256) errs.push(fieldError.tooLong(childPath(p, 'subresource'), 256));
  });
  return errs;
}

/**
 * Validates a metav1.LabelSelector object (upstream ValidateLabelSelector with default options):
 * In/NotIn need values, Exists/DoesNotExist forbid them, keys are qualified names, values label values.
 */
export function validateLabelSelector(
  sel: { matchLabels?: Record<string, string> | null; matchExpressions?: readonly { key?: string; operator?: string; values?: readonly string[] | null }[] | null } | null | undefined,
  path: string,
): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, childPath(path, 'matchLabels'));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = indexPath(childPath(path, 'matchExpressions'), i);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(fieldError.required(childPath(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldError.forbidden(childPath(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldError.invalid(childPath(p, 'operator'), expr.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key ?? '', childPath(p, 'key')));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(fieldError.invalid(indexPath(childPath(p, 'values'), j), v, msg));
    });
  });
  return errs;
}

/** The checks create and update share (upstream validateObjectMetaAccessorWithOptsCommon, minus scope). */
function validateMetaContents(meta: ObjectMetaFields, path: string): FieldError[] {
  return [
    ...validateLabels(meta.labels, childPath(path, 'labels')),
    ...validateAnnotations(meta.annotations, childPath(path, 'annotations')),
    ...validateOwnerReferences(meta.ownerReferences, childPath(path, 'ownerReferences')),
    ...validateFinalizers(meta.finalizers, childPath(path, 'finalizers')),
    ...validateManagedFields(meta.managedFields, childPath(path, 'managedFields')),
  ];
}

/**
 * Validates metadata of an object being created (upstream ValidateObjectMeta). Call after name
 * generation: a generateName without a name is reported as a missing name, like upstream.
 */
export function validateObjectMeta(meta: ObjectMetaFields | null | undefined, opts: ObjectMetaValidationOptions, path = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const rule = opts.nameValidation ?? 'subdomain';
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of validateNameFor(rule, m.generateName, true)) errs.push(fieldError.invalid(childPath(path, 'generateName'), m.generateName, msg));
  }
  if (!m.name) errs.push(fieldError.required(childPath(path, 'name'), 'name or generateName is required'));
  else for (const msg of validateNameFor(rule, m.name, false)) errs.push(fieldError.invalid(childPath(path, 'name'), m.name, msg));
  if (opts.namespaced) {
    if (!m.namespace) errs.push(fieldError.required(childPath(path, 'namespace')));
    else for (const msg of isDNS1123Label(m.namespace)) errs.push(fieldError.invalid(childPath(path, 'namespace'), m.namespace, msg));
  } else if (m.namespace) {
    errs.push(fieldError.forbidden(childPath(path, 'namespace'), 'not allowed on this type'));
  }
  if ((m.generation ?? 0) < 0) errs.push(fieldError.invalid(childPath(path, 'generation'), m.generation, 'must be greater than or equal to 0'));
  errs.push(...validateMetaContents(m, path));
  return errs;
}

/** Unset and empty are the same value (Go zero values); timestamps compare as instants. */
function immutable(errs: FieldError[], path: string, next: unknown, prev: unknown, time = false): void {
  const norm = (v: unknown): unknown => {
    if (v === undefined || v === null || v === '') return null;
    if (time && typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Math.floor(Date.parse(v) / 1000);
    return v;
  };
  if (norm(next) !== norm(prev)) errs.push(fieldError.invalid(path, next ?? null, FIELD_IMMUTABLE));
}

/**
 * Validates metadata on update (upstream ValidateObjectMetaUpdate): name, namespace, uid,
 * creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds are immutable; generation
 * may not go down; resourceVersion must be set (for unconditional updates the server copies the
 * stored one in BEFORE validating); no finalizers may be added once deletion started.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMetaFields | null | undefined, oldMeta: ObjectMetaFields | null | undefined, path = 'metadata'): FieldError[] {
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const added = [...new Set(n.finalizers ?? [])].filter((f) => !(o.finalizers ?? []).includes(f)).sort();
    if (added.length) {
      errs.push(fieldError.forbidden(childPath(path, 'finalizers'),
        `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  if (!n.resourceVersion) errs.push(fieldError.invalid(childPath(path, 'resourceVersion'), n.resourceVersion ?? '', 'must be specified for an update'));
  if ((n.generation ?? 0) < (o.generation ?? 0)) errs.push(fieldError.invalid(childPath(path, 'generation'), n.generation ?? 0, 'must not be decremented'));
  immutable(errs, childPath(path, 'name'), n.name, o.name);
  immutable(errs, childPath(path, 'namespace'), n.namespace, o.namespace);
  immutable(errs, childPath(path, 'uid'), n.uid, o.uid);
  immutable(errs, childPath(path, 'creationTimestamp'), n.creationTimestamp, o.creationTimestamp, true);
  immutable(errs, childPath(path, 'deletionTimestamp'), n.deletionTimestamp, o.deletionTimestamp, true);
  immutable(errs, childPath(path, 'deletionGracePeriodSeconds'), n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds);
  errs.push(...validateMetaContents(n, path));
  return errs;
}
