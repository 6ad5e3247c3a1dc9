import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { SpdyConnection, type SpdyStream } from './connection.js';
import { encodeSynReply, encodeWindowUpdate, FrameParser } from './frames.js';
import { HeaderCompressor } from './header-codec.js';

/** Reads until `ok` (a unit-test copy of the integration tests' poll). */
async function poll<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function pair(onStream: (s: SpdyStream) => void, flowControl = false): Promise<{ client: SpdyConnection; server: SpdyConnection; close(): void }> {
  let serverSocket!: Socket;
  const listening = createServer((s) => { serverSocket = s; });
  await new Promise<void>((r) => listening.listen(0, '127.0.0.1', r));
  const port = (listening.address() as { port: number }).port;
  const clientSocket = connect(port, '127.0.0.1');
  await new Promise<void>((r) => clientSocket.once('connect', r));
  while (!serverSocket) await new Promise((r) => setImmediate(r));
  const server = new SpdyConnection(serverSocket, { server: true, onStream, flowControl });
  const client = new SpdyConnection(clientSocket, { server: false, flowControl });
  return {
    client, server,
    close() {
      clientSocket.destroy();
      serverSocket.destroy();
      listening.close();
    },
  };
}

const read = (s: SpdyStream) => new Promise<string>((resolve) => {
  let t = '';
  s.on('data', (d: Buffer) => { t += d.toString(); });
  s.on('end', () => resolve(t));
});

test('streams carry headers and data both ways and end with FIN', async () => {
  const seen: Record<string, string[]>[] = [];
  const p = await pair((s) => {
    seen.push(s.headers);
    s.accept({ answer: ['yes'] });
    let body = '';
    s.on('data', (d: Buffer) => { body += d.toString(); });
    s.on('end', () => s.end(`echo:${body}:${s.header('streamType')}`));
  });
  after(() => p.close());
  const a = p.client.open({ streamType: ['stdin'], requestID: ['1'] });
  const b = p.client.open({ streamType: ['stdout'] });
  await Promise.all([a.reply, b.reply]);
  assert.deepEqual(a.headers, { answer: ['yes'] });
  const big = 'x'.repeat(100_000);
  a.end(big);
  b.end('small');
  assert.equal(await read(a), `echo:${big}:stdin`);
  assert.equal(await read(b), 'echo:small:stdout');
  assert.deepEqual(seen, [{ streamtype: ['stdin'], requestid: ['1'] }, { streamtype: ['stdout'] }]);
});

test('a reset ends the stream on both sides; closing the session ends open streams', async () => {
  let serverSide!: SpdyStream;
  const p = await pair((s) => {
    serverSide = s;
    s.accept();
  });
  after(() => p.close());
  const s = p.client.open({ streamtype: ['data'] });
  await s.reply;
  const ended = new Promise<void>((r) => serverSide.on('end', r));
  serverSide.resume();
  s.reset();
  await ended;
  const t = p.client.open({ streamtype: ['error'] });
  await t.reply;
  const tEnded = new Promise<void>((r) => { t.on('end', r); t.on('close', r); });
  t.resume();
  p.server.close();
  await tEnded;
  await p.client.closed;
});

test('flow control: a sender that speaks it stops at the window until WINDOW_UPDATE', async () => {
  let raw!: Socket;
  const srv = createServer((x) => { raw = x; });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const sock = connect((srv.address() as { port: number }).port, '127.0.0.1');
  after(() => {
    sock.destroy();
    raw?.destroy();
    srv.close();
  });
  await new Promise<void>((r) => sock.once('connect', r));
  while (!raw) await new Promise((r) => setImmediate(r));
  const conn = new SpdyConnection(sock, { server: false, flowControl: true });
  // The peer is a raw socket: it answers the stream and grants window by hand.
  const parser = new FrameParser();
  let received = 0;
  raw.on('data', (c: Buffer) => {
    for (const fr of parser.push(c)) if (fr.type === 'data') received += fr.data.length;
  });
  const s = conn.open({ streamtype: ['data'] });
  raw.write(encodeSynReply(s.id, await new HeaderCompressor().compress({})));
  await s.reply;
  s.write(Buffer.alloc(100 * 1024, 1));
  await poll('a window of data', async () => received, (n) => n >= 64 * 1024, undefined, 5);
  assert.equal(received, 64 * 1024);
  assert.equal(s.sendWindow, 0);
  raw.write(Buffer.concat([encodeWindowUpdate(s.id, 64 * 1024), encodeWindowUpdate(0, 64 * 1024)]));
  await poll('the rest', async () => received, (n) => n >= 100 * 1024, undefined, 5);
  assert.equal(received, 100 * 1024);
});

test('flow control: two sessions that enforce windows move far more than one window', async () => {
  const p = await pair((s) => {
    s.accept();
    s.pipe(s);
  }, true);
  after(() => p.close());
  const s = p.client.open({ streamtype: ['data'] });
  await s.reply;
  const body = Buffer.alloc(1024 * 1024, 7);
  const echoed = new Promise<number>((resolve) => {
    let n = 0;
    s.on('data', (d: Buffer) => { n += d.length; });
    s.on('end', () => resolve(n));
  });
  s.end(body);
  assert.equal(await echoed, body.length);
});
