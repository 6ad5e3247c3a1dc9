// Turns the TypeBox schemas of the api component into OpenAPI schema objects, in the dialect of
// Swagger 2.0 (`/openapi/v2`) or OpenAPI 3.0 (`/openapi/v3/...`).
//
// Contract (relied on by v2.ts and v3.ts):
// - Every node carrying DEF_NAME is hoisted once into `definitions` under that name and replaced
//   by a reference; the first occurrence defines it. Well-known scalar types (Time, MicroTime,
//   Quantity, IntOrString) get upstream's fixed body instead of the first occurrence's.
// - A reference whose node has its own description keeps it: beside `$ref` in v2, as
//   `allOf: [{$ref}]` + description in v3.
// - Internal keys (DEF_NAME, QUANTITY) and keywords the dialect does not allow are dropped;
//   `Type.Record` becomes `additionalProperties`; `const` becomes a one-value `enum`.
// - Pure: the input schemas are never mutated.
import { DEF_NAME, QUANTITY, type TSchema } from '../../api/index.js';
import { wellKnownDefinition } from './well-known.js';

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
  /** Hoisted definitions by upstream name, in first-seen order. */
  readonly definitions = new Map<string, JsonSchema>();
  readonly dialect: Dialect;

  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }

  /** `#/definitions/<name>` (v2) or `#/components/schemas/<name>` (v3). */
  refTo(name: string): JsonSchema {
    return { $ref: (this.dialect === 'v2' ? '#/definitions/' : '#/components/schemas/') + name };
  }

  /** Hoists `schema` as a definition (it must carry DEF_NAME) and returns its name. */
  define(schema: TSchema): string {
    const name = (schema as Record<string, unknown>)[DEF_NAME];
    if (typeof name !== 'string') throw new Error('define: schema has no definition name');
    this.convert(schema);
    return name;
  }

  /** Converts one schema node to the form embedded at its place of use. */
  convert(node: TSchema): JsonSchema {
    const raw = node as Record<string, unknown>;
    const name = raw[DEF_NAME];
    if (typeof name !== 'string') return this.body(raw);
    if (!this.definitions.has(name)) {
      const fixed = wellKnownDefinition(name, this.dialect);
      // Placeholder while the body is converted: recursive types refer to themselves.
      this.definitions.set(name, fixed ?? { description: raw.description });
      if (!fixed) this.definitions.set(name, this.body(raw));
    }
    const ref = this.refTo(name);
    const description = raw.description;
    if (typeof description !== 'string' || description === '' || description === this.definitions.get(name)!.description) return ref;
    return this.dialect === 'v2' ? { ...ref, description } : { allOf: [ref], description };
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
