// Turns the TypeBox schemas of the api component into OpenAPI schema objects, in the dialect of
// Swagger 2.0 (`/openapi/v2`) or OpenAPI 3.0 (`/openapi/v3/...`).
//
// Contract (relied on by v2.ts and v3.ts):
// - Every node carrying DEF_NAME is hoisted once into `definitions` under that name and replaced
//   by a reference. The definition's body is the type as declared, never one place of use's
//   annotations; hoisting.ts decides which body that is. Well-known scalar types (Time,
//   MicroTime, Quantity, IntOrString) get upstream's fixed body.
// - A reference whose node adds use-site keys (description, default, x-kubernetes-* patch, list
//   and map keywords) keeps them: beside `$ref` in v2 (without `default`, as upstream v2), as
//   `allOf: [{$ref}]` plus those keys in v3.
// - Internal keys (DEF_NAME, QUANTITY) and keywords the dialect does not allow are dropped;
//   `Type.Record` becomes `additionalProperties`; `const` becomes a one-value `enum`.
// - Definitions are rendered when `definitions` is read, from every schema defined so far.
// - Pure: the input schemas are never mutated.
import { DEF_NAME, QUANTITY, type TSchema } from '../../api/index.js';
import { wellKnownDefinition } from './well-known.js';
import { DefinitionIndex, definitionNameOf } from './hoisting.js';

export type Dialect = 'v2' | 'v3';

/** A JSON-serialisable schema object. */
export type JsonSchema = Record<string, unknown>;

/** Keywords Swagger 2.0 allows in a schema object (besides `x-*` extensions). */
const V2_KEYWORDS = new Set([
  '$ref', 'format', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties',
  'minProperties', 'required', 'enum', 'type', 'items', 'allOf', 'properties', 'additionalProperties', 'readOnly', 'example',
]);
/** Keywords OpenAPI 3.0 allows in a schema object (besides `x-*` extensions). */
const V3_KEYWORDS = new Set([...V2_KEYWORDS, 'oneOf', 'anyOf', 'not', 'nullable', 'writeOnly', 'deprecated']);

