// Encoded answers kept per (question name, type, class, EDNS) key, replayed to later queries by
// patching the message ID, the client's RD/CD bits and question spelling, and — for forwarded
// answers — the TTLs, which age with the time the answer spent in the cache (as CoreDNS's cache
// plugin). A bounded map: the oldest entry goes first when it is full. Entries may carry a tag
// (the question name) so that every answer about one name can be dropped at once when the zone
// changes that name.
import { emptyReply, HEADER_BYTES, type ParsedQuery } from './wire.js';

export interface CachedAnswer {
  /** A complete response; its ID and the question's letter case are patched per reply. */
  buf: Buffer;
  /** Clock time (ms) the answer was stored. */
  storedAt: number;
  /** Clock time (ms) after which the entry is stale; Infinity for zone answers (dropped on change). */
  expiresAt: number;
  /** TTL fields to age and their original values (forwarded answers only). */
  ttlOffsets?: number[];
  ttls?: number[];
  /** Set by the cache: the tag the entry was stored under. */
  tag?: string;
}

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly tagged = new Map<string, Set<string>>();

  constructor(private readonly maxEntries: number) {}

  get size(): number { return this.entries.size; }

  get(key: string, now: number): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now < e.expiresAt) return e;
    this.remove(key);
    return undefined;
  }

  set(key: string, entry: CachedAnswer, tag?: string): void {
    if (this.entries.has(key)) this.remove(key);
    else if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.remove(oldest);
    }
    this.entries.set(key, entry);
    if (tag !== undefined) {
      entry.tag = tag;
      let keys = this.tagged.get(tag);
      if (!keys) this.tagged.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Drops every entry stored under `tag`. */
  dropTag(tag: string): void {
    const keys = this.tagged.get(tag);
    if (!keys) return;
    for (const k of keys) this.entries.delete(k);
    this.tagged.delete(tag);
  }

  clear(): void {
    this.entries.clear();
    this.tagged.clear();
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    this.entries.delete(key);
    if (e?.tag === undefined) return;
    const keys = this.tagged.get(e.tag);
    keys?.delete(key);
    if (keys?.size === 0) this.tagged.delete(e.tag);
  }
}

/**
 * The reply to query `msg` (parsed as `q`) from a cached answer. `maxSize` is the UDP payload
 * limit (undefined over TCP): a larger answer becomes an empty truncated reply (TC), so the client
 * retries over TCP.
 */
export function replyFromCache(entry: CachedAnswer, msg: Buffer, q: ParsedQuery, now: number, maxSize: number | undefined): Buffer {
  const src = entry.buf;
  if (maxSize !== undefined && src.length > maxSize) {
    return emptyReply(msg, q, src[3] & 0xf, { truncated: true, authoritative: (src[2] & 0x04) !== 0 });
  }
  const out = Buffer.allocUnsafe(src.length);
  src.copy(out);
  out[0] = msg[0];
  out[1] = msg[1];
  out[2] = (out[2] & ~0x01) | (msg[2] & 0x01); // RD
  out[3] = (out[3] & ~0x10) | (msg[3] & 0x10); // CD
  msg.copy(out, HEADER_BYTES, HEADER_BYTES, q.nameEnd);
  const { ttlOffsets, ttls } = entry;
  if (ttlOffsets && ttls) {
    const aged = Math.floor((now - entry.storedAt) / 1000);
    if (aged > 0) for (let i = 0; i < ttlOffsets.length; i++) out.writeUInt32BE(Math.max(0, ttls[i] - aged), ttlOffsets[i]);
  }
  return out;
}
