// The kubelet's HTTPS server (upstream pkg/kubelet/server): health, the node's pods, container
// logs, and the streaming endpoints exec, attach and portForward, plus pluggable handlers
// (`/stats/summary`, `/metrics/resource`) filled by other parts of the kubelet.
//
// Authentication is by client certificate against the cluster CA; only the API server's
// kubelet-client identity and system:masters are authorized (upstream delegates this to a
// SubjectAccessReview; the API server is the only caller that matters). /healthz is open.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import { LogOptionsError, parseLogOptions, readLogs } from '../logs/index.js';
import type { StreamSession } from '../../runtime/index.js';
import type { StreamingBackend } from './backend.js';
import { PORT_FORWARD_PROTOCOL, PORT_FORWARD_WS_TUNNEL_PROTOCOL, portForwardStreamHandler } from './port-forward.js';
import { runSession, sessionErrorText, type ClientSide } from './remotecommand/session-wiring.js';
import { SPDY_REMOTECOMMAND_PROTOCOLS, spdyClientSide, spdyStreamCollector } from './remotecommand/spdy-streams.js';
import { selectWsProtocol, wsClientSide, WS_REMOTECOMMAND_PROTOCOLS, type StreamFlags } from './remotecommand/ws-channels.js';
import { SpdyConnection } from './spdy/connection.js';
import {
  acceptSpdyUpgrade, clientStreamProtocols, HEADER_ACCEPTED_PROTOCOL_VERSIONS, negotiateStreamProtocol, respondOnSocket, upgradeKind,
} from './upgrade.js';

/** The API server's client certificate CN (upstream kube-apiserver-kubelet-client). */
export const KUBELET_CLIENT_COMMON_NAME = 'kube-apiserver-kubelet-client';

export interface ClientIdentity {
  commonName: string;
  organizations: string[];
}

/** A handler for an extra path; it owns the response. */
export type PluggableHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface KubeletServerOptions {
  /** Serving certificate and key, and the CA client certificates must chain to (PEM). */
  tls: { certPem: string; keyPem: string; caPem: string };
  backend: StreamingBackend;
  /** Extra GET paths, e.g. `/stats/summary`, `/metrics/resource`. */
  handlers?: Record<string, PluggableHandler>;
  /** Who may call; default the kubelet-client CN or the system:masters group. */
  authorize?: (id: ClientIdentity) => boolean;
  now?: () => number;
}

/** A token standing in for the tunnel subprotocol during the WebSocket handshake. */
const TUNNEL_TOKEN = 'capstan-spdy-portforward-tunnel';

const defaultAuthorize = (id: ClientIdentity) => id.commonName === KUBELET_CLIENT_COMMON_NAME || id.organizations.includes('system:masters');

type Route =
  | { kind: 'healthz' | 'pods' }
  | { kind: 'containerLogs'; namespace: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string }
  | { kind: 'handler'; handler: PluggableHandler }
  | { kind: 'none' };

/** Pure: the route of a path. exec/attach/portForward also accept the `{uid}` form upstream serves. */
export function routeOf(path: string, handlers: Record<string, PluggableHandler> = {}): Route {
  if (path === '/healthz') return { kind: 'healthz' };
  if (path === '/pods' || path === '/pods/') return { kind: 'pods' };
  if (handlers[path]) return { kind: 'handler', handler: handlers[path]! };
  const seg = path.split('/').slice(1).map(decodeURIComponent);
  const [head, ns, pod] = seg;
  if (head === 'containerLogs' && seg.length === 4) return { kind: 'containerLogs', namespace: ns!, pod: pod!, container: seg[3]! };
  if ((head === 'exec' || head === 'attach') && (seg.length === 4 || seg.length === 5)) return { kind: head, namespace: ns!, pod: pod!, container: seg[seg.length - 1]! };
  if (head === 'portForward' && (seg.length === 3 || seg.length === 4)) return { kind: 'portForward', namespace: ns!, pod: pod! };
  return { kind: 'none' };
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === '1' || v === 'true';
}

