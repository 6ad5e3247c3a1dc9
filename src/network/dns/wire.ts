// The DNS wire format on the server's hot path, read and written by hand (RFC 1035, RFC 6891
// EDNS0): parsing a query's header, question and OPT record without building objects, building
// error/truncated replies, and locating the TTLs of a response so cached answers can age.
// Full messages are built with dns-packet elsewhere; here only what every query needs.

export const HEADER_BYTES = 12;
export const TYPE_OPT = 41;
/** The UDP payload size this server advertises and accepts at most (the DNS flag day value). */
export const SERVER_UDP_SIZE = 1232;
/** The plain DNS UDP limit without EDNS0. */
export const CLASSIC_UDP_SIZE = 512;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** Extended RCODE BADVERS (16): the upper 8 bits (1) go in the OPT record. */
export const BADVERS_HIGH = 1;

const TYPE_NAMES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 255: 'ANY' };

/** `1` → `A`; unknown types → `TYPE<n>` (which no record matches). */
export function typeName(qtype: number): string {
  return TYPE_NAMES[qtype] ?? `TYPE${qtype}`;
}

export interface EdnsInfo {
  /** The requestor's UDP payload size (at least 512). */
  udpSize: number;
  version: number;
  dnssecOk: boolean;
}

export interface ParsedQuery {
  id: number;
  /** Header flags word (bytes 2-3). */
  flags: number;
  opcode: number;
  /** The question name in wire form (length-prefixed labels, no final 0), ASCII-lowercased, latin1. */
  wireName: string;
  qtype: number;
  qclass: number;
  /** Offset just past the question section. */
  questionEnd: number;
  /** Offset just past the question name. */
  nameEnd: number;
  edns?: EdnsInfo;
  /** Cache key: the lowercase wire name, type, class and EDNS presence / DO bit. */
  key: string;
}

/** Why a message got no ParsedQuery: drop it silently, or answer FORMERR. */
export type ParseFailure = 'drop' | 'formerr';

const scratch = Buffer.allocUnsafe(255);

/** Parses a query. Responses and runt packets are dropped; malformed queries get FORMERR. */
export function parseQuery(msg: Buffer): ParsedQuery | ParseFailure {
  if (msg.length < HEADER_BYTES) return 'drop';
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return 'drop';
  const qdcount = msg.readUInt16BE(4);
  if (qdcount !== 1 || msg.readUInt16BE(6) !== 0 || msg.readUInt16BE(8) !== 0) return 'formerr';
  let off = HEADER_BYTES;
  let wireLen = 0;
  for (;;) {
    if (off >= msg.length) return 'formerr';
    const len = msg[off];
    if (len === 0) { off++; break; }
    if (len > 63 || off + 1 + len > msg.length || wireLen + len + 1 > 254) return 'formerr'; // pointers (0xC0) too
    scratch[wireLen++] = len;
    for (let i = off + 1; i <= off + len; i++) {
      const c = msg[i];
      scratch[wireLen++] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    }
    off += len + 1;
  }
  const nameEnd = off;
  if (off + 4 > msg.length) return 'formerr';
  const qtype = msg.readUInt16BE(off);
  const qclass = msg.readUInt16BE(off + 2);
  off += 4;
  const questionEnd = off;
  let edns: EdnsInfo | undefined;
  const arcount = msg.readUInt16BE(10);
  for (let i = 0; i < arcount; i++) {
    const start = off;
    off = skipName(msg, off);
    if (off < 0 || off + 10 > msg.length) return 'formerr';
    const type = msg.readUInt16BE(off);
    const rdlen = msg.readUInt16BE(off + 8);
    if (off + 10 + rdlen > msg.length) return 'formerr';
    if (type === TYPE_OPT) {
      if (edns || msg[start] !== 0) return 'formerr';
      edns = { udpSize: Math.max(CLASSIC_UDP_SIZE, msg.readUInt16BE(off + 2)), version: msg[off + 5], dnssecOk: (msg[off + 6] & 0x80) !== 0 };
    }
    off += 10 + rdlen;
  }
  const ednsBits = edns ? (edns.dnssecOk ? '2' : '1') : '0';
  const wireName = scratch.toString('latin1', 0, wireLen);
  const key = `${wireName}|${qtype}|${qclass}|${ednsBits}`;
  return { id: msg.readUInt16BE(0), flags, opcode: (flags >> 11) & 0xf, wireName, qtype, qclass, questionEnd, nameEnd, edns, key };
}

