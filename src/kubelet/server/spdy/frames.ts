// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 as amended by 3.1): the 8-byte frame header,
// control frame bodies, and an incremental parser. Header blocks stay compressed here; the
// connection runs them through its codec in arrival order. Pure, no I/O.

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1, SYN_REPLY: 2, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, HEADERS: 8, WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1, INVALID_STREAM: 2, REFUSED_STREAM: 3, UNSUPPORTED_VERSION: 4, CANCEL: 5, INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7, STREAM_IN_USE: 8, STREAM_ALREADY_CLOSED: 9,
} as const;

/** SETTINGS ids used here. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number };

export const MAX_FRAME_LENGTH = 0xffffff;

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(body.length, 4);
  h[4] = flags;
  return Buffer.concat([h, body]);
}

export function encodeData(streamId: number, data: Buffer, fin: boolean): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(data.length, 4);
  h[4] = fin ? FLAG_FIN : 0;
  return Buffer.concat([h, data]);
}

export function encodeSynStream(streamId: number, headerBlock: Buffer, flags = 0, associatedId = 0, priority = 0): Buffer {
  const b = Buffer.alloc(10);
  b.writeUInt32BE(streamId & 0x7fffffff, 0);
  b.writeUInt32BE(associatedId & 0x7fffffff, 4);
  b[8] = (priority & 0x7) << 5;
  return controlFrame(FrameType.SYN_STREAM, flags, Buffer.concat([b, headerBlock]));
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, flags = 0): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(streamId & 0x7fffffff, 0);
  return controlFrame(FrameType.SYN_REPLY, flags, Buffer.concat([b, headerBlock]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(streamId & 0x7fffffff, 0);
  b.writeUInt32BE(status, 4);
  return controlFrame(FrameType.RST_STREAM, 0, b);
}

export function encodeSettings(entries: { id: number; value: number; flags?: number }[]): Buffer {
  const b = Buffer.alloc(4 + entries.length * 8);
  b.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    b.writeUInt32BE(e.id & 0xffffff, 4 + i * 8);
    b[4 + i * 8] = e.flags ?? 0;
    b.writeUInt32BE(e.value, 8 + i * 8);
  });
  return controlFrame(FrameType.SETTINGS, 0, b);
}

export function encodePing(id: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(id >>> 0, 0);
  return controlFrame(FrameType.PING, 0, b);
}

export function encodeGoAway(lastGoodStreamId: number, status = 0): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  b.writeUInt32BE(status, 4);
  return controlFrame(FrameType.GOAWAY, 0, b);
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(streamId & 0x7fffffff, 0);
  b.writeUInt32BE(delta & 0x7fffffff, 4);
  return controlFrame(FrameType.WINDOW_UPDATE, 0, b);
}

export class SpdyProtocolError extends Error {}

function decodeControl(type: number, flags: number, body: Buffer): Frame {
  const need = (n: number) => {
    if (body.length < n) throw new SpdyProtocolError(`SPDY control frame ${type} too short`);
  };
  switch (type) {
    case FrameType.SYN_STREAM:
      need(10);
      return { type: 'syn_stream', streamId: body.readUInt32BE(0) & 0x7fffffff, associatedId: body.readUInt32BE(4) & 0x7fffffff, priority: body[8]! >> 5, flags, headerBlock: body.subarray(10) };
    case FrameType.SYN_REPLY:
      need(4);
      return { type: 'syn_reply', streamId: body.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: body.subarray(4) };
    case FrameType.HEADERS:
      need(4);
      return { type: 'headers', streamId: body.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: body.subarray(4) };
    case FrameType.RST_STREAM:
      need(8);
      return { type: 'rst_stream', streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      need(4);
      const n = body.readUInt32BE(0);
      need(4 + n * 8);
      const entries = [];
      for (let i = 0; i < n; i++) entries.push({ flags: body[4 + i * 8]!, id: body.readUInt32BE(4 + i * 8) & 0xffffff, value: body.readUInt32BE(8 + i * 8) });
      return { type: 'settings', flags, entries };
    }
    case FrameType.PING:
      need(4);
      return { type: 'ping', id: body.readUInt32BE(0) };
    case FrameType.GOAWAY:
      need(4);
      return { type: 'goaway', lastGoodStreamId: body.readUInt32BE(0) & 0x7fffffff, status: body.length >= 8 ? body.readUInt32BE(4) : 0 };
    case FrameType.WINDOW_UPDATE:
      need(8);
      return { type: 'window_update', streamId: body.readUInt32BE(0) & 0x7fffffff, delta: body.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', frameType: type };
  }
}

/** Accumulates bytes and yields whole frames. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const flags = this.buf[4]!;
      const body = this.buf.subarray(8, 8 + len);
      if (this.buf[0]! & 0x80) {
        const version = this.buf.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push(decodeControl(this.buf.readUInt16BE(2), flags, Buffer.from(body)));
      } else {
        frames.push({ type: 'data', streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: Buffer.from(body) });
      }
      this.buf = this.buf.subarray(8 + len);
    }
    return frames;
  }
}
