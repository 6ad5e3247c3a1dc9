// A minimal protobuf wire-format writer, the reader's mirror: builds messages field by field.
// Used by tests to hand-craft bodies (valid and malformed); it checks nothing.

export type Field = Buffer;

export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}

export const key = (field: number, wireType: number): Buffer => varint(field * 8 + wireType);

/** A varint field (int32, int64, bool, enum). Negative numbers take ten bytes, as Go writes them. */
export const int = (field: number, value: number | bigint | boolean): Field =>
  Buffer.concat([key(field, 0), varint(typeof value === 'boolean' ? (value ? 1 : 0) : value)]);

export const bytes = (field: number, value: Uint8Array): Field => Buffer.concat([key(field, 2), varint(value.length), value]);

export const str = (field: number, value: string): Field => bytes(field, Buffer.from(value, 'utf8'));

/** A message field built from its fields. */
export const msg = (field: number, ...fields: Field[]): Field => bytes(field, Buffer.concat(fields));

/** One map entry: {1: key, 2: value}. */
export const entry = (field: number, k: string, value: Field): Field => msg(field, str(1, k), value);

/** A whole Kubernetes protobuf body: magic + runtime.Unknown{typeMeta, raw}. */
export function body(apiVersion: string, kind: string, ...fields: Field[]): Buffer {
  return Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    msg(1, str(1, apiVersion), str(2, kind)),
    bytes(2, Buffer.concat(fields)),
  ]);
}
