// HTTPS transport on undici: a keep-alive connection pool per transport for ordinary requests
// and an unbounded one for watches, TLS client certificates or a bearer token, the server
// verified against the configured CA.
//
// undici rather than node:https: on the same requests it costs the client a third to two fifths
// less CPU per request (47 → 31 µs with 64 connections, 88 → 54 µs with 256), and it can
// pipeline requests, so a role keeping hundreds in flight needs only tens of connections.
import tls from 'node:tls';
import { Pool, type Dispatcher } from 'undici';
import { lineSplitter, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

export interface HttpsConfig {
  /** Base URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** PEM CA bundle the server's certificate must chain to (default: Node's trusted roots). */
  ca?: string | Buffer;
  /** PEM client certificate and key (mutual TLS). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Bearer token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Skip server certificate verification (kubeconfig `insecure-skip-tls-verify`). */
  insecureSkipTLSVerify?: boolean;
  /** Upper bound of concurrent connections to the server (default 64). Watches use their own. */
  maxSockets?: number;
  /**
   * Requests sent on one connection before its first answer arrives (HTTP/1.1 pipelining; default
   * 1, none). Above 1 every request, POSTs included, may be pipelined and, if its connection is
   * lost while an earlier request on it waits for its answer, is sent again on a new connection:
   * only for callers whose writes tolerate that (a repeated binding or create is refused with 409
   * and changes nothing).
   */
  pipelining?: number;
  /** Per-request timeout for non-streaming requests, in ms (default 60 s): time to the answer's headers, and between its body's chunks. */
  timeoutMs?: number;
  /** Sent as `User-Agent`. */
  userAgent?: string;
}

export function httpsTransport(config: HttpsConfig): Transport {
  const base = new URL(config.server);
  const basePath = base.pathname.replace(/\/$/, '');
  // One TLS context for every connection (built per connection it would parse the PEMs each time).
  const connect = {
    secureContext: tls.createSecureContext({ ca: config.ca, cert: config.cert, key: config.key }),
    rejectUnauthorized: !config.insecureSkipTLSVerify,
  };
  const timeout = config.timeoutMs ?? 60_000;
  const pipelining = config.pipelining ?? 1;
  // undici pipelines only requests marked idempotent and not blocking (by default every request
  // but HEAD blocks its connection until its answer's headers arrive).
  const pipelined = pipelining > 1 ? { idempotent: true, blocking: false } : {};
  const pool = new Pool(base.origin, { connections: config.maxSockets ?? 64, pipelining, connect, headersTimeout: timeout, bodyTimeout: timeout });
  // Watches are long-lived: a separate unbounded pool, one watch per connection, so they never
  // starve ordinary requests; no timeouts (a quiet watch is not a stuck one).
  const watchPool = new Pool(base.origin, { connections: null, pipelining: 1, connect, headersTimeout: 0, bodyTimeout: 0 });

  function options(req: TransportRequest): Dispatcher.RequestOptions {
    const headers: Record<string, string> = { accept: 'application/json', ...lowerCase(req.headers) };
    if (config.token) headers['authorization'] = `Bearer ${config.token}`;
    if (config.userAgent) headers['user-agent'] = config.userAgent;
    if (req.body !== undefined) headers['content-type'] ??= 'application/json';
    // reset: false keeps the connection after a DELETE with a body (DeleteOptions): undici closes
    // it after any request whose method does not expect a payload but carried one.
    return { path: basePath + req.path, method: req.method as Dispatcher.HttpMethod, headers, body: req.body, reset: req.method === 'HEAD' ? undefined : false };
  }

  return {
    async request(req): Promise<TransportResponse> {
      try {
        const res = await pool.request({ ...options(req), ...pipelined });
        const body = await res.body.text();
        return { status: res.statusCode, headers: res.headers, body };
      } catch (e) {
        throw transportError(e, req);
      }
    },

    async watch(req, onLine, signal) {
      if (signal.aborted) return { status: 0 };
      let res: Dispatcher.ResponseData;
      try {
        res = await watchPool.request({ ...options(req), signal });
      } catch (e) {
        if (signal.aborted) return { status: 0 };
        throw transportError(e, req);
      }
      const status = res.statusCode;
      const stream = res.body;
      return new Promise((resolve, reject) => {
        const fail = (e: unknown) => (signal.aborted ? resolve({ status }) : reject(transportError(e, req)));
        stream.setEncoding('utf8');
        stream.on('error', fail);
        if (status < 200 || status > 299) {
          let body = '';
          stream.on('data', (c: string) => (body += c));
          stream.on('end', () => resolve({ status, body }));
          return;
        }
        const lines = lineSplitter();
        stream.on('data', (c: string) => {
          for (const l of lines.push(c)) if (!signal.aborted) onLine(l);
        });
        stream.on('end', () => {
          if (!signal.aborted) for (const l of lines.flush()) onLine(l);
          resolve({ status });
        });
      });
    },

    close() {
      void pool.destroy().catch(() => undefined);
      void watchPool.destroy().catch(() => undefined);
    },
  };
}

/** undici's errors name neither the request nor, for a lost connection, what happened: say both. */
function transportError(e: unknown, req: TransportRequest): Error {
  const err = e as Error & { code?: string };
  const what = `${req.method} ${req.path}`;
  switch (err?.code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new Error(`request timed out: ${what}`, { cause: err });
    case 'UND_ERR_SOCKET':
      return new Error(`connection closed mid-response: ${what} (${err.message})`, { cause: err });
    default:
      return err instanceof Error ? err : new Error(String(e));
  }
}

function lowerCase(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}
