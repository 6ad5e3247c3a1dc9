// Field-level validation errors, shaped like upstream apimachinery's field.Error so that the
// API server can turn them into `Status` causes with the same reasons and messages.

/** Upstream `metav1.CauseType` values for field errors. */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** Field path in upstream notation: `spec.containers[0].image`, `metadata.labels[app]`. */
  field: string;
  /** The message without the field prefix, e.g. `Required value`. */
  message: string;
}

/** Renders a bad value the way upstream does: strings quoted, others as JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const fieldError = {
  required: (field: string, detail = ''): FieldError => ({
    type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value',
  }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueInvalid', field, message: `Invalid value: ${show(value)}${detail ? ': ' + detail : ''}`,
  }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported', field,
    message: `Unsupported value: ${show(value)}` + (supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''),
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    type: 'FieldValueDuplicate', field, message: `Duplicate value: ${show(value)}`,
  }),
  forbidden: (field: string, detail: string): FieldError => ({
    type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}`,
  }),
  notFound: (field: string, value: unknown): FieldError => ({
    type: 'FieldValueNotFound', field, message: `Not found: ${show(value)}`,
  }),
  tooLong: (field: string, max: number): FieldError => ({
    type: 'FieldValueTooLong', field, message: `Too long: may not be more than ${max} bytes`,
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany', field, message: `Too many: ${actual}: must have at most ${max} items`,
  }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid', field, message: `Invalid value: ${show(value)}: ${detail}`,
  }),
  internal: (field: string, detail: string): FieldError => ({
    type: 'InternalError', field, message: `Internal error: ${detail}`,
  }),
};

/** `spec.containers` + 0 → `spec.containers[0]`; used to build paths while walking objects. */
export function indexPath(path: string, index: number | string): string {
  return `${path}[${index}]`;
}

/** `spec` + `containers` → `spec.containers` (empty parent allowed). */
export function childPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** `spec.a: Required value` — the form upstream prints in aggregate messages. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${e.message}`;
}
