// One DNS query in, one reply out: the server's message handling, independent of sockets.
//
// Hot path: parse the header and question by hand, look the (name, type, class, EDNS) key up in
// the answer caches and replay the encoded answer with the client's ID — no message objects, no
// dns-packet. Slow path (first query of a key): answer from the cluster zone and cache the encoded
// reply until the zone changes that name (only the names a change touches are dropped, so churn
// in one Service does not empty the cache for all); names the zone does not own are forwarded upstream, coalescing
// identical queries in flight, and cached by TTL (positive: min TTL capped at 30 s; negative:
// 5 s; failures not at all).
//
// Contract of `handle(msg, maxUdpSize)`: returns the reply (synchronously when it can), or
// undefined to drop the message (responses, runts). It never throws on malformed input: bad
// queries get FORMERR, unknown opcodes NOTIMP, EDNS versions other than 0 BADVERS, and an
// upstream failure SERVFAIL. `maxUdpSize` undefined means TCP (no size limit); over UDP a reply
// larger than the client's EDNS size (512 without EDNS) is sent truncated (TC).
import dnsPacket from 'dns-packet';
import { AnswerCache, replyFromCache, type CachedAnswer } from './answer-cache.js';
import { CLUSTER_TTL, type ClusterZone, type ZoneAnswer } from './cluster-zone.js';
import type { Forwarder } from './forwarder.js';
import {
  BADVERS_HIGH, CLASSIC_UDP_SIZE, dottedName, emptyReply, HEADER_BYTES, optRecord, parseQuery, RCODE, responseFlags, ttlOffsets, typeName, type ParsedQuery,
} from './wire.js';

export interface DnsHandlerOptions {
  zone: ClusterZone;
  /** Upstreams for other names; absent: such queries are REFUSED. */
  forwarder?: Forwarder;
  /** Milliseconds clock (default Date.now). */
  now?: () => number;
  /** Entries per cache (zone answers, forwarded answers); default 10,000. */
  cacheEntries?: number;
  /** Cap of a forwarded positive answer's cache time (default 30 s). */
  maxPositiveTtlSeconds?: number;
  /** Cache time of a forwarded NXDOMAIN/NODATA (default 5 s). */
  negativeTtlSeconds?: number;
}

/** Largest UDP reply sent to an EDNS client, whatever it advertises. */
const MAX_UDP_REPLY = 4096;
const CLASS_IN = 1;
const CLASS_ANY = 255;

export class DnsHandler {
  private readonly zone: ClusterZone;
  private readonly zoneCache: AnswerCache;
  private readonly forwardCache: AnswerCache;
  private readonly inflight = new Map<string, Promise<CachedAnswer | undefined>>();
  private readonly now: () => number;

  constructor(private readonly opts: DnsHandlerOptions) {
    this.zone = opts.zone;
    this.now = opts.now ?? Date.now;
    this.zoneCache = new AnswerCache(opts.cacheEntries ?? 10_000);
    this.forwardCache = new AnswerCache(opts.cacheEntries ?? 10_000);
    this.zone.onChange((names) => { for (const n of names) this.zoneCache.dropTag(n); });
  }

  handle(msg: Buffer, maxUdpSize?: number): Buffer | undefined | Promise<Buffer | undefined> {
    const q = parseQuery(msg);
    if (q === 'drop') return undefined;
    if (q === 'formerr') return emptyReply(msg, undefined, RCODE.FORMERR);
    if (q.opcode !== 0) return emptyReply(msg, q, RCODE.NOTIMP);
    if (q.edns && q.edns.version !== 0) return emptyReply(msg, q, RCODE.NOERROR, { extRcodeHigh: BADVERS_HIGH });
    const limit = maxUdpSize === undefined ? undefined : Math.min(maxUdpSize, q.edns ? Math.min(q.edns.udpSize, MAX_UDP_REPLY) : CLASSIC_UDP_SIZE);
    const now = this.now();
    const hit = this.zoneCache.get(q.key, now) ?? this.forwardCache.get(q.key, now);
    if (hit) return replyFromCache(hit, msg, q, now, limit);
    if (q.qclass === CLASS_IN || q.qclass === CLASS_ANY) {
      const name = dottedName(q.wireName);
      const answer = this.zone.lookup(name, typeName(q.qtype));
      if (answer) {
        const target = cnameToChase(answer, q.qtype);
        if (target !== undefined) return this.chase(msg, q, name, answer, target, limit);
        const entry: CachedAnswer = { buf: encodeZoneAnswer(msg, q, answer), storedAt: now, expiresAt: Infinity };
        this.zoneCache.set(q.key, entry, name);
        return replyFromCache(entry, msg, q, now, limit);
      }
    }
    if (!this.opts.forwarder) return emptyReply(msg, q, RCODE.REFUSED);
    return this.forward(msg, q, limit);
  }

  /** Drops every cached answer (tests; a change of upstreams). */
  flush(): void {
    this.zoneCache.clear();
    this.forwardCache.clear();
  }

  private async forward(msg: Buffer, q: ParsedQuery, limit: number | undefined): Promise<Buffer> {
    let pending = this.inflight.get(q.key);
    if (!pending) {
      pending = this.fetch(msg, q.key).finally(() => this.inflight.delete(q.key));
      this.inflight.set(q.key, pending);
    }
    const entry = await pending;
    if (!entry) return emptyReply(msg, q, RCODE.SERVFAIL);
    return replyFromCache(entry, msg, q, this.now(), limit);
  }

