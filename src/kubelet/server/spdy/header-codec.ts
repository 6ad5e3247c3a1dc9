// SPDY/3 header blocks: name/value pairs (4-byte lengths; several values of one name joined by
// NUL), compressed with one zlib context per direction for the whole connection, each block
// ended with a sync flush. Stateful: blocks must be encoded and decoded in frame order, so the
// codec serializes its calls.
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

/** Header names as sent on the wire (lower case); values of a repeated name in order. */
export type SpdyHeaders = Record<string, string[]>;

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

/**
 * One long-lived zlib context. Calls are serialized; each resolves with the output of its input
 * after a sync flush (the flush callback runs after the output of everything written before it).
 */
class ZlibContext {
  private tail: Promise<unknown> = Promise.resolve();
  private out: Buffer[] = [];

  constructor(private readonly z: zlib.Deflate | zlib.Inflate) {
    z.on('data', (c: Buffer) => this.out.push(c));
    z.on('error', () => undefined);
  }

  run(input: Buffer): Promise<Buffer> {
    const p = this.tail.then(() => new Promise<Buffer>((resolve, reject) => {
      this.z.once('error', reject);
      this.z.write(input);
      this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.z.off('error', reject);
        const out = Buffer.concat(this.out);
        this.out = [];
        resolve(out);
      });
    }));
    this.tail = p.catch(() => undefined);
    return p;
  }
}

/** One direction's compressor: blocks come out in call order. */
export class HeaderCompressor {
  private readonly z = new ZlibContext(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.z.run(encodeHeaderBlock(headers));
  }
}

/** One direction's decompressor: blocks must be given in arrival order. */
export class HeaderDecompressor {
  private readonly z = new ZlibContext(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));

  async decompress(data: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.z.run(data));
  }
}