/** `\x03foo\x03bar` → `foo.bar` (the slow path's dotted name; '' for the root). */
export function dottedName(wireName: string): string {
  const labels: string[] = [];
  for (let i = 0; i < wireName.length;) {
    const len = wireName.charCodeAt(i);
    labels.push(wireName.slice(i + 1, i + 1 + len));
    i += len + 1;
  }
  return labels.join('.');
}

/** Offset past a (possibly compressed) name at `off`, or -1 when malformed. */
export function skipName(msg: Buffer, off: number): number {
  for (;;) {
    if (off >= msg.length) return -1;
    const len = msg[off];
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2 <= msg.length ? off + 2 : -1;
    if (len > 63) return -1;
    off += len + 1;
  }
}

/** An OPT record advertising this server's UDP size; `extRcodeHigh` for BADVERS. */
export function optRecord(extRcodeHigh = 0): Buffer {
  const b = Buffer.alloc(11);
  b.writeUInt16BE(TYPE_OPT, 1);
  b.writeUInt16BE(SERVER_UDP_SIZE, 3);
  b[5] = extRcodeHigh;
  return b;
}

/** Response flags for a query: QR, the query's opcode, RD and CD copied, RA, and `rcode`. */
export function responseFlags(queryFlags: number, rcode: number, authoritative: boolean): number {
  return 0x8000 | (queryFlags & 0x7800) | (authoritative ? 0x0400 : 0) | (queryFlags & 0x0100) | 0x0080 | (queryFlags & 0x0010) | (rcode & 0xf);
}

/**
 * A reply with no records: the question (if parsed) and an OPT when the query had one. Used for
 * FORMERR/SERVFAIL/NOTIMP/REFUSED/BADVERS, and with `truncated` for an answer too big for UDP.
 */
export function emptyReply(msg: Buffer, q: ParsedQuery | undefined, rcode: number, opts: { truncated?: boolean; authoritative?: boolean; extRcodeHigh?: number } = {}): Buffer {
  const question = q ? msg.subarray(HEADER_BYTES, q.questionEnd) : Buffer.alloc(0);
  const opt = q?.edns ? optRecord(opts.extRcodeHigh) : undefined;
  const out = Buffer.alloc(HEADER_BYTES + question.length + (opt?.length ?? 0));
  out.writeUInt16BE(msg.length >= 2 ? msg.readUInt16BE(0) : 0, 0);
  const queryFlags = msg.length >= 4 ? msg.readUInt16BE(2) : 0;
  out.writeUInt16BE(responseFlags(queryFlags, rcode, opts.authoritative ?? false) | (opts.truncated ? 0x0200 : 0), 2);
  out.writeUInt16BE(q ? 1 : 0, 4);
  out.writeUInt16BE(opt ? 1 : 0, 10);
  question.copy(out, HEADER_BYTES);
  opt?.copy(out, HEADER_BYTES + question.length);
  return out;
}

/** Offsets of the TTL fields of every record but OPT in a response (for aging cached answers). */
export function ttlOffsets(msg: Buffer): { offsets: number[]; minTtl: number; answerCount: number } | undefined {
  if (msg.length < HEADER_BYTES) return undefined;
  let off = HEADER_BYTES;
  for (let i = msg.readUInt16BE(4); i > 0; i--) {
    off = skipName(msg, off);
    if (off < 0) return undefined;
    off += 4;
  }
  const answerCount = msg.readUInt16BE(6);
  const counted = answerCount + msg.readUInt16BE(8);
  const total = counted + msg.readUInt16BE(10);
  const offsets: number[] = [];
  let minTtl = Infinity;
  for (let i = 0; i < total; i++) {
    off = skipName(msg, off);
    if (off < 0 || off + 10 > msg.length) return undefined;
    const type = msg.readUInt16BE(off);
    if (type !== TYPE_OPT) {
      offsets.push(off + 4);
      if (i < counted) minTtl = Math.min(minTtl, msg.readUInt32BE(off + 4));
    }
    off += 10 + msg.readUInt16BE(off + 8);
    if (off > msg.length) return undefined;
  }
  return { offsets, minTtl, answerCount };
}
