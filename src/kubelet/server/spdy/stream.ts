// One SPDY stream as a Node Duplex: what the peer sends arrives as readable data, what is written
// leaves as DATA frames within the send window, `end()` sends FIN, `reset()` RST_STREAM. Owned by
// its SpdyConnection, which routes frames to it in arrival order.
import { Duplex } from 'node:stream';
import { encodeData, encodeRstStream, encodeSynReply, encodeWindowUpdate, RstStatus } from './frames.js';
import type { SpdyHeaders } from './header-codec.js';
import type { SpdyConnection } from './connection.js';

const MAX_DATA_FRAME = 16 * 1024;
/** SPDY/3.1's initial window, per stream and per connection. */
export const DEFAULT_WINDOW = 64 * 1024;

export class SpdyStream extends Duplex {
  /** The peer's headers (SYN_STREAM for an accepted stream, SYN_REPLY for an opened one). */
  headers: SpdyHeaders = {};
  private replied = false;
  private localClosed = false;
  remoteClosed = false;
  private unacked = 0;
  /** Resolves when an opened stream got its SYN_REPLY. */
  readonly reply: Promise<void>;
  private resolveReply!: () => void;

  constructor(readonly id: number, private readonly conn: SpdyConnection) {
    super({ allowHalfOpen: true });
    this.reply = new Promise((r) => { this.resolveReply = r; });
  }

  /** First value of a header (names are lower case on the wire). */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()]?.[0];
  }

  /** Accepts a peer-opened stream (SYN_REPLY). Idempotent. */
  accept(headers: SpdyHeaders = {}): void {
    if (this.replied) return;
    this.replied = true;
    this.conn.send(this.conn.compress(headers).then((block) => encodeSynReply(this.id, block)));
  }

  /** Aborts the stream (RST_STREAM CANCEL); both directions end. */
  reset(status: number = RstStatus.CANCEL): void {
    if (this.localClosed && this.remoteClosed) return;
    this.conn.send(encodeRstStream(this.id, status));
    this.onReset();
  }

  /** Bytes the peer lets this stream send (SPDY/3.1 flow control; may go negative before it engages). */
  sendWindow = DEFAULT_WINDOW;
  private blocked?: { chunk: Buffer; cb: (err?: Error | null) => void };

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.sendSome(chunk, cb);
  }

  private sendSome(chunk: Buffer, cb: (err?: Error | null) => void): void {
    if (this.localClosed) return cb();
    let rest = chunk;
    while (rest.length) {
      const allowed = this.conn.peerFlowControl ? Math.min(this.sendWindow, this.conn.sendWindow, MAX_DATA_FRAME) : MAX_DATA_FRAME;
      if (allowed <= 0) {
        // Wait for WINDOW_UPDATE (windowOpened resumes).
        this.blocked = { chunk: rest, cb };
        return;
      }
      const part = rest.subarray(0, allowed);
      rest = rest.subarray(part.length);
      this.sendWindow -= part.length;
      this.conn.sendWindow -= part.length;
      this.conn.send(encodeData(this.id, part, false));
    }
    this.conn.whenWritable(() => cb());
  }

  /** @internal The peer granted more window (to this stream or the connection). */
  windowOpened(): void {
    const b = this.blocked;
    if (!b) return;
    this.blocked = undefined;
    this.sendSome(b.chunk, b.cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.closeLocal();
    cb();
  }

  override _read(): void { /* data is pushed as frames arrive */ }

  /** @internal */ closeLocal(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.conn.send(encodeData(this.id, Buffer.alloc(0), true));
    this.maybeForget();
  }

  /** @internal */ onData(data: Buffer, fin: boolean): void {
    if (this.remoteClosed) return;
    if (data.length) {
      this.push(data);
      this.unacked += data.length;
      if (this.conn.peerFlowControl && this.unacked >= DEFAULT_WINDOW / 2) {
        this.conn.send(encodeWindowUpdate(this.id, this.unacked));
        this.unacked = 0;
      }
      this.conn.consumed(data.length);
    }
    if (fin) this.onRemoteFin();
  }

  /** @internal */ onRemoteFin(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
    this.maybeForget();
  }

  /** @internal */ onReply(headers: SpdyHeaders, fin: boolean): void {
    this.headers = headers;
    this.resolveReply();
    if (fin) this.onRemoteFin();
  }

  /** @internal */ onReset(): void {
    this.localClosed = true;
    if (!this.remoteClosed) {
      this.remoteClosed = true;
      this.push(null);
    }
    this.resolveReply();
    this.maybeForget();
    if (!this.writableFinished) this.destroy();
  }

  /** @internal */ markLocalClosed(): void {
    this.localClosed = true;
  }

  private maybeForget(): void {
    if (this.localClosed && this.remoteClosed) this.conn.forget(this.id);
  }
}
