import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { SpdyConnection, type SpdyStream } from './connection.js';

async function pair(onStream: (s: SpdyStream) => void): Promise<{ client: SpdyConnection; server: SpdyConnection; close(): void }> {
  let serverSocket!: Socket;
  const listening = createServer((s) => { serverSocket = s; });
  await new Promise<void>((r) => listening.listen(0, '127.0.0.1', r));
  const port = (listening.address() as { port: number }).port;
  const clientSocket = connect(port, '127.0.0.1');
  await new Promise<void>((r) => clientSocket.once('connect', r));
  while (!serverSocket) await new Promise((r) => setImmediate(r));
  const server = new SpdyConnection(serverSocket, { server: true, onStream });
  const client = new SpdyConnection(clientSocket, { server: false });
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
