// Forwarding of names outside the cluster zone to upstream nameservers (as CoreDNS's forward
// plugin, sequential policy): each query goes over UDP to the first upstream with a fresh random
// ID; a truncated (TC) answer is fetched again over TCP from the same upstream; a timeout or a
// failure moves on to the next upstream. The answer is accepted only from the address it was sent
// to, with the same ID and the same question (case-insensitively), so a stray or spoofed packet
// is ignored. `forward` resolves undefined when every upstream failed (the caller answers
// SERVFAIL). Sockets are opened lazily and closed by `close()`.
import dgram from 'node:dgram';
import net from 'node:net';
import { canonicalIP } from './names.js';
import { HEADER_BYTES, skipName } from './wire.js';

export interface Upstream { host: string; port: number }

export interface ForwarderOptions {
  upstreams: Upstream[];
  /** Per upstream and attempt (default 2000 ms). */
  timeoutMs?: number;
}

interface Pending {
  resolve(buf: Buffer | undefined): void;
  upstream: Upstream;
  question: Buffer;
}

/** `8.8.8.8`, `1.2.3.4:5353`, `[fd00::1]:53`, `fd00::1` → host and port (default 53). */
export function parseUpstream(text: string): Upstream {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) return { host: bracket[1], port: bracket[2] ? Number(bracket[2]) : 53 };
  if (net.isIPv6(text)) return { host: text, port: 53 };
  const m = /^([^:]+)(?::(\d+))?$/.exec(text);
  if (!m || !net.isIP(m[1])) throw new Error(`invalid upstream nameserver ${JSON.stringify(text)}`);
  return { host: m[1], port: m[2] ? Number(m[2]) : 53 };
}

/** The question section of `msg` lowercased (to compare an answer's question to the query's). */
function questionOf(msg: Buffer): Buffer | undefined {
  if (msg.length < HEADER_BYTES || msg.readUInt16BE(4) !== 1) return undefined;
  const end = skipName(msg, HEADER_BYTES);
  if (end < 0 || end + 4 > msg.length) return undefined;
  const q = Buffer.from(msg.subarray(HEADER_BYTES, end + 4));
  for (let i = 0; i < q.length - 4; i++) if (q[i] >= 0x41 && q[i] <= 0x5a) q[i] |= 0x20;
  return q;
}

export class Forwarder {
  private readonly sockets = new Map<'udp4' | 'udp6', dgram.Socket>();
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly opts: ForwarderOptions) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
  }

  get upstreams(): readonly Upstream[] { return this.opts.upstreams; }

  /** The upstream's answer to `query` (with the upstream's ID; callers patch it), or undefined. */
  async forward(query: Buffer): Promise<Buffer | undefined> {
    const question = questionOf(query);
    if (!question) return undefined;
    for (const upstream of this.opts.upstreams) {
      if (this.closed) return undefined;
      try {
        let answer = await this.viaUdp(query, question, upstream);
        if (answer && (answer[2] & 0x02) !== 0) answer = await this.viaTcp(query, question, upstream);
        if (answer) return answer;
      } catch {
        // next upstream
      }
    }
    return undefined;
  }

  close(): void {
    this.closed = true;
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
    for (const p of this.pending.values()) p.resolve(undefined);
    this.pending.clear();
  }

  private socket(family: 'udp4' | 'udp6'): dgram.Socket {
    let s = this.sockets.get(family);
    if (s) return s;
    s = dgram.createSocket(family);
    s.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    s.on('error', () => { /* per-query timeouts cover a broken socket */ });
    s.unref();
    this.sockets.set(family, s);
    return s;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < HEADER_BYTES || (msg[2] & 0x80) === 0) return;
    const p = this.pending.get(msg.readUInt16BE(0));
    if (!p || p.upstream.port !== rinfo.port || !sameHost(p.upstream.host, rinfo.address)) return;
    const q = questionOf(msg);
    if (!q || !q.equals(p.question)) return;
    p.resolve(msg);
  }

  private freeId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 0x10000);
      if (!this.pending.has(id)) return id;
    }
  }

  private viaUdp(query: Buffer, question: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    const id = this.freeId();
    const out = Buffer.from(query);
    out.writeUInt16BE(id, 0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), this.timeoutMs);
      const done = (buf: Buffer | undefined) => {
        clearTimeout(timer);
        if (this.pending.get(id)?.resolve === done) this.pending.delete(id);
        resolve(buf);
      };
      this.pending.set(id, { resolve: done, upstream, question });
      this.socket(net.isIPv6(upstream.host) ? 'udp6' : 'udp4').send(out, upstream.port, upstream.host, (err) => { if (err) done(undefined); });
    });
  }

  private viaTcp(query: Buffer, question: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    const id = this.freeId();
    const framed = Buffer.alloc(query.length + 2);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    framed.writeUInt16BE(id, 2);
    return new Promise((resolve) => {
      const sock = net.connect({ host: upstream.host, port: upstream.port });
      let data = Buffer.alloc(0);
      const finish = (buf: Buffer | undefined) => {
        clearTimeout(timer);
        sock.destroy();
        resolve(buf);
      };
      const timer = setTimeout(() => finish(undefined), this.timeoutMs);
      sock.on('connect', () => sock.write(framed));
      sock.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        if (data.length < 2) return;
        const len = data.readUInt16BE(0);
        if (data.length < 2 + len) return;
        const msg = data.subarray(2, 2 + len);
        const q = questionOf(msg);
        finish(msg.length >= HEADER_BYTES && msg.readUInt16BE(0) === id && q?.equals(question) ? Buffer.from(msg) : undefined);
      });
      sock.on('error', () => finish(undefined));
      sock.on('close', () => finish(undefined));
    });
  }
}

function sameHost(a: string, b: string): boolean {
  if (a === b) return true;
  const mapped = b.startsWith('::ffff:') ? b.slice(7) : b;
  return canonicalIP(a) === canonicalIP(mapped);
}
