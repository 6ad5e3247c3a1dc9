// The API server's side of pod streams (upstream LocationStreamer and UpgradeAwareHandler):
// `pods/log` is a GET to the kubelet whose body is streamed back; `pods/exec|attach|portforward`
// are upgrades relayed byte for byte — the client's request goes to the kubelet with the path
// rewritten, and whatever the kubelet answers (101 and the protocol after it, or an error)
// flows back unchanged. The API server authenticates to kubelets with its kubelet-client
// certificate from the cluster CA.
import https from 'node:https';
import tls from 'node:tls';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { errors, StatusError, type Status, type StatusReason } from '../../api/index.js';
import type { ApiRequest, ApiResponse } from '../http/types.js';
import type { KubeletLocation } from './kubelet-location.js';

/** How long reaching a kubelet may take (upstream's dialer uses 30 s). */
const DIAL_TIMEOUT_MS = 30_000;

export interface KubeletClientConfig {
  certPem: string;
  keyPem: string;
  /** CA of the kubelets' serving certificates; without it they are not verified (upstream's default). */
  caPem?: string;
}

function tlsOptions(cfg: KubeletClientConfig, host: string): tls.ConnectionOptions {
  return {
    cert: cfg.certPem, key: cfg.keyPem, ca: cfg.caPem, rejectUnauthorized: !!cfg.caPem,
    ...(isIP(host) ? {} : { servername: host }),
  };
}

const REASON_BY_CODE: Record<number, StatusReason> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 503: 'ServiceUnavailable', 504: 'Timeout' };

/** Upstream GenericHttpResponseChecker: a kubelet error body becomes a Status of its code. */
export function kubeletErrorStatus(code: number, body: string): StatusError {
  const text = body.trim();
  if (code === 400) return errors.badRequest(text);
  if (code === 500) return errors.internal(text);
  const status: Status = {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code,
    reason: REASON_BY_CODE[code] ?? 'InternalError', message: text || `the server responded with the status code ${code}`,
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: text }] },
  };
  return new StatusError(status);
}

/** GET `pods/log`: the kubelet's log stream as a streaming response (text/plain). */
export function proxyLog(cfg: KubeletClientConfig, loc: KubeletLocation, signal: AbortSignal): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: loc.host, port: loc.port, path: loc.path, method: 'GET', ...tlsOptions(cfg, loc.host), agent: false, signal }, (res) => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(kubeletErrorStatus(res.statusCode ?? 500, Buffer.concat(chunks).toString())));
        res.on('error', (e) => reject(errors.internal(e.message)));
        return;
      }
      resolve({
        status: 200,
        headers: { 'content-type': 'text/plain' },
        stream: (write, streamSignal) => new Promise<void>((done) => {
          const stop = () => {
            res.destroy();
            done();
          };
          streamSignal.addEventListener('abort', stop, { once: true });
          // Streaming bodies are text here; a decoder keeps multi-byte characters whole across chunks.
          const text = new StringDecoder('utf8');
          res.on('data', (c: Buffer) => { if (!write(text.write(c))) stop(); });
          res.on('end', () => {
            const rest = text.end();
            if (rest) write(rest);
            done();
          });
          res.on('error', () => done());
          res.on('close', () => done());
        }),
      });
    });
    // A node that does not answer (gone, or a simulated one) must not hold the request forever.
    const dial = setTimeout(() => req.destroy(new Error(`dial tcp ${loc.host}:${loc.port}: i/o timeout`)), DIAL_TIMEOUT_MS);
    req.once('response', () => clearTimeout(dial));
    req.on('error', (e) => {
      clearTimeout(dial);
      reject(errors.internal(`Get "https://${loc.host}:${loc.port}${loc.path.split('?')[0]}": ${e.message}`));
    });
    req.end();
  });
}

/** Hop-by-hop and credential headers that do not go to the kubelet. */
const DROPPED = new Set(['host', 'authorization', 'proxy-authorization', 'impersonate-user', 'impersonate-group']);

/** Upgrades: the response's `upgrade` relays the client's socket to the kubelet. */
export function upgradeProxyResponse(cfg: KubeletClientConfig, loc: KubeletLocation, req: ApiRequest): ApiResponse {
  return {
    status: 101,
    headers: {},
    upgrade: (client, head) => relay(cfg, loc, req, client, head),
  };
}

function relay(cfg: KubeletClientConfig, loc: KubeletLocation, req: ApiRequest, client: Duplex, head: Buffer): void {
  client.on('error', () => undefined);
  const backend = tls.connect({ host: loc.host, port: loc.port, ...tlsOptions(cfg, loc.host) });
  // Interactive traffic: small frames must not wait for Nagle's algorithm.
  backend.setNoDelay(true);
  let connected = false;
  const dial = setTimeout(() => backend.destroy(new Error(`dial tcp ${loc.host}:${loc.port}: i/o timeout`)), DIAL_TIMEOUT_MS);
  backend.on('error', (e) => {
    clearTimeout(dial);
    if (connected) {
      client.destroy();
      return;
    }
    const status = errors.internal(`error dialing backend: ${e.message}`).status;
    const body = JSON.stringify(status);
    client.end(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  backend.once('secureConnect', () => {
    clearTimeout(dial);
    connected = true;
    const lines = [`${req.method} ${loc.path} HTTP/1.1`, `Host: ${isIP(loc.host) === 6 ? `[${loc.host}]` : loc.host}:${loc.port}`];
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || DROPPED.has(k)) continue;
      // Repeated headers were joined with ", " by the transport; the kubelet splits them again.
      lines.push(`${k}: ${v}`);
    }
    backend.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) backend.write(head);
    backend.pipe(client);
    client.pipe(backend);
    backend.on('close', () => client.destroy());
  });
  client.once('close', () => {
    clearTimeout(dial);
    backend.destroy();
  });
}
