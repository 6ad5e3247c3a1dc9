// Schema-driven decoding of one Kubernetes protobuf message into the JSON shape upstream's
// encoding/json would produce for the same Go value.
//
// The TypeBox schema says what each JSON field is (string, integer, list, map, named object,
// Time, Quantity, IntOrString, raw JSON); the field tables say which protobuf field number
// carries it and the Go facts that decide whether a zero value shows in JSON (pointer fields
// and fields without `omitempty` keep zeros; other scalars equal to their zero are left out, as
// `omitempty` does). A field number the table does not know is a 400; a known upstream field
// that Capstan's schema does not model is skipped, as the JSON decoder prunes unknown fields.
// Callers: decodeProtobufObject (index.ts), and tests.
import { DEF_NAME, QUANTITY, type TSchema } from '../../api/index.js';
import { FIELD_TABLES, type FieldSpec, type FieldTable, type WireType } from './fields/index.js';
import {
  WireReader, WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT, protoError, varintToBool, varintToInt32, varintToInt64, type Tag,
} from './wire.js';

/** Deeper than any Kubernetes object needs; bounds recursion whatever the input. */
export const MAX_DEPTH = 64;

type Schema = TSchema & Record<string, unknown>;
type JsonObject = Record<string, unknown>;

const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
const QUANTITY_DEF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
/** Largest Unix second Go's RFC 3339 formatting keeps to four-digit years (9999-12-31T23:59:59Z). */
const MAX_SECONDS = 253402300799;
const MIN_SECONDS = -62135596800; // 0001-01-01T00:00:00Z

const utf8 = new TextDecoder('utf-8');

/** What one JSON value is, as far as the wire is concerned. */
type ValueKind =
  | { k: 'string' } | { k: 'bytes' } | { k: 'bool' } | { k: 'int32' } | { k: 'int64' } | { k: 'double' }
  | { k: 'time'; micro: boolean } | { k: 'quantity' } | { k: 'intstr' } | { k: 'raw' }
  | { k: 'message'; definition: string; schema?: Schema }
  | { k: 'list'; item: ValueKind }
  | { k: 'map'; value: ValueKind };

const shortName = (definition: string): string => definition.slice(definition.lastIndexOf('.') + 1);
const spec = (s: number | FieldSpec): FieldSpec => (typeof s === 'number' ? { n: s } : s);

/** Decodes `bytes` (one message of `definition`) into `out`, guided by `schema` when it has properties. */
export function decodeMessage(bytes: Uint8Array, definition: string, schema: Schema | undefined, out: JsonObject, depth: number): void {
  if (depth > MAX_DEPTH) throw protoError(`proto: ${shortName(definition)}: exceeded maximum nesting depth ${MAX_DEPTH}`);
  const table = FIELD_TABLES[definition];
  if (!table) throw protoError(`proto: no protobuf mapping for ${definition}`);
  const byNumber = numberIndex(table);
  const reader = new WireReader(bytes);
  const name = shortName(definition);
  while (!reader.done) {
    const tag = reader.readTag(name);
    const field = byNumber.get(tag.field);
    if (!field) throw protoError(`proto: ${name}: unknown field number ${tag.field} (wire type ${tag.wireType})`);
    const [jsonName, fs] = field;
    if (fs.inline) {
      expectWire(tag, WIRE_BYTES, name, jsonName);
      decodeMessage(reader.readBytes(), fs.inline, schema, out, depth + 1);
      continue;
    }
    const kind = fieldKind(schema, jsonName, fs);
    if (!kind) { reader.skip(tag.wireType); continue; } // upstream field Capstan's schema does not model
    if (kind.k === 'list') {
      const list = Array.isArray(out[jsonName]) ? out[jsonName] as unknown[] : [];
      readRepeated(reader, tag, kind.item, list, name, jsonName, depth);
      out[jsonName] = list;
    } else if (kind.k === 'map') {
      expectWire(tag, WIRE_BYTES, name, jsonName);
      const map = isObject(out[jsonName]) ? out[jsonName] as JsonObject : {};
      readMapEntry(reader.readBytes(), kind.value, map, name, jsonName, depth);
      out[jsonName] = map;
    } else if (kind.k === 'message') {
      expectWire(tag, WIRE_BYTES, name, jsonName);
      // A message field seen twice merges, as proto2 does.
      const target = isObject(out[jsonName]) ? out[jsonName] as JsonObject : {};
      decodeMessage(reader.readBytes(), kind.definition, kind.schema, target, depth + 1);
      out[jsonName] = target;
    } else {
      const value = readValue(reader, tag, kind, name, jsonName, depth);
      if (value === undefined || (isPlainScalar(kind) && isZero(value) && !fs.ptr && !fs.always)) delete out[jsonName];
      else out[jsonName] = value;
    }
  }
}

