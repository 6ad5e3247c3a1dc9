// The in-process transport: hands requests to the API server's own handler (the same pipeline
// as HTTPS: authentication, admission, validation, serialisation). The handler's shape is
// declared here structurally so the client never imports the API server; the wiring binds
// `ApiServer.loopback` to it.
import { lineSplitter, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

export interface LoopbackRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body?: Buffer;
  signal: AbortSignal;
}

export interface LoopbackResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
  /** A streaming body: calls `write` per chunk until it resolves. */
  stream?: (write: (chunk: string) => boolean, signal: AbortSignal) => Promise<void>;
}

export type LoopbackHandler = (req: LoopbackRequest) => Promise<LoopbackResponse>;

function toLoopback(req: TransportRequest, signal: AbortSignal): LoopbackRequest {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  if (body && !headers['content-type']) headers['content-type'] = 'application/json';
  if (body) headers['content-length'] = String(body.length);
  return { method: req.method, url: req.path, headers, body, signal };
}

function bodyText(body: string | Buffer | undefined): string {
  return body === undefined ? '' : typeof body === 'string' ? body : body.toString('utf8');
}

/** A transport over an in-process handler, e.g. `loopbackTransport(api.loopback.bind(api))`. */
export function loopbackTransport(handle: LoopbackHandler): Transport {
  return {
    async request(req): Promise<TransportResponse> {
      const controller = new AbortController();
      const res = await handle(toLoopback(req, controller.signal));
      let body = bodyText(res.body);
      if (res.stream) {
        // A non-watch request answered with a stream: collect it whole.
        await res.stream((chunk) => { body += chunk; return true; }, controller.signal);
      }
      return { status: res.status, headers: res.headers, body };
    },

    async watch(req, onLine, signal) {
      const res = await handle(toLoopback(req, signal));
      if (res.status < 200 || res.status > 299 || !res.stream) {
        if (res.status >= 200 && res.status <= 299) for (const l of lineSplitter().push(`${bodyText(res.body)}\n`)) onLine(l);
        return res.status >= 200 && res.status <= 299 ? { status: res.status } : { status: res.status, body: bodyText(res.body) };
      }
      const lines = lineSplitter();
      await res.stream((chunk) => {
        if (signal.aborted) return false;
        for (const l of lines.push(chunk)) {
          if (signal.aborted) return false;
          onLine(l);
        }
        return !signal.aborted;
      }, signal);
      if (!signal.aborted) for (const l of lines.flush()) onLine(l);
      return { status: res.status };
    },
  };
}
