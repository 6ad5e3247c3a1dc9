// httpGet probes and hooks (upstream pkg/probe/http): GET with kube-probe's User-Agent, 200–399 is
// success; redirects are followed only to the same host (up to 10), a redirect elsewhere ends the
// probe with a warning. TLS certificates are not verified, as upstream's prober.
import http from 'node:http';
import https from 'node:https';
import { goDuration, truncate, type ProbeResult } from './probe-result.js';

export const PROBE_USER_AGENT = 'kube-probe/1.33';
const MAX_REDIRECTS = 10;

export interface HttpProbeRequest {
  url: URL;
  headers?: { name: string; value: string }[];
  timeoutMs: number;
}

interface Response { status: number; location?: string; body: string }

function get(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'GET', headers, signal, agent: false, ...(url.protocol === 'https:' ? { rejectUnauthorized: false } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { if (body.length < 10 * 1024) body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function describeError(url: URL, e: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `Get "${url.href}": context deadline exceeded (Client.Timeout exceeded while awaiting headers after ${goDuration(timeoutMs)})`;
  const err = e as NodeJS.ErrnoException;
  const addr = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (err.code === 'ECONNREFUSED') return `Get "${url.href}": dial tcp ${addr}: connect: connection refused`;
  return `Get "${url.href}": ${err.message}`;
}

export async function probeHttp(req: HttpProbeRequest): Promise<ProbeResult> {
  const headers: Record<string, string> = {};
  for (const h of req.headers ?? []) headers[h.name.toLowerCase() === 'host' ? 'host' : h.name] = h.value;
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent')) headers['User-Agent'] = PROBE_USER_AGENT;
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'accept')) headers.Accept = '*/*';
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, req.timeoutMs);
  let url = req.url;
  try {
    for (let redirects = 0; ; redirects++) {
      let res: Response;
      try {
        res = await get(url, headers, controller.signal);
      } catch (e) {
        return { result: 'failure', output: describeError(url, e, timedOut, req.timeoutMs) };
      }
      if (res.status >= 300 && res.status < 400 && res.location) {
        const next = new URL(res.location, url);
        if (next.hostname === req.url.hostname) {
          if (redirects + 1 >= MAX_REDIRECTS) return { result: 'failure', output: `Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects` };
          url = next;
          continue;
        }
      }
      if (res.status >= 200 && res.status < 400) {
        if (res.status >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${truncate(res.body)}` };
        return { result: 'success', output: truncate(res.body) };
      }
      return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.status}` };
    }
  } finally {
    clearTimeout(timer);
  }
}
