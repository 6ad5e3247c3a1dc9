// Turns a TypeBox resource schema into a tree of decoding closures, once per schema. Each node
// decodes one JSON value the way Go's encoding/json would decode it into the upstream type:
// type checks with Go's messages, unknown fields pruned and reported, defaults filled in.
//
// Schema conventions come from the api component's builder: named objects carry the upstream
// definition name, maps are records, Quantity / IntOrString / Time / MicroTime are tagged, and
// untyped subtrees are Type.Unknown or marked x-kubernetes-preserve-unknown-fields.
import {
  DEF_NAME, QUANTITY, QUANTITY_FORMAT_ERROR, QuantityParseError, canonicalizeQuantity, type TSchema,
} from '../../api/index.js';
import { DecodeState, MapKey, jsonKind, setOwn } from './state.js';
import { copyJson, checkDepth } from './json-copy.js';
import { parseGoTime } from './go-time.js';
import { checkBase64 } from './go-base64.js';
import { MAX_NESTING_DEPTH } from './state.js';

export interface Node {
  /** Decodes a non-null JSON value; undefined when it was rejected (the error is in `st`). */
  decode(v: unknown, st: DecodeState): unknown;
  /** What Go holds for a JSON null as a list element or map value: the type's zero value. */
  zero(): unknown;
  /** The Go type named in errors: `int32`, `[]v1.Container`, `map[string]string`, `v1.PodSpec`. */
  goType: string;
  /** Objects, lists, maps and untyped values: they may contain fields, so paths matter below them. */
  container: boolean;
}

type Schema = TSchema & Record<string, unknown>;

