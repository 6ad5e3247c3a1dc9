// The kubelet server on its own, with our own clients: client-certificate authorization,
// error answers, and the protocol variants kubectl does not pick by default (v4 and base64
// WebSocket channels, SPDY negotiation failure, SPDY port-forward errors).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import { WebSocket } from 'ws';
import { SpdyConnection, KUBELET_CLIENT_COMMON_NAME, type SpdyStream } from '../../src/kubelet/index.js';
import { KUBELET_CLIENT_IDENTITY } from '../../src/apiserver/index.js';
import { poll } from '../support/poll.js';
import { POD, startStreamingFixture, type StreamingFixture } from './fixture.js';

let f: StreamingFixture;
let admin: { cert: string; key: string };
let node: { cert: string; key: string };
before(async () => {
  f = await startStreamingFixture({
    handlers: {
      '/stats/summary': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ node: { nodeName: 'node-a' }, pods: [] }));
      },
    },
  });
  f.backend.startContainer(f.pod, 'app', ['sh', '-c', 'while read l; do echo "$l"; done']);
  const a = await f.server.pki.issueClientCertificate({ commonName: KUBELET_CLIENT_IDENTITY.commonName });
  admin = { cert: a.certPem, key: a.keyPem };
  const n = await f.server.pki.issueClientCertificate({ commonName: 'system:node:other', organizations: ['system:nodes'] });
  node = { cert: n.certPem, key: n.keyPem };
});
after(async () => f?.stop());

