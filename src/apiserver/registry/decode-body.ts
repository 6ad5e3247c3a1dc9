// Turns a request body into a typed object of the endpoint's kind: kind/apiVersion checks,
// schema decoding (type checks, unknown-field pruning, defaults) and fieldValidation handling.
import { apiVersionOf, errors, type KubeObject, type ResourceType } from '../../api/index.js';
import { decodeObject, unknownFieldsError, unknownFieldWarnings } from '../decode/index.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

/**
 * Decodes `body` as an object of `rt` (or of `kind`/`apiVersion` for subresources with their own
 * kind). Unknown fields are dropped; with Strict they fail the request, with Warn each becomes a
 * warning, as upstream.
 */
export function decodeBody(
  rt: ResourceType, body: unknown, validation: FieldValidation, warnings: string[],
  expect: { kind: string; apiVersion: string; schema: ResourceType['schema'] } = { kind: rt.kind, apiVersion: apiVersionOf(rt), schema: rt.schema },
): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  // As upstream's decoder, an object without apiVersion/kind takes the endpoint's (clients such
  // as @kubernetes/client-node send none); a different one is an error.
  let b = body as KubeObject;
  if (b.kind === undefined || b.kind === '' || b.apiVersion === undefined || b.apiVersion === '') {
    b = { ...b, kind: b.kind || expect.kind, apiVersion: b.apiVersion || expect.apiVersion };
  }
  if (typeof b.kind !== 'string' || typeof b.apiVersion !== 'string') {
    throw errors.badRequest(`${expect.kind} in version "${expect.apiVersion.split('/').pop()}" cannot be handled as a ${expect.kind}: json: cannot unmarshal ${typeof b.kind === 'string' ? typeof b.apiVersion : typeof b.kind} into Go struct field ${expect.kind}.${typeof b.kind === 'string' ? 'apiVersion' : 'kind'} of type string`);
  }
  if (b.apiVersion !== expect.apiVersion) {
    throw errors.badRequest(`the API version in the data (${b.apiVersion}) does not match the expected API version (${expect.apiVersion})`);
  }
  if (b.kind !== expect.kind) {
    throw errors.badRequest(`${b.kind} in version "${expect.apiVersion.split('/').pop()}" cannot be handled as a ${expect.kind}: the kind in the data (${b.kind}) does not match the expected kind (${expect.kind})`);
  }
  const { object, unknownFields } = decodeObject(expect.schema, b, { kind: expect.kind, apiVersion: expect.apiVersion });
  if (unknownFields.length) {
    if (validation === 'Strict') throw unknownFieldsError({ kind: expect.kind, apiVersion: expect.apiVersion }, unknownFields);
    if (validation === 'Warn') warnings.push(...unknownFieldWarnings(unknownFields));
  }
  return object as KubeObject;
}
