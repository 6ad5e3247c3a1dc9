// grpc probes (upstream pkg/probe/grpc): one grpc.health.v1.Health/Check call over cleartext
// HTTP/2, the request and response protobufs encoded by hand (HealthCheckRequest{service=1},
// HealthCheckResponse{status=1}). SERVING is success; anything else fails with upstream's messages.
import http2 from 'node:http2';
import { goDuration, type ProbeResult } from './probe-result.js';

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
const GRPC_CODES = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-prefixed gRPC message holding HealthCheckRequest{service}. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const s = Buffer.from(service, 'utf8');
  const msg = s.length > 0 ? Buffer.concat([Buffer.from([0x0a]), varint(s.length), s]) : Buffer.alloc(0);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}

/** HealthCheckResponse.status from a length-prefixed message (0, UNKNOWN, when absent). */
export function decodeHealthCheckResponse(frame: Buffer): number {
  if (frame.length < 5) throw new Error('short gRPC message');
  const msg = frame.subarray(5, 5 + frame.readUInt32BE(1));
  let status = 0;
  for (let i = 0; i < msg.length;) {
    const tag = msg[i++]!;
    let v = 0;
    let shift = 0;
    const read = () => {
      v = 0; shift = 0;
      for (;;) {
        const b = msg[i++]!;
        v |= (b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
      }
    };
    if ((tag & 7) === 0) {
      read();
      if (tag >> 3 === 1) status = v;
    } else if ((tag & 7) === 2) {
      read();
      i += v;
    } else throw new Error(`unexpected protobuf wire type ${tag & 7}`);
  }
  return status;
}

export function probeGrpc(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeResult> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const timeout = goDuration(timeoutMs);
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const session = http2.connect(`http://${authority}`);
    const finish = (r: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish(connected
      ? { result: 'failure', output: `timeout: health rpc did not complete within ${timeout}` }
      : { result: 'failure', output: `timeout: failed to connect service "${authority}" within ${timeout}` }), timeoutMs);
    session.on('error', (e) => finish({ result: 'failure', output: `timeout: failed to connect service "${authority}" within ${timeout}: ${e.message}` }));
    session.on('connect', () => { connected = true; });
    const req = session.request({
      ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers', 'user-agent': 'kube-probe/1.33',
    });
    const chunks: Buffer[] = [];
    let headerStatus: string | undefined;
    let headerMessage: string | undefined;
    req.on('response', (h) => {
      headerStatus = h['grpc-status'] as string | undefined;
      headerMessage = h['grpc-message'] as string | undefined;
    });
    let trailers: http2.IncomingHttpHeaders = {};
    req.on('trailers', (t) => { trailers = t; });
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('error', (e) => finish(connected
      ? { result: 'failure', output: `error: health rpc probe failed: ${e.message}` }
      : { result: 'failure', output: `timeout: failed to connect service "${authority}" within ${timeout}: ${e.message}` }));
    req.on('end', () => {
      const code = Number(trailers['grpc-status'] ?? headerStatus ?? 0);
      const desc = decodeURIComponent(String(trailers['grpc-message'] ?? headerMessage ?? ''));
      if (code !== 0) {
        const name = GRPC_CODES[code] ?? `Code(${code})`;
        const rpc = `rpc error: code = ${name} desc = ${desc}`;
        if (name === 'Unimplemented') return finish({ result: 'failure', output: `this server does not implement the grpc health protocol (grpc.health.v1.Health): ${rpc}` });
        if (name === 'DeadlineExceeded') return finish({ result: 'failure', output: `timeout: health rpc did not complete within ${timeout}` });
        return finish({ result: 'failure', output: `error: health rpc probe failed: ${rpc}` });
      }
      let status: number;
      try {
        status = decodeHealthCheckResponse(Buffer.concat(chunks));
      } catch (e) {
        return finish({ result: 'failure', output: `error: health rpc probe failed: ${(e as Error).message}` });
      }
      if (status !== 1) return finish({ result: 'failure', output: `service unhealthy (responded with "${SERVING_STATUS[status] ?? status}")` });
      finish({ result: 'success', output: 'service healthy' });
    });
    req.end(encodeHealthCheckRequest(service));
  });
}