const indexCache = new WeakMap<FieldTable, Map<number, [string, FieldSpec]>>();
function numberIndex(table: FieldTable): Map<number, [string, FieldSpec]> {
  let index = indexCache.get(table);
  if (!index) {
    index = new Map();
    for (const [jsonName, s] of Object.entries(table)) index.set(spec(s).n, [jsonName, spec(s)]);
    indexCache.set(table, index);
  }
  return index;
}

function fieldKind(schema: Schema | undefined, jsonName: string, fs: FieldSpec): ValueKind | undefined {
  const props = schema?.properties as Record<string, Schema> | undefined;
  if (props && Object.keys(props).length > 0) {
    const prop = props[jsonName];
    if (!prop) return undefined;
    // A property the schema leaves untyped but upstream types as a message: the table says which.
    if (fs.type && prop.type === undefined && prop['x-kubernetes-preserve-unknown-fields']) return wireKind(fs.type);
    return schemaKind(prop);
  }
  if (fs.type) return wireKind(fs.type);
  return undefined;
}

/** The value kind a schema describes; throws for schemas the wire cannot be mapped onto. */
function schemaKind(s: Schema): ValueKind {
  const def = s[DEF_NAME] as string | undefined;
  if (def === TIME || def === MICRO_TIME) return { k: 'time', micro: def === MICRO_TIME };
  if (def === QUANTITY_DEF || s[QUANTITY]) return { k: 'quantity' };
  if (def === INT_OR_STRING || s['x-kubernetes-int-or-string']) return { k: 'intstr' };
  switch (s.type) {
    case 'string': return s.format === 'byte' ? { k: 'bytes' } : { k: 'string' };
    case 'boolean': return { k: 'bool' };
    case 'integer': return s.format === 'int32' ? { k: 'int32' } : { k: 'int64' };
    case 'number': return { k: 'double' };
    case 'array': return { k: 'list', item: schemaKind(s.items as Schema) };
    case 'object': {
      const pattern = s.patternProperties as Record<string, Schema> | undefined;
      if (pattern) return { k: 'map', value: schemaKind(Object.values(pattern)[0]) };
      if (def) return { k: 'message', definition: def, schema: s };
      if (s['x-kubernetes-preserve-unknown-fields']) return { k: 'raw' };
      break;
    }
    default:
      if (s['x-kubernetes-preserve-unknown-fields']) return { k: 'raw' };
  }
  throw protoError(`proto: no protobuf mapping for schema ${def ?? JSON.stringify(s.type ?? 'unknown')}`);
}

/** The value kind a table names for opaque definitions (decoded without a schema). */
function wireKind(t: WireType): ValueKind {
  if (t.endsWith('[]')) return { k: 'list', item: wireKind(t.slice(0, -2) as WireType) };
  switch (t) {
    case 'string': case 'bytes': case 'bool': case 'int32': case 'int64': return { k: t };
    case 'map<string>': return { k: 'map', value: { k: 'string' } };
    default: return { k: 'message', definition: t };
  }
}

