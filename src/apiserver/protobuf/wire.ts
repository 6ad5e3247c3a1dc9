// A minimal protobuf wire-format reader (proto2, as gogo-protobuf writes Kubernetes objects).
// Every read either advances or throws, so no caller can loop forever; every length is checked
// against the bytes that remain before anything is sliced.
//
// Errors are StatusErrors (400 BadRequest) worded like gogo-protobuf's, because the API server
// hands a decoder's error text to the client as upstream does.
import { errors, type StatusError } from '../../api/index.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export const protoError = (message: string): StatusError => errors.badRequest(message);
const unexpectedEOF = (): StatusError => protoError('unexpected EOF');

/** A varint as two 32-bit halves (unsigned), so 64-bit values lose nothing while being read. */
export interface Varint { lo: number; hi: number }

export interface Tag { field: number; wireType: number }

export class WireReader {
  private pos: number;
  constructor(private readonly buf: Uint8Array, start = 0, private readonly end = buf.length) {
    this.pos = start;
  }

  get done(): boolean { return this.pos >= this.end; }

  /** Reads a field key. `message` names the message in errors (`DeploymentSpec`). */
  readTag(message: string): Tag {
    const v = this.readVarint();
    if (v.hi !== 0) throw protoError(`proto: ${message}: illegal tag (field number out of range)`);
    const field = Math.floor(v.lo / 8);
    const wireType = v.lo & 7;
    if (wireType === 4) throw protoError(`proto: ${message}: wiretype end group for non-group`);
    if (field <= 0) throw protoError(`proto: ${message}: illegal tag ${field} (wire type ${wireType})`);
    return { field, wireType };
  }

  readVarint(): Varint {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw unexpectedEOF();
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) { lo |= (b & 0x0f) << 28; hi |= (b & 0x7f) >> 4; }
      else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        if (i === 9 && b > 1) throw protoError('proto: integer overflow');
        return { lo: lo >>> 0, hi: hi >>> 0 };
      }
    }
    throw protoError('proto: integer overflow');
  }

  /** A length-delimited payload; the returned view shares the buffer. */
  readBytes(): Uint8Array {
    const v = this.readVarint();
    if (v.hi >= 0x80000000) throw protoError('proto: negative length found during unmarshaling');
    if (v.hi !== 0 || v.lo > this.end - this.pos) throw unexpectedEOF();
    const out = this.buf.subarray(this.pos, this.pos + v.lo);
    this.pos += v.lo;
    return out;
  }

  readFixed32(): Uint8Array { return this.take(4); }
  readFixed64(): Uint8Array { return this.take(8); }

  /** Skips one value of the given wire type (groups are not used by Kubernetes and are rejected). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT: this.readVarint(); return;
      case WIRE_FIXED64: this.take(8); return;
      case WIRE_BYTES: this.readBytes(); return;
      case WIRE_FIXED32: this.take(4); return;
      default: throw protoError(`proto: illegal wireType ${wireType}`);
    }
  }

  private take(n: number): Uint8Array {
    if (this.end - this.pos < n) throw unexpectedEOF();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** int64 as Go reads it (two's complement); exact up to 2^53, rounded beyond as JSON numbers are. */
export function varintToInt64(v: Varint): number {
  const hi = v.hi | 0;
  return hi * 0x100000000 + v.lo;
}

/** int32 as Go converts a wire varint: the low 32 bits, signed. */
export function varintToInt32(v: Varint): number {
  return v.lo | 0;
}

export function varintToBool(v: Varint): boolean {
  return v.lo !== 0 || v.hi !== 0;
}