/** Upstream remotecommand NewOptions: a TTY has no separate stderr; at least one stream. */
export function streamFlagsOf(q: URLSearchParams, kind: 'exec' | 'attach'): StreamFlags | string {
  const tty = flag(q, 'tty');
  const f: StreamFlags = { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') && !tty, tty };
  if (!f.stdin && !f.stdout && !f.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  if (kind === 'exec' && !q.getAll('command').length) return 'you must specify a command';
  return f;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class KubeletServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered: Set<string>) => {
      if (offered.has(TUNNEL_TOKEN)) return PORT_FORWARD_WS_TUNNEL_PROTOCOL;
      return selectWsProtocol(offered);
    },
  });

  /** Upgraded sockets (SPDY sessions), which the HTTP server no longer tracks. */
  private readonly upgraded = new Set<Duplex>();

  private constructor(private readonly o: KubeletServerOptions, private readonly server: https.Server) {}

  /** Starts listening; `port` 0 picks a free one. */
  static async listen(o: KubeletServerOptions, port: number, host: string): Promise<KubeletServer> {
    const server = https.createServer({ cert: o.tls.certPem, key: o.tls.keyPem, ca: o.tls.caPem, requestCert: true, rejectUnauthorized: false, noDelay: true });
    const ks = new KubeletServer(o, server);
    server.on('request', (req, res) => void ks.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => void ks.onUpgrade(req, socket, head));
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    });
    return ks;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops open connections (streams end). */
  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    for (const s of this.upgraded) s.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** 401/403 text, or undefined when the caller may proceed. */
  private denied(req: IncomingMessage, path: string): HttpError | undefined {
    if (path === '/healthz') return undefined;
    const socket = req.socket as TLSSocket;
    const cert = socket.authorized ? socket.getPeerCertificate() : undefined;
    if (!cert?.subject) return new HttpError(401, 'Unauthorized');
    const cn = cert.subject.CN;
    const o = cert.subject.O;
    const id = { commonName: Array.isArray(cn) ? cn[0]! : cn ?? '', organizations: o === undefined ? [] : Array.isArray(o) ? o : [o] };
    if (!(this.o.authorize ?? defaultAuthorize)(id)) return new HttpError(403, `Forbidden (user=${id.commonName}, verb=${req.method === 'GET' ? 'get' : 'create'}, resource=nodes, subresource=proxy)`);
    return undefined;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet.invalid');
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      if (res.headersSent) return void res.end();
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    try {
      const denied = this.denied(req, url.pathname);
      if (denied) throw denied;
      const route = routeOf(url.pathname, this.o.handlers);
      switch (route.kind) {
        case 'healthz':
          return send(200, 'ok');
        case 'pods':
          return send(200, JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: await this.o.backend.listPods() }), 'application/json');
        case 'handler':
          return await route.handler(req, res, url);
        case 'containerLogs':
          return await this.containerLogs(route, url.searchParams, req, res);
        case 'exec': case 'attach': case 'portForward':
          throw new HttpError(400, 'Upgrade request required');
        default:
          throw new HttpError(404, '404 page not found');
      }
    } catch (e) {
      if (e instanceof HttpError) send(e.status, e.message);
      else send(500, (e as Error).message);
    }
  }

  private async containerLogs(route: { namespace: string; pod: string; container: string }, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pod = await this.o.backend.getPod(route.namespace, route.pod);
    if (!pod) throw new HttpError(404, `pod "${route.pod}" does not exist`);
    const c = await this.o.backend.getContainer(route.namespace, route.pod, route.container);
    if (!c) throw new HttpError(404, `container "${route.container}" not found in pod "${route.pod}"`);
    let opts;
    try {
      opts = parseLogOptions(q, (this.o.now ?? Date.now)());
    } catch (e) {
      if (e instanceof LogOptionsError) throw new HttpError(400, e.message);
      throw e;
    }
    let path: string;
    if (opts.previous) {
      if (!c.previousLogPath) throw new HttpError(400, `previous terminated container "${route.container}" in pod "${route.pod}" not found`);
      path = c.previousLogPath;
    } else {
      if (!c.logPath || !c.containerId) throw new HttpError(400, `container "${route.container}" in pod "${route.pod}" is waiting to start: ${c.waitingReason ?? 'ContainerCreating'}`);
      path = c.logPath;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const id = c.containerId;
    const isRunning = async () => !opts.previous && !!id && (await this.o.backend.runtime.containerStatus(id))?.state === 'running';
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    try {
      await readLogs(path, opts, res, { isRunning, signal: abort.signal });
    } catch (e) {
      // Headers are out: the best that can be done is to end the body with the reason.
      if (!res.destroyed) res.write(`failed to read log file "${path}": ${(e as Error).message}\n`);
    }
    res.end();
    void req;
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    const url = new URL(req.url ?? '/', 'https://kubelet.invalid');
    try {
      const denied = this.denied(req, url.pathname);
      if (denied) throw denied;
      const route = routeOf(url.pathname, this.o.handlers);
      const kind = upgradeKind(req);
      if (!kind) throw new HttpError(400, `unsupported upgrade: ${req.headers.upgrade ?? ''}`);
      if (route.kind === 'exec' || route.kind === 'attach') return await this.remoteCommand(route, url.searchParams, kind, req, socket, head);
      if (route.kind === 'portForward') return await this.portForward(route, kind, req, socket, head);
      throw new HttpError(404, '404 page not found');
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      respondOnSocket(socket, status, (e as Error).message);
    }
  }

  private async remoteCommand(
    route: { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }, q: URLSearchParams,
    kind: 'websocket' | 'spdy', req: IncomingMessage, socket: Duplex, head: Buffer,
  ): Promise<void> {
    const flags = streamFlagsOf(q, route.kind);
    if (typeof flags === 'string') throw new HttpError(400, flags);
    const pod = await this.o.backend.getPod(route.namespace, route.pod);
    if (!pod) throw new HttpError(404, `pod "${route.pod}" does not exist`);
    const c = await this.o.backend.getContainer(route.namespace, route.pod, route.container);
    const status = c?.containerId ? await this.o.backend.runtime.containerStatus(c.containerId) : undefined;
    if (!c?.containerId || status?.state !== 'running') throw new HttpError(404, `container not found ("${route.container}")`);
    const containerId = c.containerId;
    const cmd = q.getAll('command');
    const start = () => route.kind === 'exec'
      ? this.o.backend.runtime.exec(containerId, { cmd, tty: flags.tty, stdin: flags.stdin, stdout: flags.stdout, stderr: flags.stderr })
      : this.o.backend.runtime.attach(containerId, { stdin: flags.stdin, tty: flags.tty });
    if (kind === 'websocket') {
      // Upstream wsstream refuses an offer it cannot serve before upgrading.
      const offered = new Set((req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean));
      if (selectWsProtocol(offered) === false) {
        throw new HttpError(400, `requested protocol(s) are not supported: [${[...offered].join(' ')}]; supports [${WS_REMOTECOMMAND_PROTOCOLS.join(' ')}]`);
      }
      const ws = await this.acceptWebSocket(req, socket, head);
      if (!ws) return;
      const client = wsClientSide(ws, ws.protocol || 'channel.k8s.io', flags);
      return startAndRun(start, client, route.kind, cmd);
    }
    const n = negotiateStreamProtocol(clientStreamProtocols(req), SPDY_REMOTECOMMAND_PROTOCOLS, 'channel.k8s.io');
    if ('error' in n) return respondOnSocket(socket, 403, n.error, { [HEADER_ACCEPTED_PROTOCOL_VERSIONS]: SPDY_REMOTECOMMAND_PROTOCOLS.join(', ') });
    const collector = spdyStreamCollector(n.protocol, flags);
    acceptSpdyUpgrade(socket, clientStreamProtocols(req).length ? n.protocol : '');
    const conn = new SpdyConnection(socket, { server: true, onStream: collector.offer });
    if (head.length) socket.unshift(head);
    let streams;
    try {
      streams = await Promise.race([collector.ready, conn.closed.then(() => undefined)]);
    } catch {
      conn.close();
      return;
    }
    if (!streams) return;
    return startAndRun(start, spdyClientSide(conn, streams, n.protocol), route.kind, cmd);
  }

  private async portForward(route: { namespace: string; pod: string }, kind: 'websocket' | 'spdy', req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const pod = await this.o.backend.getPod(route.namespace, route.pod);
    if (!pod) throw new HttpError(404, `pod "${route.pod}" does not exist`);
    const sandboxId = pod.sandboxId;
    const handler = portForwardStreamHandler({
      pod: route.pod, uid: pod.uid,
      connect: (port) => {
        if (!sandboxId) throw new Error('pod sandbox not found');
        return this.o.backend.runtime.portForward(sandboxId, port);
      },
    });
    if (kind === 'websocket') {
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      if (!offered.includes(PORT_FORWARD_WS_TUNNEL_PROTOCOL)) throw new HttpError(400, `websocket port forwarding needs the ${PORT_FORWARD_WS_TUNNEL_PROTOCOL} subprotocol`);
      const ws = await this.acceptWebSocket(req, socket, head);
      if (!ws) return;
      const tunnel = createWebSocketStream(ws);
      tunnel.on('error', () => undefined);
      const conn = new SpdyConnection(tunnel, { server: true, onStream: handler });
      await conn.closed;
      return;
    }
    const n = negotiateStreamProtocol(clientStreamProtocols(req), [PORT_FORWARD_PROTOCOL], PORT_FORWARD_PROTOCOL);
    if ('error' in n) return respondOnSocket(socket, 403, n.error, { [HEADER_ACCEPTED_PROTOCOL_VERSIONS]: PORT_FORWARD_PROTOCOL });
    acceptSpdyUpgrade(socket, clientStreamProtocols(req).length ? n.protocol : '');
    const conn = new SpdyConnection(socket, { server: true, onStream: handler });
    if (head.length) socket.unshift(head);
    await conn.closed;
  }

  private acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<WebSocket | undefined> {
    // `SPDY/3.1+portforward.k8s.io` is not an RFC 7230 token ('/'), which the ws library refuses;
    // it is offered under a stand-in and answered under its real name.
    const offered = req.headers['sec-websocket-protocol'];
    if (offered) req.headers['sec-websocket-protocol'] = offered.split(',').map((p) => (p.trim() === PORT_FORWARD_WS_TUNNEL_PROTOCOL ? TUNNEL_TOKEN : p.trim())).join(', ');
    return new Promise((resolve) => {
      let settled = false;
      socket.once('close', () => { if (!settled) resolve(undefined); });
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        settled = true;
        resolve(ws);
      });
    });
  }
}

async function startAndRun(start: () => Promise<StreamSession>, client: ClientSide, kind: 'exec' | 'attach', cmd: string[]): Promise<void> {
  let session;
  try {
    session = await start();
  } catch (e) {
    client.finish({ error: sessionErrorText(kind, e) });
    return;
  }
  await runSession(session, client, kind, kind === 'exec' ? cmd : undefined);
}