function readRepeated(reader: WireReader, tag: Tag, item: ValueKind, list: unknown[], message: string, field: string, depth: number): void {
  const packable = item.k === 'bool' || item.k === 'int32' || item.k === 'int64' || item.k === 'double';
  if (packable && tag.wireType === WIRE_BYTES) {
    const packed = new WireReader(reader.readBytes());
    const elementTag = { field: tag.field, wireType: item.k === 'double' ? WIRE_FIXED64 : WIRE_VARINT };
    while (!packed.done) list.push(readValue(packed, elementTag, item, message, field, depth));
    return;
  }
  if (item.k === 'message') {
    expectWire(tag, WIRE_BYTES, message, field);
    const element: JsonObject = {};
    decodeMessage(reader.readBytes(), item.definition, item.schema, element, depth + 1);
    list.push(element);
    return;
  }
  if (item.k === 'list' || item.k === 'map') throw protoError(`proto: ${message}: no protobuf mapping for nested collection ${field}`);
  list.push(readValue(reader, tag, item, message, field, depth) ?? zeroOf(item));
}

/** One map entry message {1: key, 2: value}; a missing value is the value type's zero. */
function readMapEntry(bytes: Uint8Array, valueKind: ValueKind, map: JsonObject, message: string, field: string, depth: number): void {
  if (depth + 1 > MAX_DEPTH) throw protoError(`proto: ${message}: exceeded maximum nesting depth ${MAX_DEPTH}`);
  const entry = new WireReader(bytes);
  let key = '';
  let value: unknown;
  while (!entry.done) {
    const tag = entry.readTag(`${message}.${field}Entry`);
    if (tag.field === 1) {
      expectWire(tag, WIRE_BYTES, message, `${field} key`);
      key = utf8.decode(entry.readBytes());
    } else if (tag.field === 2) {
      if (valueKind.k === 'message') {
        expectWire(tag, WIRE_BYTES, message, field);
        const target: JsonObject = {};
        decodeMessage(entry.readBytes(), valueKind.definition, valueKind.schema, target, depth + 2);
        value = target;
      } else if (valueKind.k === 'list' || valueKind.k === 'map') {
        throw protoError(`proto: ${message}: no protobuf mapping for nested collection ${field}`);
      } else {
        value = readValue(entry, tag, valueKind, message, field, depth + 1);
      }
    } else {
      throw protoError(`proto: ${message}.${field}Entry: unknown field number ${tag.field} (wire type ${tag.wireType})`);
    }
  }
  map[key] = value ?? zeroOf(valueKind);
}

/** A scalar or special-message value; undefined when upstream's JSON would show null (zero Time, empty raw). */
function readValue(reader: WireReader, tag: Tag, kind: ValueKind, message: string, field: string, depth: number): unknown {
  switch (kind.k) {
    case 'bool': expectWire(tag, WIRE_VARINT, message, field); return varintToBool(reader.readVarint());
    case 'int32': expectWire(tag, WIRE_VARINT, message, field); return varintToInt32(reader.readVarint());
    case 'int64': expectWire(tag, WIRE_VARINT, message, field); return varintToInt64(reader.readVarint());
    case 'double': {
      expectWire(tag, WIRE_FIXED64, message, field);
      const b = reader.readFixed64();
      return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
    }
    case 'string': expectWire(tag, WIRE_BYTES, message, field); return utf8.decode(reader.readBytes());
    case 'bytes': expectWire(tag, WIRE_BYTES, message, field); return Buffer.from(reader.readBytes()).toString('base64');
    case 'time': expectWire(tag, WIRE_BYTES, message, field); return readTime(reader.readBytes(), kind.micro);
    case 'quantity': expectWire(tag, WIRE_BYTES, message, field); return readQuantity(reader.readBytes());
    case 'intstr': expectWire(tag, WIRE_BYTES, message, field); return readIntOrString(reader.readBytes());
    case 'raw': expectWire(tag, WIRE_BYTES, message, field); return readRawJson(reader.readBytes(), message, field);
    default: throw protoError(`proto: ${message}: no protobuf mapping for ${field} at depth ${depth}`);
  }
}

