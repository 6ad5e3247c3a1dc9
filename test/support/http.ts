// A minimal HTTPS client that authenticates with a kubeconfig's client certificate.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

export interface Credentials { server: string; ca: string; cert: string; key: string }

export function credentialsFrom(kubeconfigPath: string): Credentials {
  const kc = YAML.parse(readFileSync(kubeconfigPath, 'utf8'));
  const b = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return {
    server: kc.clusters[0].cluster.server,
    ca: b(kc.clusters[0].cluster['certificate-authority-data']),
    cert: b(kc.users[0].user['client-certificate-data']),
    key: b(kc.users[0].user['client-key-data']),
  };
}

export interface HttpResult { status: number; headers: Record<string, string | string[] | undefined>; body: string; json(): any }

export class ApiClient {
  readonly agent: https.Agent;
  constructor(readonly creds: Credentials, opts: { maxSockets?: number; anonymous?: boolean } = {}) {
    this.agent = new https.Agent({
      keepAlive: true, maxSockets: opts.maxSockets ?? 64, ca: creds.ca,
      ...(opts.anonymous ? {} : { cert: creds.cert, key: creds.key }),
    });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const url = new URL(path, this.creds.server);
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(url, {
        method, agent: this.agent,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          accept: 'application/json', ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.end(payload);
      else req.end();
    });
  }

  /** Opens a watch and calls `onEvent` per line until `stop()`. */
  watch(path: string, onEvent: (e: { type: string; object: any }) => void): { stop(): void; done: Promise<void> } {
    const url = new URL(path, this.creds.server);
    let req: ReturnType<typeof https.request>;
    const done = new Promise<void>((resolve, reject) => {
      req = https.request(url, { method: 'GET', agent: false, ca: this.creds.ca, cert: this.creds.cert, key: this.creds.key }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          buf += d;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim()) onEvent(JSON.parse(line));
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
      req.end();
    });
    return { stop: () => req.destroy(), done };
  }

  close(): void {
    this.agent.destroy();
  }
}
