// SPDY/3 header blocks: name/value pairs (4-byte lengths; several values of one name joined by
// NUL), compressed with one zlib context per direction for the whole connection, each block
// ended with a sync flush. Stateful: blocks must be encoded and decoded in frame order.
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

/** Header names as sent on the wire (lower case); values of a repeated name in order. */
export type SpdyHeaders = Record<string, string[]>;

// Node's zlib has no public synchronous API for a long-lived context; `_processChunk` without a
// callback is what its own *Sync helpers use. Keeping the codec synchronous keeps frame handling
// in order without a queue.
interface SyncZlib {
  _processChunk(chunk: Buffer, flushFlag: number): Buffer;
}

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [];
  const n = Buffer.alloc(4);
  n.writeUInt32BE(entries.length);
  parts.push(n);
  for (const [name, values] of entries) {
    const k = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    const kl = Buffer.alloc(4);
    kl.writeUInt32BE(k.length);
    const vl = Buffer.alloc(4);
    vl.writeUInt32BE(v.length);
    parts.push(kl, k, vl, v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  if (block.length < 4) throw new Error('SPDY header block too short');
  const count = block.readUInt32BE(0);
  let pos = 4;
  const take = (): Buffer => {
    if (pos + 4 > block.length) throw new Error('SPDY header block truncated');
    const len = block.readUInt32BE(pos);
    pos += 4;
    if (pos + len > block.length) throw new Error('SPDY header block truncated');
    const b = block.subarray(pos, pos + len);
    pos += len;
    return b;
  };
  for (let i = 0; i < count; i++) {
    const name = take().toString('utf8').toLowerCase();
    const values = take().toString('utf8').split('\0');
    (out[name] ??= []).push(...values);
  }
  return out;
}

/** One direction's compressor. */
export class HeaderCompressor {
  private readonly z = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }) as unknown as SyncZlib;

  compress(headers: SpdyHeaders): Buffer {
    return this.z._processChunk(encodeHeaderBlock(headers), zlib.constants.Z_SYNC_FLUSH);
  }
}

/** One direction's decompressor. */
export class HeaderDecompressor {
  private readonly z = zlib.createInflate({ dictionary: SPDY3_DICTIONARY }) as unknown as SyncZlib;

  decompress(data: Buffer): SpdyHeaders {
    return decodeHeaderBlock(this.z._processChunk(data, zlib.constants.Z_SYNC_FLUSH));
  }
}
