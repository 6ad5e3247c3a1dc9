// The WebSocket channel protocols of `kubectl exec/attach` (apimachinery wsstream, KEP-4006):
// every message starts with a channel number — 0 stdin, 1 stdout, 2 stderr, 3 error (status),
// 4 resize — followed by the data; the base64 variants send text messages whose first character
// is the channel digit and whose rest is base64. v5 adds a close signal: [255, channel] ends
// that channel (the client closing stdin). Pure encoding here; the session adapter is below.
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ClientSide } from './session-wiring.js';
import { encodeExitStatus, type SessionOutcome } from './status.js';

/** What the kubelet speaks, most preferred first. */
export const WS_REMOTECOMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'channel.k8s.io', 'base64.channel.k8s.io'];

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;
export const CLOSE_SIGNAL = 255;

export const isBase64Protocol = (p: string) => p.includes('base64.');

export function encodeChannelMessage(protocol: string, channel: number, data: Buffer): { data: Buffer | string; binary: boolean } {
  if (isBase64Protocol(protocol)) return { data: String.fromCharCode(0x30 + channel) + data.toString('base64'), binary: false };
  return { data: Buffer.concat([Buffer.from([channel]), data]), binary: true };
}

export type ChannelMessage = { channel: number; data: Buffer } | { close: number };

export function decodeChannelMessage(protocol: string, raw: Buffer, binary: boolean): ChannelMessage | undefined {
  if (!raw.length) return undefined;
  if (!binary || isBase64Protocol(protocol)) {
    const text = raw.toString('latin1');
    const channel = text.charCodeAt(0) - 0x30;
    if (channel < 0 || channel > 9) return undefined;
    return { channel, data: Buffer.from(text.slice(1), 'base64') };
  }
  if (raw[0] === CLOSE_SIGNAL && protocol.startsWith('v5.')) return raw.length >= 2 ? { close: raw[1]! } : undefined;
  return { channel: raw[0]!, data: raw.subarray(1) };
}

/** Picks the protocol for a client's offer (client order wins); empty offer means `channel.k8s.io`. */
export function selectWsProtocol(offered: Set<string>): string | false {
  if (!offered.size) return 'channel.k8s.io';
  for (const p of offered) if (WS_REMOTECOMMAND_PROTOCOLS.includes(p)) return p;
  return false;
}

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The client side of a session over an accepted WebSocket. */
export function wsClientSide(ws: WebSocket, protocol: string, flags: StreamFlags): ClientSide {
  const send = (channel: number, data: Buffer, sent?: () => void) => {
    if (ws.readyState !== ws.OPEN) return sent?.();
    const m = encodeChannelMessage(protocol, channel, data);
    ws.send(m.data, { binary: m.binary }, () => sent?.());
  };
  // A write completes once the socket took the message: back-pressure reaches the process.
  const writer = (channel: number) => new Writable({
    write(chunk: Buffer, _e, cb) {
      send(channel, chunk, () => cb());
    },
  });
  const stdin = flags.stdin ? new PassThrough() : undefined;
  let resize: ((w: number, h: number) => void) | undefined;
  // kubectl sends the first size as soon as it connects, before the runtime's session (and so the
  // listener) exists: keep the latest size for the listener, as SPDY's resize stream buffers it.
  let pendingSize: { width: number; height: number } | undefined;
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const m = decodeChannelMessage(protocol, Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer), isBinary);
    if (!m) return;
    if ('close' in m) {
      if (m.close === Channel.stdin) stdin?.end();
      return;
    }
    if (m.channel === Channel.stdin) stdin?.write(m.data);
    else if (m.channel === Channel.resize) {
      try {
        const v = JSON.parse(m.data.toString()) as { Width?: number; Height?: number };
        if (typeof v.Width === 'number' && typeof v.Height === 'number') {
          if (resize) resize(v.Width, v.Height);
          else pendingSize = { width: v.Width, height: v.Height };
        }
      } catch {
        // ignore a malformed size
      }
    }
  });
  let finished = false;
  const gone = new Promise<void>((resolve) => ws.once('close', () => {
    stdin?.end();
    if (!finished) resolve();
  }));
  // Tell the client the streams are ready: an empty message on the lowest writable channel.
  send(flags.stdout ? Channel.stdout : flags.stderr && !flags.tty ? Channel.stderr : Channel.error, Buffer.alloc(0));
  return {
    stdin,
    stdout: flags.stdout ? writer(Channel.stdout) : undefined,
    stderr: flags.stderr && !flags.tty ? writer(Channel.stderr) : undefined,
    onResize: (l) => {
      resize = l;
      if (pendingSize) l(pendingSize.width, pendingSize.height);
      pendingSize = undefined;
    },
    finish(outcome: SessionOutcome) {
      finished = true;
      const status = encodeExitStatus(outcome, protocol);
      if (status) send(Channel.error, status);
      ws.close(1000);
    },
    gone,
  };
}