interface CompileContext {
  /** Go struct name used for anonymous objects (the nearest named definition). */
  enclosing: string;
  /** Schemas with `$id` being compiled, for `$ref` (recursive schemas). */
  refs: Map<string, { node?: Node }>;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 9223372036854775808; // 2^63, exactly representable

const TIME_DEF = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME_DEF = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';

/** `io.k8s.api.apps.v1.DeploymentSpec` → { pkg: 'v1', name: 'DeploymentSpec' }. */
function goName(def: string): { pkg: string; name: string } {
  const parts = def.split('.');
  return { pkg: parts.length > 1 ? parts[parts.length - 2]! : '', name: parts[parts.length - 1]! };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cloneDefault(v: unknown): () => unknown {
  if (v === null || typeof v !== 'object') return () => v;
  const text = JSON.stringify(v);
  return () => JSON.parse(text) as unknown;
}

const leaf = (goType: string, zero: unknown, decode: Node['decode']): Node => ({ decode, zero: () => zero, goType, container: false });

const STRING = leaf('string', '', (v, st) => (typeof v === 'string' ? v : st.typeError(jsonKind(v), 'string')));
const BOOL = leaf('bool', false, (v, st) => (typeof v === 'boolean' ? v : st.typeError(jsonKind(v), 'bool')));
const FLOAT = leaf('float64', 0, (v, st) => (typeof v === 'number' ? v : st.typeError(jsonKind(v), 'float64')));
const INT32 = leaf('int32', 0, (v, st) => {
  if (typeof v !== 'number') return st.typeError(jsonKind(v), 'int32');
  return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? v : st.typeError(`number ${v}`, 'int32');
});
const INT64 = leaf('int64', 0, (v, st) => {
  if (typeof v !== 'number') return st.typeError(jsonKind(v), 'int64');
  return Number.isInteger(v) && v >= -INT64_LIMIT && v < INT64_LIMIT ? v : st.typeError(`number ${v}`, 'int64');
});
const BYTES = leaf('[]uint8', null, (v, st) => {
  if (typeof v !== 'string') return st.typeError(jsonKind(v), '[]uint8');
  const r = checkBase64(v);
  return 'text' in r ? r.text : st.error(r.error);
});
/** intstr.IntOrString: a JSON string, or an int32 (its UnmarshalJSON errors abort decoding). */
const INT_OR_STRING = leaf('intstr.IntOrString', 0, (v, st) => {
  if (typeof v === 'string') return v;
  if (typeof v !== 'number') return st.fatalTypeError(jsonKind(v), 'int32');
  return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? v : st.fatalTypeError(`number ${v}`, 'int32');
});
/** Canonical forms of recently seen quantity strings (`100m`, `128Mi` repeat across objects). */
const quantityCache = new Map<string, string>();
const QUANTITY_CACHE_LIMIT = 4096;

function canonicalQuantity(v: string | number): string {
  if (typeof v === 'number') return canonicalizeQuantity(v);
  let text = quantityCache.get(v);
  if (text === undefined) {
    text = canonicalizeQuantity(v.trim());
    if (quantityCache.size >= QUANTITY_CACHE_LIMIT) quantityCache.clear();
    quantityCache.set(v, text);
  }
  return text;
}

/** resource.Quantity: string or number in, canonical string out; bad text aborts decoding. */
const QUANTITY_NODE = leaf('resource.Quantity', '0', (v, st) => {
  if (typeof v !== 'string' && typeof v !== 'number') return st.fatal(QUANTITY_FORMAT_ERROR);
  try {
    return canonicalQuantity(v);
  } catch (e) {
    return st.fatal(e instanceof QuantityParseError ? e.message : QUANTITY_FORMAT_ERROR);
  }
});
const timeNode = (micro: boolean): Node => leaf(micro ? 'v1.MicroTime' : 'v1.Time', null, (v, st) => {
  if (typeof v !== 'string') return st.fatalTypeError(jsonKind(v), 'string');
  const r = parseGoTime(v, micro);
  return r.ok ? r.text : st.fatal(r.error);
});
const UNTYPED: Node = { decode: (v, st) => copyJson(v, st), zero: () => null, goType: 'interface {}', container: true };

function compileObject(schema: Schema, ctx: CompileContext): Node {
  const def = schema[DEF_NAME] as string | undefined;
  const { pkg, name } = def ? goName(def) : { pkg: '', name: ctx.enclosing };
  const goType = def ? `${pkg}.${name}` : 'struct {...}';
  const preserveUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const inner: CompileContext = { ...ctx, enclosing: name };
  const props = new Map<string, Node>();
  const defaults: [string, () => unknown][] = [];
  for (const [key, propSchema] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    props.set(key, compile(propSchema, inner));
    if (propSchema.default !== undefined) defaults.push([key, cloneDefault(propSchema.default)]);
  }

  const node: Node = {
    goType,
    container: true,
    zero: () => node.decode({}, new DecodeState()),
    decode(v, st) {
      if (!isPlainObject(v)) return st.typeError(jsonKind(v), goType);
      if (++st.depth > MAX_NESTING_DEPTH) st.tooDeep();
      const out: Record<string, unknown> = {};
      const outerStruct = st.struct;
      st.struct = name;
      const path = st.path;
      for (const key in v) {
        const value = v[key];
        const prop = props.get(key);
        if (prop === undefined) {
          if (preserveUnknown) setOwn(out, key, copyJson(value, st));
          else {
            st.addUnknownField(key);
            checkDepth(value, st);
          }
          continue;
        }
        if (value === null) continue; // null means absent
        path.push(key);
        const decoded = prop.decode(value, st);
        path.pop();
        if (decoded !== undefined) out[key] = decoded;
      }
      st.struct = outerStruct;
      for (const [key, make] of defaults) if (!(key in out)) out[key] = make();
      st.depth--;
      return out;
    },
  };
  return node;
}

function compileMap(valueSchema: Schema, ctx: CompileContext): Node {
  const value = compile(valueSchema, ctx);
  const goType = `map[string]${value.goType}`;
  return {
    goType,
    container: true,
    zero: () => ({}),
    decode(v, st) {
      if (!isPlainObject(v)) return st.typeError(jsonKind(v), goType);
      if (++st.depth > MAX_NESTING_DEPTH) st.tooDeep();
      const out: Record<string, unknown> = {};
      for (const key in v) {
        const item = v[key];
        if (item === null) {
          setOwn(out, key, value.zero());
          continue;
        }
        if (value.container) st.path.push(new MapKey(key));
        const decoded = value.decode(item, st);
        if (value.container) st.path.pop();
        if (decoded !== undefined) setOwn(out, key, decoded);
      }
      st.depth--;
      return out;
    },
  };
}

function compileList(itemSchema: Schema, ctx: CompileContext): Node {
  const item = compile(itemSchema, ctx);
  const goType = `[]${item.goType}`;
  return {
    goType,
    container: true,
    zero: () => [],
    decode(v, st) {
      if (!Array.isArray(v)) return st.typeError(jsonKind(v), goType);
      if (++st.depth > MAX_NESTING_DEPTH) st.tooDeep();
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        const element: unknown = v[i];
        if (element === null) {
          out[i] = item.zero();
          continue;
        }
        if (item.container) st.path.push(i);
        const decoded = item.decode(element, st);
        if (item.container) st.path.pop();
        out[i] = decoded === undefined ? item.zero() : decoded;
      }
      st.depth--;
      return out;
    },
  };
}

/** A node for `$ref` to a schema still being compiled (recursive types). */
function reference(holder: { node?: Node }, goType: string): Node {
  return {
    goType,
    container: true,
    zero: () => holder.node!.zero(),
    decode: (v, st) => holder.node!.decode(v, st),
  };
}

/** Compiles one schema (and its subtree). */
export function compile(schema: Schema, ctx: CompileContext = { enclosing: '', refs: new Map() }): Node {
  if (typeof schema.$ref === 'string') {
    const holder = ctx.refs.get(schema.$ref);
    return holder ? reference(holder, 'struct {...}') : UNTYPED;
  }
  if (typeof schema.$id === 'string') {
    const holder: { node?: Node } = {};
    const refs = new Map(ctx.refs).set(schema.$id, holder);
    const { $id: _id, ...rest } = schema;
    holder.node = compile(rest as Schema, { ...ctx, refs });
    return holder.node;
  }
  if (schema[QUANTITY] === true) return QUANTITY_NODE;
  if (schema['x-kubernetes-int-or-string'] === true) return INT_OR_STRING;
  const def = schema[DEF_NAME];
  if (def === TIME_DEF) return timeNode(false);
  if (def === MICRO_TIME_DEF) return timeNode(true);

  if (Array.isArray(schema.anyOf)) {
    // Nullable X (anyOf [X, null]) decodes as X; other unions are not modelled: keep as is.
    const variants = (schema.anyOf as Schema[]).filter((s) => s.type !== 'null');
    return variants.length === 1 ? compile({ ...variants[0]!, ...pick(schema) } as Schema, ctx) : UNTYPED;
  }

  switch (schema.type) {
    case 'string': return schema.format === 'byte' ? BYTES : STRING;
    case 'boolean': return BOOL;
    case 'number': return FLOAT;
    case 'integer': return schema.format === 'int32' ? INT32 : INT64;
    case 'array': return schema.items ? compileList(schema.items as Schema, ctx) : UNTYPED;
    case 'object': {
      if (schema.properties) return compileObject(schema, ctx);
      const pattern = schema.patternProperties ? Object.values(schema.patternProperties as Record<string, Schema>)[0] : undefined;
      const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties as Schema : undefined;
      const valueSchema = pattern ?? additional;
      if (valueSchema) return compileMap(valueSchema, ctx);
      return schema['x-kubernetes-preserve-unknown-fields'] === true ? UNTYPED : compileObject(schema, ctx);
    }
    default: return UNTYPED;
  }
}

/** The keywords of a wrapping schema that change how its variant decodes. */
function pick(schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [DEF_NAME, QUANTITY, 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields']) {
    if (schema[k] !== undefined) out[k] = schema[k];
  }
  return out;
}
