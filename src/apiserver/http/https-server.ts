// The HTTPS transport: TLS with optional client certificates verified against the cluster CA,
// bounded request bodies (413 beyond 3 MiB), streaming responses that stop when the client goes.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { errors } from '../../api/index.js';
import { statusResponse } from './respond.js';
import { MAX_BODY_BYTES, type ApiRequest, type ApiResponse } from './types.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** CA bundle used to verify client certificates. */
  ca: string;
}

export type RequestHandler = (req: ApiRequest) => Promise<ApiResponse>;

export function createHttpsServer(tls: TlsMaterial, handle: RequestHandler): https.Server {
  const server = https.createServer({
    cert: tls.cert, key: tls.key, ca: tls.ca,
    requestCert: true, rejectUnauthorized: false,
    keepAliveTimeout: 65_000, headersTimeout: 70_000, requestTimeout: 0,
    noDelay: true,
  }, (req, res) => {
    void serve(req, res, handle);
  });
  // Upgraded connections (exec, attach, port-forward relays) leave the HTTP server's bookkeeping:
  // track them so that closing all connections ends them too.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    void serveUpgrade(req, socket, head, handle);
  });
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAll();
    for (const s of upgraded) s.destroy();
  };
  server.on('tlsClientError', () => { /* a client that fails the handshake is its own problem */ });
  // Requests the HTTP parser rejects (unknown methods, broken framing) still get a Status.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // HPE_PAUSED is not a malformed request: Node pauses a connection's parser once a pipelining
    // client's queued answers pass the TLS socket's 16 KiB high-water mark, and bytes already read
    // then fail it. An answer here would be taken, in order, as the answer to an earlier pipelined
    // request: close instead; the client fails or re-sends what was left unanswered.
    if (!socket.writable || err.code === 'HPE_PAUSED') {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(errors.badRequest(`malformed HTTP request: ${err.code ?? err.message}`).status);
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const h: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) h[k] = Array.isArray(v) ? v.join(', ') : v;
  return h;
}

/** A TLS connection's peer certificate never changes: read it once per socket, not per request. */
const certOfSocket = new WeakMap<TLSSocket, ApiRequest['clientCert'] | null>();

function clientCertOf(req: IncomingMessage): ApiRequest['clientCert'] {
  const socket = req.socket as TLSSocket;
  const known = certOfSocket.get(socket);
  if (known !== undefined) return known ?? undefined;
  const cert = readClientCert(socket);
  certOfSocket.set(socket, cert ?? null);
  return cert;
}

function readClientCert(socket: TLSSocket): ApiRequest['clientCert'] {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate?.();
  if (!cert || !cert.subject) return undefined;
  const cn = cert.subject.CN;
  const o = cert.subject.O;
  return { commonName: Array.isArray(cn) ? cn[0]! : cn ?? '', organizations: o === undefined ? [] : Array.isArray(o) ? o : [o] };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeHead(res: ServerResponse, r: ApiResponse): void {
  res.statusCode = r.status;
  for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
}

async function serve(req: IncomingMessage, res: ServerResponse, handle: RequestHandler): Promise<void> {
  const abort = new AbortController();
  // Only a response cut short is an abort; aborting after every finished response would build a
  // DOMException (with a stack trace) per request for nothing.
  res.on('close', () => { if (!res.writableFinished) abort.abort(); });
  try {
    let body: Buffer | undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const b = await readBody(req);
      if (b === 'too-large') {
        const r = statusResponse(errors.requestEntityTooLarge(MAX_BODY_BYTES).status);
        writeHead(res, r);
        res.setHeader('connection', 'close');
        res.end(r.body);
        return;
      }
      body = b;
    }
    const apiReq: ApiRequest = {
      method: req.method ?? 'GET', url: req.url ?? '/', headers: headersOf(req), body,
      clientCert: clientCertOf(req), signal: abort.signal,
    };
    const r = await handle(apiReq);
    writeHead(res, r);
    if (r.stream) {
      res.setHeader('transfer-encoding', 'chunked');
      res.flushHeaders();
      // Events published together (one group commit) leave in one socket write: the first write of
      // a tick corks the response, the end of the tick uncorks it.
      let corked = false;
      const uncork = () => {
        corked = false;
        res.uncork();
      };
      await r.stream((chunk) => {
        if (res.destroyed || res.writableEnded) return false;
        if (!corked) {
          corked = true;
          res.cork();
          process.nextTick(uncork);
        }
        res.write(chunk);
        return true;
      }, abort.signal);
      if (!res.writableEnded) res.end();
      return;
    }
    res.end(req.method === 'HEAD' ? undefined : r.body);
  } catch (e) {
    if (!res.headersSent) {
      const r = statusResponse(errors.internal((e as Error).message).status);
      writeHead(res, r);
      res.end(r.body);
    } else {
      res.destroy();
    }
  }
}

/**
 * A request asking for a protocol upgrade (exec, attach, port-forward streams): the same pipeline
 * as any request; a response with `upgrade` takes the socket, any other is written on it as a
 * plain HTTP response and the connection closes.
 */
async function serveUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, handle: RequestHandler): Promise<void> {
  socket.on('error', () => undefined);
  const abort = new AbortController();
  socket.once('close', () => abort.abort());
  let r: ApiResponse;
  try {
    r = await handle({
      method: req.method ?? 'GET', url: req.url ?? '/', headers: headersOf(req), clientCert: clientCertOf(req), signal: abort.signal,
    });
  } catch (e) {
    r = statusResponse(errors.internal((e as Error).message).status);
  }
  if (r.upgrade) {
    r.upgrade(socket, head);
    return;
  }
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body ?? Buffer.alloc(0);
  const lines = [`HTTP/1.1 ${r.status} ${STATUS_TEXT[r.status] ?? 'Error'}`];
  for (const [k, v] of Object.entries(r.headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
  lines.push(`content-length: ${body.length}`, 'connection: close');
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};
