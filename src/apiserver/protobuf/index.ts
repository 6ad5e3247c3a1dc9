// Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`), as client-go's
// typed clients send them. The API server calls decodeProtobufObject where it would parse a JSON
// body and then treats the result exactly like that JSON (same decoding, defaulting, validation).
import { DEF_NAME, errors, isStatusError, type TSchema } from '../../api/index.js';
import { decodeMessage } from './decode.js';
import { WireReader, WIRE_BYTES, protoError } from './wire.js';

export { FIELD_TABLES } from './fields/index.js';
export type { FieldSpec, FieldTable, FieldTables } from './fields/index.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** Every protobuf-encoded object starts with these four bytes (`k8s\0`). */
export const PROTOBUF_MAGIC: readonly number[] = [0x6b, 0x38, 0x73, 0x00];

/** runtime.Unknown, the envelope around every object on the wire. */
interface Envelope { apiVersion: string; kind: string; raw: Uint8Array; contentEncoding: string; contentType: string }

/**
 * Decodes a Kubernetes protobuf body (magic `k8s\0` + runtime.Unknown envelope whose `raw` is the
 * object's message) into the JSON-shaped object upstream's JSON form would have (apiVersion and
 * kind from the envelope's TypeMeta), using `schema` (the TypeBox schema of the expected kind, see
 * src/api/schema/builder.ts) for field names and value types. Throws a StatusError (400
 * BadRequest, upstream-like message) for malformed input, unknown message types or field numbers
 * it cannot map; never throws anything else; never loops forever or overflows the stack.
 */
export function decodeProtobufObject(body: Buffer, schema: TSchema): unknown {
  try {
    return decodeBody(body, schema);
  } catch (e) {
    if (isStatusError(e)) throw e;
    throw errors.badRequest(`unable to decode protobuf body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function decodeBody(body: Buffer, schema: TSchema): unknown {
  if (body.length < PROTOBUF_MAGIC.length || PROTOBUF_MAGIC.some((b, i) => body[i] !== b)) {
    throw protoError(`provided data does not appear to be a protobuf message, expected prefix [${PROTOBUF_MAGIC.join(' ')}]`);
  }
  const envelope = readEnvelope(body.subarray(PROTOBUF_MAGIC.length));
  if (envelope.contentEncoding) throw protoError(`unsupported content encoding "${envelope.contentEncoding}" in protobuf envelope`);
  if (envelope.contentType && envelope.contentType !== PROTOBUF_CONTENT_TYPE) {
    throw protoError(`unsupported content type "${envelope.contentType}" in protobuf envelope`);
  }
  const definition = (schema as Record<string, unknown>)[DEF_NAME] as string | undefined;
  if (!definition) throw protoError('no protobuf mapping for the expected kind');
  checkKind(envelope.kind, schema);
  const out: Record<string, unknown> = {};
  if (envelope.apiVersion) out.apiVersion = envelope.apiVersion;
  if (envelope.kind) out.kind = envelope.kind;
  decodeMessage(envelope.raw, definition, schema as TSchema & Record<string, unknown>, out, 0);
  return out;
}

function readEnvelope(bytes: Uint8Array): Envelope {
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const r = new WireReader(bytes);
  const utf8 = new TextDecoder();
  while (!r.done) {
    const tag = r.readTag('Unknown');
    if (tag.wireType !== WIRE_BYTES) throw protoError(`proto: wrong wireType = ${tag.wireType} for field ${tag.field} in Unknown`);
    const value = r.readBytes();
    switch (tag.field) {
      case 1: readTypeMeta(value, env); break;
      case 2: env.raw = value; break;
      case 3: env.contentEncoding = utf8.decode(value); break;
      case 4: env.contentType = utf8.decode(value); break;
      default: throw protoError(`proto: Unknown: unknown field number ${tag.field} (wire type ${tag.wireType})`);
    }
  }
  return env;
}

function readTypeMeta(bytes: Uint8Array, env: Envelope): void {
  const r = new WireReader(bytes);
  const utf8 = new TextDecoder();
  while (!r.done) {
    const tag = r.readTag('TypeMeta');
    if (tag.wireType !== WIRE_BYTES) throw protoError(`proto: wrong wireType = ${tag.wireType} for field ${tag.field} in TypeMeta`);
    const value = utf8.decode(r.readBytes());
    if (tag.field === 1) env.apiVersion = value;
    else if (tag.field === 2) env.kind = value;
    else throw protoError(`proto: TypeMeta: unknown field number ${tag.field} (wire type ${tag.wireType})`);
  }
}

/** A body naming another kind than the endpoint's is refused, as upstream's decoder refuses it. */
function checkKind(kind: string, schema: TSchema): void {
  const gvks = (schema as Record<string, unknown>)['x-kubernetes-group-version-kind'] as { kind: string }[] | undefined;
  if (!kind || !gvks?.length || gvks.some((g) => g.kind === kind)) return;
  throw protoError(`the object provided is unrecognized (must be of type ${gvks[0].kind}): unexpected kind "${kind}" in protobuf envelope`);
}