  /**
   * An ExternalName's CNAME asked for A/AAAA, followed as CoreDNS does (stub resolvers such as
   * glibc's and musl's do not chase CNAMEs themselves): targets in the zone are looked up here, up
   * to 8 links; the first target outside it is resolved through the forwarding path (and its
   * cache). The reply carries the chain and the final rcode; it is cached for the chain's lowest
   * TTL (at most the zone's 5 s) under the question name.
   */
  private async chase(msg: Buffer, q: ParsedQuery, name: string, first: ZoneAnswer, target: string, limit: number | undefined): Promise<Buffer> {
    let pending = this.inflight.get(q.key);
    if (!pending) {
      pending = this.resolveChain(msg, q, name, first, target).finally(() => this.inflight.delete(q.key));
      this.inflight.set(q.key, pending);
    }
    const entry = await pending;
    return replyFromCache(entry!, msg, q, this.now(), limit);
  }

  private async resolveChain(msg: Buffer, q: ParsedQuery, name: string, first: ZoneAnswer, target: string): Promise<CachedAnswer> {
    const type = typeName(q.qtype);
    const chain: ZoneAnswer = { rcode: first.rcode, answers: [...first.answers], authorities: [], additionals: [] };
    let ttl = CLUSTER_TTL;
    const seen = new Set([name]);
    for (let next: string | undefined = target, hops = 0; next !== undefined && hops < 8 && !seen.has(next); hops++) {
      const hop: string = next;
      seen.add(hop);
      const local = this.zone.lookup(hop, type);
      if (local) {
        chain.answers.push(...local.answers);
        chain.rcode = local.rcode;
        chain.authorities = local.authorities;
        next = cnameToChase(local, q.qtype);
        continue;
      }
      next = undefined;
      if (!this.opts.forwarder) break;
      const reply = await this.handle(dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: hop, type: type as 'A', class: 'IN' }] }));
      if (!reply) break;
      const decoded = dnsPacket.decode(reply);
      const rcode = (decoded as { rcode?: string }).rcode;
      if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') break;
      chain.rcode = rcode;
      for (const a of decoded.answers ?? []) {
        chain.answers.push(a);
        ttl = Math.min(ttl, (a as { ttl?: number }).ttl ?? 0);
      }
    }
    const now = this.now();
    const entry: CachedAnswer = { buf: encodeZoneAnswer(msg, q, chain), storedAt: now, expiresAt: now + ttl * 1000 };
    if (ttl > 0) this.zoneCache.set(q.key, entry, name);
    return entry;
  }

  private async fetch(msg: Buffer, key: string): Promise<CachedAnswer | undefined> {
    const buf = await this.opts.forwarder!.forward(msg);
    if (!buf) return undefined;
    const ttls = ttlOffsets(buf);
    if (!ttls) return undefined;
    const storedAt = this.now();
    const entry: CachedAnswer = {
      buf, storedAt, expiresAt: storedAt, ttlOffsets: ttls.offsets, ttls: ttls.offsets.map((o) => buf.readUInt32BE(o)),
    };
    const rcode = buf[3] & 0xf;
    const truncated = (buf[2] & 0x02) !== 0;
    let seconds = 0;
    if (!truncated && rcode === RCODE.NOERROR && ttls.answerCount > 0) {
      seconds = Math.min(ttls.minTtl, this.opts.maxPositiveTtlSeconds ?? 30);
    } else if (!truncated && (rcode === RCODE.NXDOMAIN || rcode === RCODE.NOERROR)) {
      seconds = Math.min(Number.isFinite(ttls.minTtl) ? ttls.minTtl : Infinity, this.opts.negativeTtlSeconds ?? 5);
    }
    if (seconds > 0) {
      entry.expiresAt = storedAt + seconds * 1000;
      this.forwardCache.set(key, entry);
    }
    return entry;
  }
}

/** The CNAME target to follow for an A/AAAA question answered only by a CNAME, else undefined. */
function cnameToChase(answer: ZoneAnswer, qtype: number): string | undefined {
  if (qtype !== 1 && qtype !== 28) return undefined;
  const only = answer.answers.length === 1 ? answer.answers[0] : undefined;
  return only?.type === 'CNAME' ? only.data : undefined;
}

/** The encoded authoritative reply for a zone answer, with the query's question section. */
export function encodeZoneAnswer(msg: Buffer, q: ParsedQuery, answer: ZoneAnswer): Buffer {
  const rcode = answer.rcode === 'NXDOMAIN' ? RCODE.NXDOMAIN : RCODE.NOERROR;
  const body = dnsPacket.encode({
    type: 'response', id: 0, flags: responseFlags(q.flags, rcode, true) & 0x7fff,
    questions: [], answers: answer.answers, authorities: answer.authorities, additionals: answer.additionals,
  });
  const question = msg.subarray(HEADER_BYTES, q.questionEnd);
  const opt = q.edns ? optRecord() : undefined;
  const out = Buffer.concat(opt ? [body.subarray(0, HEADER_BYTES), question, body.subarray(HEADER_BYTES), opt] : [body.subarray(0, HEADER_BYTES), question, body.subarray(HEADER_BYTES)]);
  out.writeUInt16BE(1, 4);
  if (opt) out.writeUInt16BE(answer.additionals.length + 1, 10);
  return out;
}
