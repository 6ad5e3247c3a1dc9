// Port forwarding over SPDY streams (protocol `portforward.k8s.io`, upstream kubelet
// portforward/httpstream.go). Per forwarded connection the client opens a pair of streams with
// the same `requestID` header: `streamType: error` then `streamType: data`, both with `port`.
// The kubelet connects to the port inside the pod and copies bytes both ways; a failure is
// written as text on the pair's error stream. Used both after a SPDY upgrade and inside the
// WebSocket tunnel of kubectl ≥ 1.31 (`SPDY/3.1+portforward.k8s.io`), which carries the same
// SPDY session.
import { forward as pipeTo } from './remotecommand/session-wiring.js';
import type { Duplex } from 'node:stream';
import type { SpdyStream } from './spdy/connection.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const PORT_FORWARD_WS_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

export interface PortForwardTarget {
  /** `<pod>` and uid for error messages. */
  pod: string;
  uid: string;
  /** A connection to `port` in the pod's network namespace. */
  connect(port: number): Promise<Duplex>;
}

function parsePort(s: SpdyStream): number | string {
  const raw = s.header('port');
  if (!raw) return 'port header is required';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) return `invalid port header: ${JSON.stringify(raw)}`;
  return port;
}

/** Returns the SPDY `onStream` handler of one port-forward session. */
export function portForwardStreamHandler(target: PortForwardTarget): (s: SpdyStream) => void {
  const pairs = new Map<string, Pair>();
  return (s) => {
    const type = s.header('streamtype');
    const requestId = s.header('requestid') ?? '';
    if (type !== 'error' && type !== 'data') {
      s.reset();
      return;
    }
    s.accept();
    const pair = pairs.get(requestId) ?? {};
    pairs.set(requestId, pair);
    if (type === 'error') {
      pair.error = s;
      s.resume();
      return;
    }
    pair.data = s;
    void forward(target, pair).finally(() => pairs.delete(requestId));
  };
}

async function forward(target: PortForwardTarget, pair: Pair): Promise<void> {
  const data = pair.data!;
  const fail = (msg: string) => {
    pair.error?.end(msg);
    data.end();
  };
  const port = parsePort(data);
  if (typeof port === 'string') return fail(port);
  let sock: Duplex;
  try {
    sock = await target.connect(port);
  } catch (e) {
    return fail(`error forwarding port ${port} to pod ${target.pod}, uid ${target.uid}: ${(e as Error).message}`);
  }
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      if (err) pair.error?.write(`error forwarding port ${port} to pod ${target.pod}, uid ${target.uid}: ${err.message}`);
      pair.error?.end();
      if (!data.writableEnded) data.end();
      sock.destroy();
      resolve();
    };
    sock.on('error', finish);
    data.on('error', () => finish());
    pipeTo(data, sock);
    data.on('end', () => { if (!sock.destroyed) sock.end(); });
    pipeTo(sock, data);
    sock.on('end', () => finish());
    sock.on('close', () => finish());
  });
}
