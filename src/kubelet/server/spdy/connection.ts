// A SPDY/3.1 session over one byte stream (a TCP/TLS socket after the HTTP upgrade, or a
// WebSocket tunnel). Streams are Node Duplexes. Either side may open streams: the server role
// (the kubelet) accepts the client's odd-numbered streams through `onStream` and answers each with
// SYN_REPLY when the handler calls `accept()`; the client role (tests) opens them with `open()`.
//
// Flow control (SPDY/3.1 stream and connection windows, 64 KiB initial): Go's spdystream
// (kubectl's side) neither sends nor honours WINDOW_UPDATE, so windows are enforced only once the
// peer shows it speaks flow control (a WINDOW_UPDATE or an initial-window setting) or the session
// was created with `flowControl`; until then sends are not held back.
import type { Duplex } from 'node:stream';
import {
  encodeGoAway, encodePing, encodeRstStream, encodeSynStream, encodeWindowUpdate,
  FLAG_FIN, FLAG_UNIDIRECTIONAL, FrameParser, RstStatus, SETTINGS_INITIAL_WINDOW_SIZE, type Frame,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-codec.js';
import { DEFAULT_WINDOW, SpdyStream } from './stream.js';

export { SpdyStream };

export interface SpdyConnectionOptions {
  /** Server role: accepts odd (client) streams, opens even ones. */
  server: boolean;
  /** A new peer-opened stream; call `stream.accept()` (or `reset()`) once it is wanted. */
  onStream?: (stream: SpdyStream) => void;
  /** Speak flow control from the start (a peer known to implement SPDY/3.1 windows). */
  flowControl?: boolean;
}

export class SpdyConnection {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly parser = new FrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private nextId: number;
  private lastPeerId = 0;
  private closedFlag = false;
  private outbound: Promise<void> = Promise.resolve();
  private outboundIdle = true;
  private inbound: Promise<void> = Promise.resolve();
  /** Whether the peer speaks flow control (sent WINDOW_UPDATE or a window setting, or configured). */
  peerFlowControl: boolean;
  /** Connection-level send window (SPDY/3.1 stream 0). */
  sendWindow = DEFAULT_WINDOW;
  private connUnacked = 0;
  private initialSendWindow = DEFAULT_WINDOW;
  /** Resolves when the underlying stream closed or the session was closed. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  constructor(private readonly socket: Duplex, private readonly o: SpdyConnectionOptions) {
    this.nextId = o.server ? 2 : 1;
    this.peerFlowControl = o.flowControl ?? false;
    this.closed = new Promise((r) => { this.resolveClosed = r; });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.teardown());
    socket.on('close', () => this.teardown());
    socket.on('error', () => this.teardown());
  }

  /** @internal */ compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.compressor.compress(headers);
  }

  /**
   * @internal Queues a frame; frames leave in call order even when one waits for its header
   * block to be compressed.
   */
  send(frame: Buffer | Promise<Buffer>): void {
    if (Buffer.isBuffer(frame) && this.outboundIdle) {
      this.write(frame);
      return;
    }
    this.outboundIdle = false;
    const p = this.outbound.then(async () => this.write(await frame));
    this.outbound = p.catch(() => this.teardown());
    const mine = this.outbound;
    void mine.then(() => { if (this.outbound === mine) this.outboundIdle = true; });
  }

  /** @internal Received DATA bytes: the connection window is returned in halves. */
  consumed(n: number): void {
    this.connUnacked += n;
    if (this.peerFlowControl && this.connUnacked >= DEFAULT_WINDOW / 2) {
      this.send(encodeWindowUpdate(0, this.connUnacked));
      this.connUnacked = 0;
    }
  }

  /** @internal Calls back once the byte stream has room (back-pressure for stream writers). */
  whenWritable(cb: () => void): void {
    if (this.closedFlag || !this.socket.writableNeedDrain) return cb();
    const go = () => {
      this.socket.off('drain', go);
      this.socket.off('close', go);
      cb();
    };
    this.socket.on('drain', go);
    this.socket.on('close', go);
  }

  private write(frame: Buffer): void {
    if (!this.closedFlag && this.socket.writable) this.socket.write(frame);
  }

  /** @internal */ forget(id: number): void {
    this.streams.delete(id);
  }

  /** Opens a stream (client role in tests; server push is not used by Kubernetes). */
  open(headers: SpdyHeaders, fin = false): SpdyStream {
    const id = this.nextId;
    this.nextId += 2;
    const s = new SpdyStream(id, this);
    s.sendWindow = this.initialSendWindow;
    this.streams.set(id, s);
    this.send(this.compress(headers).then((block) => encodeSynStream(id, block, fin ? FLAG_FIN : 0)));
    if (fin) s.markLocalClosed();
    return s;
  }

  /** Sends GOAWAY and closes the byte stream; open streams end. Idempotent. */
  close(): void {
    if (this.closedFlag) return;
    this.send(encodeGoAway(this.lastPeerId));
    void this.outbound.then(() => {
      this.socket.end();
      this.teardown();
    });
  }

  private teardown(): void {
    if (!this.closedFlag) {
      this.closedFlag = true;
      for (const s of [...this.streams.values()]) s.onReset();
      this.streams.clear();
      this.resolveClosed();
      if (!this.socket.destroyed) this.socket.end();
    }
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch {
      this.socket.destroy();
      this.teardown();
      return;
    }
    // Frames are handled strictly in order: a stream's DATA waits for its SYN_STREAM's headers.
    for (const f of frames) {
      this.inbound = this.inbound.then(() => this.handle(f)).catch(() => {
        // A header block that does not inflate breaks the shared zlib context: the session is lost.
        this.socket.destroy();
        this.teardown();
      });
    }
  }

  private async handle(f: Frame): Promise<void> {
    if (this.closedFlag) return;
    switch (f.type) {
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) {
          this.send(encodeRstStream(f.streamId, RstStatus.INVALID_STREAM));
          return;
        }
        s.onData(f.data, (f.flags & FLAG_FIN) !== 0);
        return;
      }
      case 'syn_stream': {
        const headers = await this.decompressor.decompress(f.headerBlock);
        if (this.streams.has(f.streamId)) return;
        this.lastPeerId = Math.max(this.lastPeerId, f.streamId);
        const s = new SpdyStream(f.streamId, this);
        s.sendWindow = this.initialSendWindow;
        s.headers = headers;
        this.streams.set(f.streamId, s);
        if (f.flags & FLAG_UNIDIRECTIONAL) s.markLocalClosed();
        if (f.flags & FLAG_FIN) s.onRemoteFin();
        if (this.o.onStream) this.o.onStream(s);
        else s.reset(RstStatus.REFUSED_STREAM);
        return;
      }
      case 'syn_reply': {
        const headers = await this.decompressor.decompress(f.headerBlock);
        this.streams.get(f.streamId)?.onReply(headers, (f.flags & FLAG_FIN) !== 0);
        return;
      }
      case 'headers': {
        const headers = await this.decompressor.decompress(f.headerBlock);
        const s = this.streams.get(f.streamId);
        if (s) {
          for (const [k, v] of Object.entries(headers)) (s.headers[k] ??= []).push(...v);
          if (f.flags & FLAG_FIN) s.onRemoteFin();
        }
        return;
      }
      case 'rst_stream':
        this.streams.get(f.streamId)?.onReset();
        return;
      case 'ping':
        // Answer the peer's pings (odd ids from a client, even from a server); ignore echoes of ours.
        if ((f.id % 2 === 1) === this.o.server) this.send(encodePing(f.id));
        return;
      case 'goaway':
        // No new streams will come; the ones open finish normally.
        return;
      case 'window_update': {
        this.peerFlowControl = true;
        if (f.streamId === 0) {
          this.sendWindow += f.delta;
          for (const st of this.streams.values()) st.windowOpened();
        } else {
          const st = this.streams.get(f.streamId);
          if (st) {
            st.sendWindow += f.delta;
            st.windowOpened();
          }
        }
        return;
      }
      case 'settings': {
        const w = f.entries.find((e) => e.id === SETTINGS_INITIAL_WINDOW_SIZE);
        if (w) {
          // Applies to every stream, open ones adjusted by the difference.
          this.peerFlowControl = true;
          const diff = w.value - this.initialSendWindow;
          this.initialSendWindow = w.value;
          for (const st of this.streams.values()) {
            st.sendWindow += diff;
            st.windowOpened();
          }
        }
        return;
      }
      case 'unknown':
        return;
    }
  }
}