function get(path: string, creds?: { cert: string; key: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: f.kubelet.port, path, ca: f.server.pki.caCertPem, ...creds, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the identity check: /healthz is open, others need the API server\'s kubelet-client certificate', async () => {
  assert.equal(KUBELET_CLIENT_COMMON_NAME, KUBELET_CLIENT_IDENTITY.commonName);
  assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
  assert.equal((await get('/pods')).status, 401);
  const forbidden = await get('/pods', node);
  assert.equal(forbidden.status, 403);
  assert.match(forbidden.body, /user=system:node:other/);
  const pods = await get('/pods', admin);
  assert.equal(pods.status, 200);
  assert.equal(JSON.parse(pods.body).items[0].metadata.name, POD);
  // Pluggable handlers sit behind the same check.
  assert.equal((await get('/stats/summary')).status, 401);
  assert.deepEqual(JSON.parse((await get('/stats/summary', admin)).body), { node: { nodeName: 'node-a' }, pods: [] });
  assert.equal((await get('/metrics/resource', admin)).status, 404);
});

test('containerLogs errors', async () => {
  assert.deepEqual(await get('/containerLogs/default/nope/app', admin), { status: 404, body: 'pod "nope" does not exist' });
  assert.deepEqual(await get(`/containerLogs/default/${POD}/nope`, admin), { status: 404, body: `container "nope" not found in pod "${POD}"` });
  assert.equal((await get(`/containerLogs/default/${POD}/app?tailLines=-1`, admin)).status, 400);
  assert.deepEqual(await get(`/containerLogs/default/${POD}/app?previous=true`, admin), { status: 400, body: `previous terminated container "app" in pod "${POD}" not found` });
  assert.deepEqual(await get(`/exec/default/${POD}/app?command=ls&stdout=1`, admin), { status: 400, body: 'Upgrade request required' });
  assert.equal((await get('/nothing', admin)).status, 404);
});

function wsExec(protocol: string, query: string): Promise<{ messages: (Buffer | string)[]; protocol: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${f.kubelet.port}/exec/default/${POD}/app?${query}`, [protocol], { ca: f.server.pki.caCertPem, ...admin });
    const messages: (Buffer | string)[] = [];
    ws.on('message', (m: Buffer, binary: boolean) => messages.push(binary ? m : m.toString()));
    ws.on('close', () => resolve({ messages, protocol: ws.protocol }));
    ws.on('error', reject);
  });
}

test('exec over v4 WebSocket channels: output, then a Status with the exit code', async () => {
  const r = await wsExec('v4.channel.k8s.io', 'command=sh&command=-c&command=echo+out%3B+echo+err+>%262%3B+exit+3&stdout=1&stderr=1');
  assert.equal(r.protocol, 'v4.channel.k8s.io');
  const byChannel = new Map<number, string>();
  for (const m of r.messages as Buffer[]) byChannel.set(m[0]!, (byChannel.get(m[0]!) ?? '') + m.subarray(1).toString());
  assert.equal(byChannel.get(1), 'out\n');
  assert.equal(byChannel.get(2), 'err\n');
  const status = JSON.parse(byChannel.get(3)!);
  assert.equal(status.reason, 'NonZeroExitCode');
  assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
});

test('a WebSocket offer of unknown protocols is refused before the upgrade', async () => {
  const err = await wsExec('v9.channel.k8s.io', 'command=true&stdout=1').then(() => undefined, (e: Error) => e);
  assert.match(String(err), /Unexpected server response: 400/);
});

test('exec over base64 WebSocket channels', async () => {
  const r = await wsExec('base64.channel.k8s.io', 'command=echo&command=hi&stdout=1');
  const out = (r.messages as string[]).filter((m) => m[0] === '1').map((m) => Buffer.from(m.slice(1), 'base64').toString()).join('');
  assert.equal(out, 'hi\n');
});

/** A SPDY client session to the kubelet, after the HTTP upgrade. */
function spdyUpgrade(path: string, protocols: string[]): Promise<{ conn?: SpdyConnection; head: string }> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port: f.kubelet.port, ca: f.server.pki.caCertPem, ...admin }, () => {
      sock.write([`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${f.kubelet.port}`, 'Connection: Upgrade', 'Upgrade: SPDY/3.1',
        ...protocols.map((p) => `X-Stream-Protocol-Version: ${p}`), 'Content-Length: 0', '', ''].join('\r\n'));
    });
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      sock.off('data', onData);
      const head = buf.subarray(0, end).toString();
      if (!head.startsWith('HTTP/1.1 101')) {
        sock.on('data', (more: Buffer) => { buf = Buffer.concat([buf, more]); });
        sock.on('end', () => resolve({ head: buf.toString() }));
        return;
      }
      const conn = new SpdyConnection(sock, { server: false });
      if (buf.length > end + 4) sock.unshift(buf.subarray(end + 4));
      resolve({ conn, head });
    };
    sock.on('data', onData);
    sock.on('error', reject);
  });
}

const text = (s: SpdyStream) => new Promise<string>((resolve) => {
  let t = '';
  s.on('data', (d: Buffer) => { t += d.toString(); });
  s.on('end', () => resolve(t));
  s.on('close', () => resolve(t));
});

test('exec over SPDY with stdin, and a protocol the kubelet does not speak', async () => {
  const { conn, head } = await spdyUpgrade(`/exec/default/${POD}/app?command=cat&stdin=1&stdout=1&stderr=1`, ['v4.channel.k8s.io']);
  assert.match(head, /X-Stream-Protocol-Version: v4\.channel\.k8s\.io/);
  const error = conn!.open({ streamtype: ['error'] });
  const stdin = conn!.open({ streamtype: ['stdin'] });
  const stdout = conn!.open({ streamtype: ['stdout'] });
  const stderr = conn!.open({ streamtype: ['stderr'] });
  await Promise.all([error.reply, stdin.reply, stdout.reply, stderr.reply]);
  const out = text(stdout);
  const status = text(error);
  stderr.resume();
  stdin.end('piped\n');
  assert.equal(await out, 'piped\n');
  assert.deepEqual(JSON.parse(await status), { metadata: {}, status: 'Success' });
  conn!.close();

  const refused = await spdyUpgrade(`/exec/default/${POD}/app?command=ls&stdout=1`, ['v9.channel.k8s.io']);
  assert.match(refused.head, /^HTTP\/1\.1 403/);
  assert.match(refused.head, /unable to negotiate protocol/);
});

test('port-forward over SPDY: echo through a data stream; an unknown port errors on the error stream', async () => {
  const { conn } = await spdyUpgrade(`/portForward/default/${POD}`, ['portforward.k8s.io']);
  const error = conn!.open({ streamtype: ['error'], port: ['80'], requestid: ['0'] });
  const data = conn!.open({ streamtype: ['data'], port: ['80'], requestid: ['0'] });
  await Promise.all([error.reply, data.reply]);
  const errText = text(error);
  let echoed = '';
  data.on('data', (d: Buffer) => { echoed += d.toString(); });
  data.write('ping');
  await poll('the echo', async () => echoed, (e) => e === 'ping', undefined, 10);
  data.end();
  assert.equal(await errText, '');
  const error2 = conn!.open({ streamtype: ['error'], port: ['81'], requestid: ['1'] });
  const data2 = conn!.open({ streamtype: ['data'], port: ['81'], requestid: ['1'] });
  data2.resume();
  assert.match(await text(error2), /^error forwarding port 81 to pod web, uid [0-9a-f-]+: nothing listens on port 81$/);
  conn!.close();
});
