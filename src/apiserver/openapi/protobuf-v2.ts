// The /openapi/v2 document in the protobuf form kubectl asks for
// (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf): the `openapi.v2.Document`
// message of the gnostic OpenAPIv2.proto schema. client-go's OpenAPISchema() only decodes this form,
// so `kubectl explain --output plaintext-openapiv2` and v2-based validation need it.
//
// Contract: input is a document produced by buildOpenApiV2 (Swagger 2.0, our own shapes); vendor
// extensions, defaults, enums and examples are carried as gnostic `Any{yaml}` with JSON text (JSON
// is YAML). Pure; the caller caches the bytes.
import type { JsonSchema } from './json-schema.js';

/** Content type of the protobuf form, as upstream serves it. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** A protobuf message under construction: fields are appended in call order. */
class Message {
  private readonly parts: Buffer[] = [];

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private varint(n: number): void {
    const bytes: number[] = [];
    let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) b |= 0x80;
      bytes.push(b);
    } while (v > 0n);
    this.parts.push(Buffer.from(bytes));
  }

  string(field: number, value: unknown): this {
    if (typeof value !== 'string' || value === '') return this;
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  strings(field: number, values: unknown): this {
    if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') this.bytes(field, Buffer.from(v, 'utf8'));
    return this;
  }

  bool(field: number, value: unknown): this {
    if (value === true) {
      this.tag(field, 0);
      this.varint(1);
    }
    return this;
  }

  int(field: number, value: unknown): this {
    if (typeof value === 'number' && value !== 0) {
      this.tag(field, 0);
      this.varint(value);
    }
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value === 'number' && value !== 0) {
      this.tag(field, 1);
      const b = Buffer.alloc(8);
      b.writeDoubleLE(value);
      this.parts.push(b);
    }
    return this;
  }

  message(field: number, m: Message | undefined): this {
    return m ? this.bytes(field, m.toBuffer()) : this;
  }

  private bytes(field: number, b: Buffer): this {
    this.tag(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** gnostic Any: the value as YAML text (we write JSON). */
const anyOf = (value: unknown) => new Message().string(2, JSON.stringify(value));

/** NamedAny entries for every `x-*` key of `obj`. */
function vendorExtensions(m: Message, field: number, obj: JsonSchema): void {
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('x-')) m.message(field, new Message().string(1, k).message(2, anyOf(v)));
  }
}

function schemaMessage(s: JsonSchema): Message {
  const m = new Message()
    .string(1, s.$ref).string(2, s.format).string(3, s.title).string(4, s.description);
  if (s.default !== undefined) m.message(5, anyOf(s.default));
  m.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum)
    .int(11, s.maxLength).int(12, s.minLength).string(13, s.pattern).int(14, s.maxItems).int(15, s.minItems).bool(16, s.uniqueItems)
    .int(17, s.maxProperties).int(18, s.minProperties).strings(19, s.required);
  if (Array.isArray(s.enum)) for (const v of s.enum) m.message(20, anyOf(v));
  if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
    m.message(21, new Message().message(1, schemaMessage(s.additionalProperties as JsonSchema)));
  } else if (typeof s.additionalProperties === 'boolean') {
    m.message(21, new Message().bool(2, s.additionalProperties));
  }
  if (s.type !== undefined) m.message(22, new Message().strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (s.items && typeof s.items === 'object') m.message(23, new Message().message(1, schemaMessage(s.items as JsonSchema)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) m.message(24, schemaMessage(a as JsonSchema));
  if (s.properties && typeof s.properties === 'object') {
    const props = new Message();
    for (const [name, p] of Object.entries(s.properties as Record<string, JsonSchema>)) props.message(1, new Message().string(1, name).message(2, schemaMessage(p)));
    m.message(25, props);
  }
  m.bool(27, s.readOnly);
  if (s.example !== undefined) m.message(30, anyOf(s.example));
  vendorExtensions(m, 31, s);
  return m;
}

function parameterMessage(p: JsonSchema): Message {
  if (p.in === 'body') {
    const body = new Message().string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required).message(5, schemaMessage(p.schema as JsonSchema));
    return new Message().message(1, new Message().message(1, body));
  }
  // Query (field 3) and path (field 4) sub-schemas share the leading field numbers used here.
  const sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
  if (p.in === 'query') sub.string(6, p.type).bool(20, p.uniqueItems);
  else sub.string(5, p.type).bool(19, p.uniqueItems);
  const nonBody = new Message().message(p.in === 'query' ? 3 : 4, sub);
  return new Message().message(1, new Message().message(2, nonBody));
}

function operationMessage(op: JsonSchema): Message {
  const m = new Message().strings(1, op.tags).string(3, op.description).string(5, op.operationId).strings(6, op.produces).strings(7, op.consumes);
  for (const p of (op.parameters as JsonSchema[] | undefined) ?? []) m.message(8, parameterMessage(p));
  const responses = new Message();
  for (const [code, r] of Object.entries((op.responses as Record<string, JsonSchema> | undefined) ?? {})) {
    const response = new Message().string(1, r.description);
    if (r.schema) response.message(2, new Message().message(1, schemaMessage(r.schema as JsonSchema)));
    responses.message(1, new Message().string(1, code).message(2, new Message().message(1, response)));
  }
  m.message(9, responses).strings(10, op.schemes);
  vendorExtensions(m, 13, op);
  return m;
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** Encodes a Swagger 2.0 document (as built by buildOpenApiV2) as a gnostic openapi.v2.Document. */
export function encodeOpenApiV2Protobuf(doc: JsonSchema): Buffer {
  const info = (doc.info ?? {}) as JsonSchema;
  const m = new Message().string(1, doc.swagger).message(2, new Message().string(1, info.title).string(2, info.version));
  const paths = new Message();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, JsonSchema>)) {
    const pathItem = new Message();
    for (const [method, field] of Object.entries(METHOD_FIELDS)) {
      if (item[method]) pathItem.message(field, operationMessage(item[method] as JsonSchema));
    }
    paths.message(2, new Message().string(1, path).message(2, pathItem));
  }
  m.message(8, paths);
  const definitions = new Message();
  for (const [name, s] of Object.entries((doc.definitions ?? {}) as Record<string, JsonSchema>)) {
    definitions.message(1, new Message().string(1, name).message(2, schemaMessage(s)));
  }
  m.message(9, definitions);
  for (const req of (doc.security as Record<string, string[]>[] | undefined) ?? []) {
    const sr = new Message();
    for (const [name, scopes] of Object.entries(req)) sr.message(1, new Message().string(1, name).message(2, new Message().strings(1, scopes)));
    m.message(12, sr);
  }
  const secDefs = new Message();
  for (const [name, d] of Object.entries((doc.securityDefinitions ?? {}) as Record<string, JsonSchema>)) {
    if (d.type !== 'apiKey') continue;
    const apiKey = new Message().string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description);
    secDefs.message(1, new Message().string(1, name).message(2, new Message().message(2, apiKey)));
  }
  m.message(13, secDefs);
  return m.toBuffer();
}