/** Converts schemas of one document, collecting the hoisted definitions. One instance per document. */
export class SchemaConverter {
  readonly dialect: Dialect;
  private readonly roots: TSchema[] = [];
  private readonly declarations: TSchema[] = [];
  private rendered: Map<string, JsonSchema> | undefined;
  /** Set while rendering. */
  private index = new DefinitionIndex();
  private out = new Map<string, JsonSchema>();

  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }

  /** `#/definitions/<name>` (v2) or `#/components/schemas/<name>` (v3). */
  refTo(name: string): JsonSchema {
    return { $ref: (this.dialect === 'v2' ? '#/definitions/' : '#/components/schemas/') + name };
  }

  /**
   * Hoists `schema` (it must carry DEF_NAME) as a definition and returns its name. A defined
   * schema's body wins over any declaration of the same name; the first definition of a name wins.
   */
  define(schema: TSchema): string {
    const name = definitionNameOf(schema);
    if (name === undefined) throw new Error('define: schema has no definition name');
    this.roots.push(schema);
    this.rendered = undefined;
    return name;
  }

  /**
   * Declares the body of a named type (e.g. an exported `*Schema`) without publishing it: when the
   * document uses that name, the definition is built from this body instead of a place of use.
   */
  declare(schema: TSchema): void {
    if (definitionNameOf(schema) === undefined) throw new Error('declare: schema has no definition name');
    this.declarations.push(schema);
    this.rendered = undefined;
  }

  /** Hoisted definitions by upstream name, in first-use order, from every schema defined so far. */
  get definitions(): Map<string, JsonSchema> {
    this.rendered ??= this.render();
    return this.rendered;
  }

  private render(): Map<string, JsonSchema> {
    this.index = new DefinitionIndex();
    this.out = new Map();
    for (const root of this.roots) this.index.declare(root, true);
    for (const declared of this.declarations) this.index.declare(declared);
    for (const root of this.roots) this.index.collect(root);
    for (const root of this.roots) this.convert(root);
    return this.out;
  }

  /** Converts one schema node to the form embedded at its place of use. */
  private convert(node: TSchema): JsonSchema {
    const raw = node as Record<string, unknown>;
    const name = definitionNameOf(raw);
    if (name === undefined) return this.body(raw);
    const fixed = wellKnownDefinition(name, this.dialect);
    if (!this.out.has(name)) {
      const canonical = fixed ?? this.index.canonical(name);
      // Placeholder while the body is converted: recursive types refer to themselves.
      this.out.set(name, { description: canonical.description });
      this.out.set(name, fixed ?? this.body(canonical));
    }
    return this.useSite(name, this.index.annotations(raw, fixed));
  }

  /** The reference to `name` carrying the place of use's own keys, in the dialect's form. */
  private useSite(name: string, annotations: JsonSchema): JsonSchema {
    const ref = this.refTo(name);
    if (this.dialect === 'v3') return Object.keys(annotations).length === 0 ? ref : { allOf: [ref], ...annotations };
    const { default: _default, ...siblings } = annotations;
    return { ...ref, ...siblings };
  }

  /** The schema object itself, with children converted. */
  private body(raw: Record<string, unknown>): JsonSchema {
    if (raw['x-kubernetes-int-or-string'] === true) return this.intOrString(raw);
    const allowed = this.dialect === 'v2' ? V2_KEYWORDS : V3_KEYWORDS;
    const out: JsonSchema = {};
    for (const key of Object.keys(raw)) {
      const value = raw[key];
      if (value === undefined || key === DEF_NAME || key === QUANTITY || (key === 'description' && value === '')) continue;
      switch (key) {
        case 'properties': {
          const props: Record<string, JsonSchema> = {};
          for (const [p, s] of Object.entries(value as Record<string, TSchema>)) props[p] = this.convert(s);
          out.properties = props;
          break;
        }
        case 'items':
          out.items = Array.isArray(value) ? this.convert(value[0] as TSchema) : this.convert(value as TSchema);
          break;
        case 'patternProperties': {
          const [first] = Object.values(value as Record<string, TSchema>);
          if (first) out.additionalProperties = this.convert(first);
          break;
        }
        case 'additionalProperties':
          if (typeof value === 'object' && value !== null) out.additionalProperties = this.convert(value as TSchema);
          break;
        case 'anyOf': case 'oneOf': case 'allOf':
          Object.assign(out, this.union(key, value as TSchema[]));
          break;
        case 'const':
          out.enum = [value];
          break;
        case 'exclusiveMinimum': case 'exclusiveMaximum':
          // JSON Schema's numeric form → OpenAPI's boolean form.
          if (typeof value === 'number') {
            out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
            out[key] = true;
          } else out[key] = value;
          break;
        case 'required':
          if (Array.isArray(value) && value.length > 0) out.required = [...value];
          break;
        default:
          if (key.startsWith('x-') || allowed.has(key)) out[key] = structuredClone(value);
      }
    }
    return out;
  }

  /** anyOf/oneOf/allOf: kept in v3; in v2 (which has no anyOf/oneOf) collapsed to a common type. */
  private union(key: string, members: TSchema[]): JsonSchema {
    const nonNull = members.filter((m) => (m as Record<string, unknown>).type !== 'null');
    const nullable = nonNull.length < members.length;
    if (key === 'allOf') return { allOf: nonNull.map((m) => this.convert(m)) };
    const converted = nonNull.map((m) => this.convert(m));
    const types = new Set(converted.map((c) => c.type));
    if (this.dialect === 'v2') {
      return types.size === 1 && !types.has(undefined) ? { type: [...types][0] } : {};
    }
    const out: JsonSchema = converted.length === 1 ? { ...converted[0] } : { [key]: converted };
    if (nullable) out.nullable = true;
    return out;
  }

  /** An anonymous int-or-string field, rendered as upstream renders IntOrString in each dialect. */
  private intOrString(raw: Record<string, unknown>): JsonSchema {
    const out: JsonSchema = this.dialect === 'v2'
      ? { type: 'string', format: 'int-or-string' }
      : { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    if (typeof raw.description === 'string' && raw.description) out.description = raw.description;
    return out;
  }
}