/** metav1.Time / MicroTime {1: seconds, 2: nanos} → RFC 3339 in UTC; the zero time is JSON null. */
function readTime(bytes: Uint8Array, micro: boolean): string | undefined {
  const r = new WireReader(bytes);
  let seconds = 0;
  let nanos = 0;
  while (!r.done) {
    const tag = r.readTag(micro ? 'MicroTime' : 'Time');
    if (tag.field === 1 && tag.wireType === WIRE_VARINT) seconds = varintToInt64(r.readVarint());
    else if (tag.field === 2 && tag.wireType === WIRE_VARINT) nanos = varintToInt32(r.readVarint());
    else throw protoError(`proto: Timestamp: unexpected field ${tag.field} (wire type ${tag.wireType})`);
  }
  if (seconds === 0 && nanos === 0) return undefined;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999999999) {
    throw protoError(`proto: Timestamp: seconds:${seconds} nanos:${nanos} is out of range`);
  }
  const iso = new Date(seconds * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  const whole = iso.slice(0, 19);
  return micro ? `${whole}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${whole}Z`;
}

/** resource.Quantity {1: string}; absent means the zero quantity. */
function readQuantity(bytes: Uint8Array): string {
  const r = new WireReader(bytes);
  let text = '0';
  while (!r.done) {
    const tag = r.readTag('Quantity');
    if (tag.field === 1 && tag.wireType === WIRE_BYTES) text = utf8.decode(r.readBytes());
    else throw protoError(`proto: Quantity: unexpected field ${tag.field} (wire type ${tag.wireType})`);
  }
  return text;
}

/** intstr.IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}. */
function readIntOrString(bytes: Uint8Array): number | string {
  const r = new WireReader(bytes);
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!r.done) {
    const tag = r.readTag('IntOrString');
    if (tag.field === 1 && tag.wireType === WIRE_VARINT) type = varintToInt64(r.readVarint());
    else if (tag.field === 2 && tag.wireType === WIRE_VARINT) intVal = varintToInt32(r.readVarint());
    else if (tag.field === 3 && tag.wireType === WIRE_BYTES) strVal = utf8.decode(r.readBytes());
    else throw protoError(`proto: IntOrString: unexpected field ${tag.field} (wire type ${tag.wireType})`);
  }
  if (type === 1) return strVal;
  if (type === 0) return intVal;
  throw protoError(`proto: IntOrString: impossible IntOrString.Type ${type}`);
}

/** runtime.RawExtension / metav1.FieldsV1 {1: raw JSON bytes}. */
function readRawJson(bytes: Uint8Array, message: string, field: string): unknown {
  const r = new WireReader(bytes);
  let raw: Uint8Array | undefined;
  while (!r.done) {
    const tag = r.readTag('RawExtension');
    if (tag.field === 1 && tag.wireType === WIRE_BYTES) raw = r.readBytes();
    else throw protoError(`proto: RawExtension: unexpected field ${tag.field} (wire type ${tag.wireType})`);
  }
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(utf8.decode(raw)) as unknown;
  } catch {
    throw protoError(`proto: ${message}: field ${field} does not hold valid JSON`);
  }
}

function expectWire(tag: Tag, want: number, message: string, field: string): void {
  if (tag.wireType !== want) throw protoError(`proto: wrong wireType = ${tag.wireType} for field ${field} in ${message}`);
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go scalars, which `omitempty` drops when zero; structs (Quantity, IntOrString) always show. */
function isPlainScalar(kind: ValueKind): boolean {
  return kind.k === 'string' || kind.k === 'bytes' || kind.k === 'bool' || kind.k === 'int32' || kind.k === 'int64' || kind.k === 'double';
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function zeroOf(kind: ValueKind): unknown {
  switch (kind.k) {
    case 'bool': return false;
    case 'int32': case 'int64': case 'double': case 'intstr': return 0;
    case 'quantity': return '0';
    case 'message': return {};
    case 'raw': case 'time': return null;
    default: return '';
  }
}
