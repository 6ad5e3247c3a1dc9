// Schema vocabulary: every API type is declared once, with TypeBox, and that declaration is the
// single source for the TypeScript type (Static<>), decoding (type checks, unknown-field pruning,
// defaults), the OpenAPI v2/v3 documents and strategic-merge-patch metadata.
//
// Conventions (the OpenAPI generator and the decoder rely on them):
// - A named definition carries DEF_NAME = the upstream OpenAPI definition name
//   (`io.k8s.api.core.v1.PodSpec`); the generator hoists it into `definitions`/`components`.
// - Object properties are all optional unless listed in `required` (informational, for OpenAPI;
//   semantic "Required value" checks live in each resource's validate function, as upstream).
// - Lists carry `x-kubernetes-patch-merge-key` / `x-kubernetes-patch-strategy` /
//   `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` exactly as upstream's OpenAPI does.
// - Maps are Type.Record(String, V) (the generator renders them as `additionalProperties`).
// - A subtree whose fields are not modelled carries `x-kubernetes-preserve-unknown-fields: true`;
//   the decoder keeps it as is instead of pruning.
import {
  Type, type TSchema, type TObject, type TProperties, type TOptional, type TArray, type TRecord,
  type TString, type TUnion, type TInteger, type TUnknown, type Static,
} from '@sinclair/typebox';

export { Type, type Static, type TSchema, type TObject };

/** Key holding a schema's upstream definition name. */
export const DEF_NAME = 'x-capstan-definition';
/** Key marking a Quantity (string, number accepted on input and canonicalised to a string). */
export const QUANTITY = 'x-capstan-quantity';

export type Optionals<P extends TProperties> = { [K in keyof P]: TOptional<P[K]> };

export interface ObjOptions {
  required?: string[];
  /** Keep fields the schema does not list (opaque subtree). */
  preserveUnknownFields?: boolean;
  /** Extra schema keywords (e.g. `x-kubernetes-group-version-kind`). */
  extra?: Record<string, unknown>;
}

/** A named object definition; all properties optional. */
export function obj<P extends TProperties>(name: string, description: string, props: P, opts: ObjOptions = {}): TObject<Optionals<P>> {
  const optional = {} as Record<string, TSchema>;
  for (const [k, v] of Object.entries(props)) optional[k] = Type.Optional(v);
  const schema = Type.Object(optional as Optionals<P>, {
    [DEF_NAME]: name,
    description,
    ...(opts.required?.length ? {} : {}),
    ...(opts.preserveUnknownFields ? { 'x-kubernetes-preserve-unknown-fields': true } : {}),
    ...opts.extra,
  });
  if (opts.required?.length) (schema as { required?: string[] }).required = [...opts.required];
  else delete (schema as { required?: string[] }).required;
  return schema;
}

/** An anonymous object (no definition name), all properties optional. */
export function anonObj<P extends TProperties>(description: string, props: P): TObject<Optionals<P>> {
  const optional = {} as Record<string, TSchema>;
  for (const [k, v] of Object.entries(props)) optional[k] = Type.Optional(v);
  const schema = Type.Object(optional as Optionals<P>, { description });
  delete (schema as { required?: string[] }).required;
  return schema;
}

export const str = (description = '', extra: Record<string, unknown> = {}): TString => Type.String({ description, ...extra });
/** A string restricted to upstream's enum values (documented, checked by validate functions). */
export const enumStr = (description: string, values: readonly string[]): TString =>
  Type.String({ description: `${description}\n\nPossible enum values:\n${values.map((v) => ` - \`"${v}"\``).join('\n')}`, enum: [...values] });
export const int32 = (description = '', extra: Record<string, unknown> = {}): TInteger => Type.Integer({ format: 'int32', description, ...extra });
export const int64 = (description = '', extra: Record<string, unknown> = {}): TInteger => Type.Integer({ format: 'int64', description, ...extra });
export const bool = (description = '', extra: Record<string, unknown> = {}) => Type.Boolean({ description, ...extra });
export const num = (description = '') => Type.Number({ format: 'double', description });
/** RFC 3339 timestamp, as metav1.Time. */
export const time = (description = ''): TString => Type.String({ format: 'date-time', description, [DEF_NAME]: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' });
export const microTime = (description = ''): TString => Type.String({ format: 'date-time', description, [DEF_NAME]: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime' });
/** resource.Quantity: "100m", "1Gi", or a number on input. */
export const quantity = (description = ''): TString => Type.String({ description, [QUANTITY]: true, [DEF_NAME]: 'io.k8s.apimachinery.pkg.api.resource.Quantity' });
/** intstr.IntOrString. */
export const intOrString = (description = ''): TUnion<[TInteger, TString]> =>
  Type.Union([Type.Integer(), Type.String()], { description, 'x-kubernetes-int-or-string': true, [DEF_NAME]: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString' });
/** map[string]V */
export const map = <V extends TSchema>(value: V, description = ''): TRecord<TString, V> => Type.Record(Type.String(), value, { description });
export const stringMap = (description = ''): TRecord<TString, TString> => map(Type.String(), description);
/** An opaque JSON value (runtime.RawExtension, JSON). */
export const anyValue = (description = ''): TUnknown => Type.Unknown({ description, 'x-kubernetes-preserve-unknown-fields': true });
/** A base64 string ([]byte). */
export const bytes = (description = ''): TString => Type.String({ format: 'byte', description });

export interface ListOptions {
  /** Strategic-merge key (x-kubernetes-patch-merge-key). */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy: 'merge', 'retainKeys', 'merge,retainKeys', 'replace'. */
  strategy?: string;
  /** x-kubernetes-list-type: 'atomic' | 'set' | 'map'. */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys. */
  mapKeys?: string[];
}

export function list<T extends TSchema>(item: T, description = '', opts: ListOptions = {}): TArray<T> {
  const extra: Record<string, unknown> = {};
  if (opts.mergeKey) extra['x-kubernetes-patch-merge-key'] = opts.mergeKey;
  if (opts.strategy) extra['x-kubernetes-patch-strategy'] = opts.strategy;
  if (opts.listType) extra['x-kubernetes-list-type'] = opts.listType;
  if (opts.mapKeys) extra['x-kubernetes-list-map-keys'] = opts.mapKeys;
  return Type.Array(item, { description, ...extra });
}

/** Adds keywords (default, patch strategy, …) to a schema without changing its static type. */
export function withMeta<T extends TSchema>(schema: T, meta: Record<string, unknown>): T {
  return { ...schema, ...meta } as T;
}

export type { TProperties };
