// The HTTPS transport's connection use, against a local HTTPS server that answers each request
// after a short delay and records, per connection, how many requests were waiting for an answer
// at once: without pipelining one at a time, with it several, and never more connections than
// maxSockets; each request is answered once, with its own answer; connections are kept alive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki, type Pki } from '../../src/apiserver/index.js';
import { httpsTransport, type Transport } from '../../src/client/index.js';

let dir: string;
let pki: Pki;
let server: https.Server;
let url: string;
/** Per connection: requests not answered yet, and the most there ever were. */
const connections = new Map<Socket, { waiting: number; most: number }>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'capstan-transport-'));
  pki = await loadOrCreatePki(dir, { hostnames: [], ips: [] });
  server = https.createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const conn = connections.get(req.socket)!;
    conn.most = Math.max(conn.most, ++conn.waiting);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => setTimeout(() => {
      conn.waiting--;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, path: req.url, body }));
    }, 20));
  });
  server.on('secureConnection', (s: Socket) => connections.set(s, { waiting: 0, most: 0 }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function post(transport: Transport, count: number): Promise<void> {
  const answers = await Promise.all(Array.from({ length: count }, (_, i) =>
    transport.request({ method: 'POST', path: `/things/${i}/binding`, body: JSON.stringify({ i }) })));
  answers.forEach((a, i) => {
    assert.equal(a.status, 200);
    assert.deepEqual(JSON.parse(a.body), { method: 'POST', path: `/things/${i}/binding`, body: JSON.stringify({ i }) }, 'each request gets its own answer');
  });
}

const credentials = () => ({ server: url, ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem });

test('without pipelining each connection carries one request at a time, up to maxSockets connections', async () => {
  connections.clear();
  const transport = httpsTransport({ ...credentials(), maxSockets: 4 });
  try {
    await post(transport, 24);
  } finally {
    transport.close?.();
  }
  assert.ok(connections.size >= 1 && connections.size <= 4, `${connections.size} connections for maxSockets 4`);
  for (const c of connections.values()) assert.equal(c.most, 1, 'one request in flight per connection');
});

test('with pipelining, POSTs share connections: several in flight on one, no more connections than maxSockets', async () => {
  connections.clear();
  const transport = httpsTransport({ ...credentials(), maxSockets: 2, pipelining: 8 });
  try {
    await post(transport, 32);
  } finally {
    transport.close?.();
  }
  assert.ok(connections.size >= 1 && connections.size <= 2, `${connections.size} connections for maxSockets 2`);
  const most = Math.max(...[...connections.values()].map((c) => c.most));
  assert.ok(most > 1 && most <= 8, `at most ${most} requests waited on one connection (pipelining 8)`);
});

test('a DELETE with a body (DeleteOptions) keeps its connection for the next request', async () => {
  connections.clear();
  const transport = httpsTransport({ ...credentials(), maxSockets: 4 });
  try {
    for (let i = 0; i < 5; i++) {
      const a = await transport.request({ method: 'DELETE', path: `/things/${i}`, body: JSON.stringify({ gracePeriodSeconds: 0 }) });
      assert.equal(a.status, 200);
      assert.equal(JSON.parse(a.body).body, JSON.stringify({ gracePeriodSeconds: 0 }), 'the body reached the server');
    }
  } finally {
    transport.close?.();
  }
  // (A kept connection may be briefly busy being checked for a close when the next request goes
  // out, so the pool can open a second; closed after each DELETE it would be five.)
  assert.ok(connections.size <= 2, `five sequential DELETEs took ${connections.size} connections`);
});
