// Request-body decoding: called by the API server on every create/update/patch body after
// JSON/YAML parsing, before admission, defaulting and validation. Pure: no I/O, never mutates
// its input, throws only StatusError (400 BadRequest with upstream's wording).
import { errors, type KubeObject, type TSchema } from '../../api/index.js';
import { compile, type Node } from './compile.js';
import { DecodeState, FatalDecodeError, jsonKind } from './state.js';

/** The kind being decoded, as in the request: `{ kind: 'Deployment', apiVersion: 'apps/v1' }`. */
export interface DecodeContext {
  kind: string;
  apiVersion: string;
}

export interface DecodeResult {
  /** A fresh object: known fields only (type-checked, normalised), schema defaults applied. */
  object: KubeObject;
  /**
   * Fields the schema does not know, in upstream's path notation (`spec.foo`,
   * `spec.containers[0].bar`), in document order, at most 100. They are not in `object`; the
   * server turns them into an error or warnings according to `fieldValidation`.
   */
  unknownFields: string[];
}

const compiled = new WeakMap<TSchema, Node>();

function compiledFor(schema: TSchema): Node {
  let node = compiled.get(schema);
  if (!node) {
    node = compile(schema as TSchema & Record<string, unknown>);
    compiled.set(schema, node);
  }
  return node;
}

/** `Deployment in version "v1" cannot be handled as a Deployment: ` (upstream transformDecodeError). */
export function decodeErrorPrefix(ctx: DecodeContext): string {
  const version = ctx.apiVersion.slice(ctx.apiVersion.lastIndexOf('/') + 1);
  return `${ctx.kind} in version "${version}" cannot be handled as a ${ctx.kind}: `;
}

/**
 * Decodes a parsed request body against a resource schema, as upstream's JSON decoder decodes
 * into the Go type: JSON types are checked (first error wins, with Go's message), `null` means
 * absent, unknown fields are removed and reported, untyped subtrees are copied as they are,
 * Quantities and timestamps are normalised, and schema `default`s fill absent properties.
 */
export function decodeObject(schema: TSchema, value: unknown, ctx: DecodeContext): DecodeResult {
  const node = compiledFor(schema);
  const st = new DecodeState();
  let object: unknown;
  try {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      st.typeError(value === null ? 'null' : jsonKind(value), node.goType);
    } else {
      object = node.decode(value, st);
    }
  } catch (e) {
    if (e instanceof FatalDecodeError) throw errors.badRequest(decodeErrorPrefix(ctx) + e.message);
    // A schema recursing deeper than the stack allows ends here rather than crashing the server.
    if (e instanceof RangeError) throw errors.badRequest(`${decodeErrorPrefix(ctx)}exceeded max depth`);
    throw errors.internal(e instanceof Error ? e.message : String(e));
  }
  if (st.saved !== undefined) throw errors.badRequest(decodeErrorPrefix(ctx) + st.saved);
  return { object: object as KubeObject, unknownFields: st.unknownFields };
}
