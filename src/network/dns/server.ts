// The cluster DNS server's sockets: UDP and TCP (RFC 1035 §4.2.2 two-byte length framing,
// pipelined queries answered as they complete, RFC 7766) on each listen address, all answering
// through one DnsHandler. Usable without an API client: feed `zone` directly (tests, benchmarks),
// or let startClusterDNS feed it from informers.
//
// Lifecycle: `start()` binds every socket (UDP and TCP share a port; port 0 picks a free one for
// both) and rejects if one cannot be bound, closing what it had opened; `stop()` closes sockets,
// TCP connections and the forwarder, and is idempotent.
import dgram from 'node:dgram';
import net from 'node:net';
import { ClusterZone, type ClusterZoneOptions } from './cluster-zone.js';
import { Forwarder, type Upstream } from './forwarder.js';
import { DnsHandler, type DnsHandlerOptions } from './handler.js';

export interface ListenAddress { host: string; port?: number }

export interface DnsServerOptions extends ClusterZoneOptions, Omit<DnsHandlerOptions, 'zone' | 'forwarder'> {
  listen: ListenAddress[];
  /** Upstream nameservers for names outside the cluster zone (none: REFUSED). */
  upstreams?: Upstream[];
  /** Per upstream attempt (default 2000 ms). */
  forwardTimeoutMs?: number;
  /** An existing zone to serve (default: a new one from the zone options). */
  zone?: ClusterZone;
  /** Closes idle TCP connections after this long (default 10 s). */
  tcpIdleMs?: number;
  log?: (msg: string) => void;
}

export interface BoundAddress { host: string; port: number }

const MAX_TCP_CONNECTIONS = 1000;

export class DnsServer {
  readonly zone: ClusterZone;
  readonly handler: DnsHandler;
  private readonly forwarder?: Forwarder;
  private readonly udp: dgram.Socket[] = [];
  private readonly tcp: net.Server[] = [];
  private readonly conns = new Set<net.Socket>();
  private readonly bound: BoundAddress[] = [];
  private stopped = false;

  constructor(private readonly opts: DnsServerOptions) {
    this.zone = opts.zone ?? new ClusterZone(opts);
    this.forwarder = opts.upstreams?.length ? new Forwarder({ upstreams: opts.upstreams, timeoutMs: opts.forwardTimeoutMs }) : undefined;
    this.handler = new DnsHandler({ ...opts, zone: this.zone, forwarder: this.forwarder });
  }

  /** The addresses bound (ports resolved), in `listen` order. */
  get addresses(): readonly BoundAddress[] { return this.bound; }

  async start(): Promise<void> {
    try {
      for (const l of this.opts.listen) this.bound.push(await this.bindPair(l.host, l.port ?? 53));
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.forwarder?.close();
    for (const c of this.conns) c.destroy();
    await Promise.all([
      ...this.udp.map((s) => new Promise<void>((r) => s.close(() => r()))),
      ...this.tcp.map((s) => new Promise<void>((r) => s.close(() => r()))),
    ]);
  }

  /** UDP then TCP on the same port; with port 0, retries a few times if TCP finds the port taken. */
  private async bindPair(host: string, port: number): Promise<BoundAddress> {
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(host, port);
      const actual = udp.address().port;
      try {
        await this.bindTcp(host, actual);
        this.udp.push(udp);
        return { host, port: actual };
      } catch (e) {
        udp.close();
        if (port !== 0 || attempt >= 5) throw e;
      }
    }
  }

  private bindUdp(host: string, port: number): Promise<dgram.Socket> {
    const sock = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, host, () => {
        sock.off('error', reject);
        sock.on('error', (e) => this.opts.log?.(`dns: udp ${host}: ${e.message}`));
        sock.on('message', (msg, rinfo) => this.onUdp(sock, msg, rinfo));
        resolve(sock);
      });
    });
  }

  private onUdp(sock: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    let reply: ReturnType<DnsHandler['handle']>;
    try {
      reply = this.handler.handle(msg, 65_535);
    } catch (e) {
      this.opts.log?.(`dns: query from ${rinfo.address}: ${(e as Error).message}`);
      return;
    }
    if (reply instanceof Promise) {
      reply.then((r) => { if (r && !this.stopped) sock.send(r, rinfo.port, rinfo.address); }, (e) => this.opts.log?.(`dns: ${(e as Error).message}`));
    } else if (reply) {
      sock.send(reply, rinfo.port, rinfo.address);
    }
  }

  private bindTcp(host: string, port: number): Promise<void> {
    const server = net.createServer((c) => this.onTcp(c));
    server.maxConnections = MAX_TCP_CONNECTIONS;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (e) => this.opts.log?.(`dns: tcp ${host}: ${e.message}`));
        this.tcp.push(server);
        resolve();
      });
    });
  }

  private onTcp(conn: net.Socket): void {
    this.conns.add(conn);
    conn.setNoDelay(true);
    conn.setTimeout(this.opts.tcpIdleMs ?? 10_000, () => conn.destroy());
    let buffered = Buffer.alloc(0);
    const send = (reply: Buffer | undefined) => {
      if (!reply || conn.destroyed) return;
      const head = Buffer.allocUnsafe(2);
      head.writeUInt16BE(reply.length, 0);
      conn.write(Buffer.concat([head, reply]));
    };
    conn.on('data', (chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const msg = Buffer.from(buffered.subarray(2, 2 + len));
        buffered = buffered.subarray(2 + len);
        let reply: ReturnType<DnsHandler['handle']>;
        try {
          reply = this.handler.handle(msg);
        } catch (e) {
          this.opts.log?.(`dns: tcp query: ${(e as Error).message}`);
          conn.destroy();
          return;
        }
        if (reply instanceof Promise) reply.then(send, () => conn.destroy());
        else send(reply);
      }
    });
    conn.on('error', () => conn.destroy());
    conn.on('close', () => this.conns.delete(conn));
  }
}
