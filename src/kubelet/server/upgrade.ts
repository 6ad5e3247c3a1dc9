// HTTP upgrade plumbing shared by the streaming endpoints: SPDY/3.1 protocol negotiation through
// `X-Stream-Protocol-Version` (upstream httpstream.Handshake: the client's order wins; no header
// means the legacy protocol), the 101 answer written on the raw socket, and plain HTTP errors on
// a socket that will not be upgraded.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export const HEADER_PROTOCOL_VERSION = 'x-stream-protocol-version';
export const HEADER_ACCEPTED_PROTOCOL_VERSIONS = 'X-Accepted-Stream-Protocol-Versions';

export function clientStreamProtocols(req: IncomingMessage): string[] {
  const raw = req.headersDistinct?.[HEADER_PROTOCOL_VERSION] ?? [];
  return raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export type Negotiation = { protocol: string } | { error: string };

/** Pure: upstream's negotiation; `legacy` is what a client that offers nothing gets. */
export function negotiateStreamProtocol(client: string[], server: string[], legacy: string): Negotiation {
  if (!client.length) return { protocol: legacy };
  for (const c of client) if (server.includes(c)) return { protocol: c };
  return { error: `unable to upgrade: unable to negotiate protocol: client supports [${client.join(' ')}], server accepts [${server.join(' ')}]` };
}

export function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const u = (req.headers.upgrade ?? '').toLowerCase();
  if (u === 'websocket') return 'websocket';
  if (u.startsWith('spdy/3.1')) return 'spdy';
  return undefined;
}

/** Completes a SPDY upgrade on the raw socket. */
export function acceptSpdyUpgrade(socket: Duplex, protocol: string): void {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1'];
  if (protocol) lines.push(`X-Stream-Protocol-Version: ${protocol}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Answers a request that arrived as an upgrade with a plain HTTP response and closes. */
export function respondOnSocket(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const h = { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...headers };
  const head = [`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`, ...Object.entries(h).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`);
}
