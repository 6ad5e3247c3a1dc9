// HTTPS transport: one keep-alive agent per transport, TLS client certificates or a bearer
// token, the server verified against the configured CA.
import https from 'node:https';
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
  /** Per-request timeout for non-streaming requests, in ms (default 60 s). */
  timeoutMs?: number;
  /** Sent as `User-Agent`. */
  userAgent?: string;
}

export function httpsTransport(config: HttpsConfig): Transport {
  const base = new URL(config.server);
  const tls = {
    ca: config.ca, cert: config.cert, key: config.key,
    rejectUnauthorized: !config.insecureSkipTLSVerify,
  };
  const agent = new https.Agent({ keepAlive: true, maxSockets: config.maxSockets ?? 64, ...tls });
  // Watches are long-lived: a separate unbounded pool so they never starve ordinary requests.
  const watchAgent = new https.Agent({ keepAlive: true, ...tls });
  const basePath = base.pathname.replace(/\/$/, '');

  function open(req: TransportRequest, useAgent: https.Agent, signal?: AbortSignal) {
    const headers: Record<string, string> = { accept: 'application/json', ...lowerCase(req.headers) };
    if (config.token) headers['authorization'] = `Bearer ${config.token}`;
    if (config.userAgent) headers['user-agent'] = config.userAgent;
    if (req.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(req.body));
    }
    const r = https.request({
      protocol: base.protocol, hostname: base.hostname, port: base.port || 443,
      path: basePath + req.path, method: req.method, headers, agent: useAgent, signal,
    });
    return r;
  }

  return {
    request(req): Promise<TransportResponse> {
      return new Promise((resolve, reject) => {
        const r = open(req, agent);
        r.setTimeout(config.timeoutMs ?? 60_000, () => r.destroy(new Error(`request timed out: ${req.method} ${req.path}`)));
        r.on('error', reject);
        r.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          // A connection lost mid-body may end with 'close' alone; settle either way.
          res.on('close', () => { if (!res.complete) reject(new Error(`connection closed mid-response: ${req.method} ${req.path}`)); });
        });
        r.end(req.body);
      });
    },

    watch(req, onLine, signal) {
      return new Promise((resolve, reject) => {
        if (signal.aborted) return resolve({ status: 0 });
        const r = open(req, watchAgent, signal);
        let status = 0;
        r.on('error', (e) => (signal.aborted ? resolve({ status }) : reject(e)));
        r.on('response', (res) => {
          status = res.statusCode ?? 0;
          res.setEncoding('utf8');
          if (status < 200 || status > 299) {
            let body = '';
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status, body }));
            return;
          }
          const lines = lineSplitter();
          res.on('data', (c: string) => {
            for (const l of lines.push(c)) if (!signal.aborted) onLine(l);
          });
          res.on('end', () => {
            if (!signal.aborted) for (const l of lines.flush()) onLine(l);
            resolve({ status });
          });
          res.on('aborted', () => (signal.aborted ? resolve({ status }) : reject(new Error('watch stream closed by the server mid-response'))));
          res.on('error', (e) => (signal.aborted ? resolve({ status }) : reject(e)));
          res.on('close', () => (res.complete || signal.aborted ? resolve({ status }) : reject(new Error('watch stream closed by the server mid-response'))));
        });
        r.end(req.body);
      });
    },

    close() {
      agent.destroy();
      watchAgent.destroy();
    },
  };
}

function lowerCase(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}
