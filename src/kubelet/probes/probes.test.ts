// The probe handlers against real servers on 127.0.0.1 (HTTP, TCP, gRPC over HTTP/2) and the
// fake runtime's exec, with upstream's success rules and messages.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { FakeRuntime } from '../../runtime/index.js';
import { probeHttp } from './http-probe.js';
import { probeTcp } from './tcp-probe.js';
import { decodeHealthCheckResponse, encodeHealthCheckRequest, probeGrpc } from './grpc-probe.js';
import { runHandler } from './prober.js';

const closers: (() => Promise<void>)[] = [];
after(async () => { for (const c of closers) await c(); });

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let seenHeaders: http.IncomingHttpHeaders = {};
const httpServer = http.createServer((req, res) => {
  seenHeaders = req.headers;
  if (req.url === '/ok') return res.end('fine');
  if (req.url === '/fail') { res.statusCode = 500; return res.end('bad'); }
  if (req.url === '/redirect-local') { res.statusCode = 302; res.setHeader('location', '/ok'); return res.end(); }
  if (req.url === '/redirect-away') { res.statusCode = 301; res.setHeader('location', 'http://localhost.invalid/ok'); return res.end('moved'); }
  if (req.url === '/loop') { res.statusCode = 302; res.setHeader('location', '/loop'); return res.end(); }
  if (req.url === '/slow') { setTimeout(() => res.end('late'), 3000).unref(); return; }
  res.statusCode = 404;
  res.end();
});
const httpPort = await listen(httpServer);

test('httpGet: 2xx succeeds with the kube-probe user agent and custom headers', async () => {
  const r = await probeHttp({ url: new URL(`http://127.0.0.1:${httpPort}/ok`), headers: [{ name: 'X-Custom', value: 'v' }], timeoutMs: 1000 });
  assert.deepEqual(r, { result: 'success', output: 'fine' });
  assert.match(seenHeaders['user-agent']!, /^kube-probe\//);
  assert.equal(seenHeaders['x-custom'], 'v');
  assert.equal(seenHeaders.accept, '*/*');
});

test('httpGet: 500 fails with upstream message', async () => {
  const r = await probeHttp({ url: new URL(`http://127.0.0.1:${httpPort}/fail`), timeoutMs: 1000 });
  assert.deepEqual(r, { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
});

test('httpGet: a redirect to the same host is followed, one elsewhere is a warning, a loop fails', async () => {
  assert.equal((await probeHttp({ url: new URL(`http://127.0.0.1:${httpPort}/redirect-local`), timeoutMs: 1000 })).result, 'success');
  const away = await probeHttp({ url: new URL(`http://127.0.0.1:${httpPort}/redirect-away`), timeoutMs: 1000 });
  assert.deepEqual(away, { result: 'warning', output: 'Probe terminated redirects, Response body: moved' });
  const loop = await probeHttp({ url: new URL(`http://127.0.0.1:${httpPort}/loop`), timeoutMs: 2000 });
  assert.equal(loop.result, 'failure');
  assert.match(loop.output, /stopped after 10 redirects/);
});

test('httpGet: timeout and connection refused fail', async () => {
  const slow = await probeHttp({ url: new URL(`http://127.0.0.1:${httpPort}/slow`), timeoutMs: 200 });
  assert.equal(slow.result, 'failure');
  assert.match(slow.output, /context deadline exceeded/);
  const port = await freePort();
  const refused = await probeHttp({ url: new URL(`http://127.0.0.1:${port}/`), timeoutMs: 1000 });
  assert.deepEqual(refused, { result: 'failure', output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('tcpSocket: open port succeeds, closed port fails', async () => {
  assert.equal((await probeTcp('127.0.0.1', httpPort, 1000)).result, 'success');
  const port = await freePort();
  assert.deepEqual(await probeTcp('127.0.0.1', port, 1000), { result: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('grpc: messages encode and decode as protobuf', () => {
  assert.deepEqual([...encodeHealthCheckRequest('')], [0, 0, 0, 0, 0]);
  assert.deepEqual([...encodeHealthCheckRequest('ab')], [0, 0, 0, 0, 4, 0x0a, 2, 0x61, 0x62]);
  assert.equal(decodeHealthCheckResponse(Buffer.from([0, 0, 0, 0, 2, 0x08, 1])), 1);
  assert.equal(decodeHealthCheckResponse(Buffer.from([0, 0, 0, 0, 0])), 0);
});

const grpcStatus = new Map<string, number>([['', 1], ['sick', 2]]);
const grpcServer = http2.createServer();
grpcServer.on('stream', (stream, headers) => {
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  stream.on('end', () => {
    if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service' }, { endStream: true });
      return;
    }
    const req = Buffer.concat(chunks).subarray(5);
    const service = req.length > 2 ? req.subarray(2).toString('utf8') : '';
    const status = grpcStatus.get(service);
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(status === undefined ? { 'grpc-status': '5', 'grpc-message': 'unknown service' } : { 'grpc-status': '0' }));
    stream.end(status === undefined ? Buffer.alloc(0) : Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
  });
});
const grpcPort = await listen(grpcServer);

test('grpc: SERVING succeeds, NOT_SERVING and errors fail with upstream messages', async () => {
  assert.deepEqual(await probeGrpc('127.0.0.1', grpcPort, '', 1000), { result: 'success', output: 'service healthy' });
  assert.deepEqual(await probeGrpc('127.0.0.1', grpcPort, 'sick', 1000), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
  assert.deepEqual(await probeGrpc('127.0.0.1', grpcPort, 'nope', 1000), { result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
  const port = await freePort();
  const down = await probeGrpc('127.0.0.1', port, '', 1000);
  assert.equal(down.result, 'failure');
  assert.match(down.output, /^timeout: failed to connect service "127\.0\.0\.1:\d+" within 1s/);
});

test('exec: exit code decides, output is kept; named ports resolve for handlers', async () => {
  const runtime = new FakeRuntime();
  const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'ns', uid: 'u' });
  const id = await runtime.createContainer(sb, { name: 'c', image: 'img' });
  await runtime.startContainer(id);
  runtime.execHandler = (_id, cmd) => ({ exitCode: cmd[0] === 'ok' ? 0 : 1, stdout: Buffer.from('out '), stderr: Buffer.from('err') });
  const container = { name: 'c', ports: [{ name: 'web', containerPort: httpPort }] };
  assert.deepEqual(await runHandler({ exec: { command: ['ok'] } }, { runtime, containerId: id, container }, 1000), { result: 'success', output: 'out err' });
  assert.deepEqual(await runHandler({ exec: { command: ['no'] } }, { runtime, containerId: id, container }, 1000), { result: 'failure', output: 'out err' });
  const r = await runHandler({ httpGet: { port: 'web', path: '/ok' } }, { runtime, containerId: id, container, podIP: '127.0.0.1' }, 1000);
  assert.equal(r.result, 'success');
});
