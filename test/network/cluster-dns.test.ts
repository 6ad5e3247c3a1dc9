// The cluster DNS role against an in-process API server: Services and EndpointSlices created
// through the API are answered over UDP and TCP on 127.0.0.1 (a free port), changes show up, and
// other names are forwarded to a fake upstream DNS server this test runs on loopback — once
// given as an explicit upstream, once (as root, where port 53 can be bound) through a temporary
// resolv.conf naming a 127.53.x.1 address. Only loopback addresses are used.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet';
import { Client, transportFromKubeconfig, type ResourceRef } from '../../src/client/index.js';
import { startClusterDNS, type BoundAddress } from '../../src/network/index.js';
import { startTestServer, tempDir, type TestServer } from '../support/server.js';
import { poll } from '../support/poll.js';

const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' };
const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true, kind: 'Service' };
const SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };
const NS = `dns-it-${process.pid}`;

/** A fake upstream: answers `*.upstream.test` A 192.0.2.x (TTL 60), `big.upstream.test` with 40 records (TC over UDP). */
class FakeUpstream {
  udp = dgram.createSocket('udp4');
  tcp = net.createServer((c) => this.onTcp(c));
  queries: string[] = [];
  port = 0;

  async start(host = '127.0.0.1', port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => { this.udp.once('error', reject); this.udp.bind(port, host, () => resolve()); });
    this.port = this.udp.address().port;
    await new Promise<void>((resolve, reject) => { this.tcp.once('error', reject); this.tcp.listen(this.port, host, () => resolve()); });
    this.udp.on('message', (m, r) => { const out = this.answer(m, true); if (out) this.udp.send(out, r.port, r.address); });
  }

  private answer(m: Buffer, udp: boolean): Buffer | undefined {
    const q = dnsPacket.decode(m);
    const name = q.questions![0].name;
    this.queries.push(`${udp ? 'udp' : 'tcp'}:${name}`);
    const count = /^big\./i.test(name) ? 40 : 1;
    const answers: Answer[] = /\.upstream\.test$/i.test(name) ? Array.from({ length: count }, (_, i) => ({ name, type: 'A', ttl: 60, data: `192.0.2.${i + 1}` })) : [];
    const big = udp && count > 1;
    return dnsPacket.encode({ type: 'response', id: q.id, flags: (big ? dnsPacket.TRUNCATED_RESPONSE : 0) | dnsPacket.RECURSION_AVAILABLE | (answers.length ? 0 : 3), questions: q.questions, answers: big ? [] : answers });
  }

  private onTcp(c: net.Socket): void {
    c.once('data', (d) => {
      const out = this.answer(d.subarray(2, 2 + d.readUInt16BE(0)), false)!;
      const head = Buffer.alloc(2);
      head.writeUInt16BE(out.length);
      c.end(Buffer.concat([head, out]));
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.udp.close(() => r()));
    await new Promise<void>((r) => this.tcp.close(() => r()));
  }
}

let id = 1;
function dnsQuery(name: string, type: string): Buffer {
  return dnsPacket.encode({ type: 'query', id: id++ & 0xffff, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A' }] });
}

async function udpAsk(addr: BoundAddress, name: string, type = 'A'): Promise<DecodedPacket> {
  const sock = dgram.createSocket('udp4');
  try {
    return await new Promise<DecodedPacket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no UDP answer for ${name}`)), 3000);
      sock.on('message', (m) => { clearTimeout(timer); resolve(dnsPacket.decode(m)); });
      sock.send(dnsQuery(name, type), addr.port, addr.host);
    });
  } finally {
    sock.close();
  }
}

async function tcpAsk(addr: BoundAddress, names: string[], type = 'A'): Promise<DecodedPacket[]> {
  const sock = net.connect(addr.port, addr.host);
  try {
    return await new Promise<DecodedPacket[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no TCP answer')), 3000);
      let buf = Buffer.alloc(0);
      const out: DecodedPacket[] = [];
      sock.on('error', reject);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          out.push(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (out.length === names.length) { clearTimeout(timer); resolve(out); }
      });
      // Pipelined: every query in one write.
      sock.write(Buffer.concat(names.map((n) => { const q = dnsQuery(n, type); const h = Buffer.alloc(2); h.writeUInt16BE(q.length); return Buffer.concat([h, q]); })));
    });
  } finally {
    sock.destroy();
  }
}

const rcode = (p: DecodedPacket) => (p as unknown as { rcode: string }).rcode;
const ips = (p: DecodedPacket) => (p.answers ?? []).map((a) => (a as { data: unknown }).data);

let server: TestServer;
let client: Client;
let upstream: FakeUpstream;
const stops: (() => Promise<void>)[] = [];

async function runDNS(opts: { upstreams?: string[]; resolvConf?: string }): Promise<BoundAddress> {
  const ac = new AbortController();
  let resolveAddr!: (a: BoundAddress) => void;
  const bound = new Promise<BoundAddress>((r) => { resolveAddr = r; });
  const done = startClusterDNS({ client, listen: [{ host: '127.0.0.1', port: 0 }], ...opts, onListening: (a) => resolveAddr(a[0]) }, ac.signal);
  stops.push(async () => { ac.abort(); await done; });
  return Promise.race([bound, done.then(() => { throw new Error('DNS stopped early'); })]);
}

before(async () => {
  server = await startTestServer({ memory: true });
  client = new Client(transportFromKubeconfig(server.kubeconfig));
  await client.resource(NAMESPACES).create('', { metadata: { name: NS } });
  await client.resource(SERVICES).create(NS, { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: 'web' } } });
  await client.resource(SERVICES).create(NS, { metadata: { name: 'db' }, spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }], selector: { app: 'db' } } });
  await client.resource(SERVICES).create(NS, { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'www.upstream.test' } });
  await client.resource(SLICES).create(NS, {
    metadata: { name: 'db-x', labels: { 'kubernetes.io/service-name': 'db' } }, addressType: 'IPv4',
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.42.1.10'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.42.1.11'], hostname: 'db-1', conditions: { ready: true } },
    ],
  });
  upstream = new FakeUpstream();
  await upstream.start();
});

after(async () => {
  for (const s of stops.reverse()) await s().catch(() => {});
  await upstream?.stop();
  client?.close();
  await server?.stop();
});

test('Services and EndpointSlices from the API are answered over UDP and TCP; changes follow', async () => {
  const dns = await runDNS({ upstreams: [`127.0.0.1:${upstream.port}`] });
  const web = (await client.resource(SERVICES).get(NS, 'web')) as { spec: { clusterIP: string } };
  const a = await udpAsk(dns, `web.${NS}.svc.cluster.local`);
  assert.equal(rcode(a), 'NOERROR');
  assert.deepEqual(ips(a), [web.spec.clusterIP]);
  assert.equal(a.flag_aa, true);
  const [srv] = await tcpAsk(dns, [`_http._tcp.web.${NS}.svc.cluster.local`], 'SRV');
  const [headless, pet] = await tcpAsk(dns, [`db.${NS}.svc.cluster.local`, `db-1.db.${NS}.svc.cluster.local`]);
  const [ptr] = await tcpAsk(dns, [`${web.spec.clusterIP.split('.').reverse().join('.')}.in-addr.arpa`], 'PTR');
  const ext = await udpAsk(dns, `ext.${NS}.svc.cluster.local`);
  assert.deepEqual(ips(srv), [{ priority: 0, weight: 100, port: 80, target: `web.${NS}.svc.cluster.local` }]);
  assert.deepEqual(ips(headless).sort(), ['10.42.1.10', '10.42.1.11']);
  assert.deepEqual(ips(pet), ['10.42.1.11']);
  assert.deepEqual(ips(ptr), [`web.${NS}.svc.cluster.local`]);
  assert.deepEqual(ext.answers!.map((r) => [r.type, (r as { data: unknown }).data]), [['CNAME', 'www.upstream.test'], ['A', '192.0.2.1']], 'the CNAME is followed upstream');
  assert.equal(rcode(await udpAsk(dns, `nope.${NS}.svc.cluster.local`)), 'NXDOMAIN');
  assert.equal(rcode(await udpAsk(dns, `10-42-9-9.${NS}.pod.cluster.local`)), 'NOERROR');

  await client.resource(SERVICES).create(NS, { metadata: { name: 'late' }, spec: { ports: [{ port: 81 }] } });
  await poll('late is answered', () => udpAsk(dns, `late.${NS}.svc.cluster.local`), (p) => ips(p).length === 1, 5000, 50);
  await client.resource(SERVICES).delete(NS, 'late');
  await poll('late is gone', () => udpAsk(dns, `late.${NS}.svc.cluster.local`), (p) => rcode(p) === 'NXDOMAIN', 5000, 50);
  const slice = await client.resource(SLICES).get(NS, 'db-x') as { endpoints: { conditions: { ready: boolean } }[] };
  slice.endpoints[1].conditions.ready = false;
  await client.resource(SLICES).update(NS, slice as never);
  await poll('not-ready endpoint leaves', () => udpAsk(dns, `db.${NS}.svc.cluster.local`), (p) => ips(p).length === 1, 5000, 50);
});

test('other names are forwarded upstream and cached; a truncated upstream answer is fetched over TCP', async () => {
  const dns = await runDNS({ upstreams: [`127.0.0.1:${upstream.port}`] });
  const before = upstream.queries.length;
  const a = await udpAsk(dns, 'Www.Upstream.Test');
  assert.deepEqual(ips(a), ['192.0.2.1']);
  assert.equal(a.questions![0].name, 'Www.Upstream.Test');
  const again = await udpAsk(dns, 'www.upstream.test');
  assert.deepEqual(ips(again), ['192.0.2.1']);
  assert.deepEqual(upstream.queries.slice(before), ['udp:Www.Upstream.Test'], 'the second answer came from the cache');
  assert.equal(rcode(await udpAsk(dns, 'missing.example')), 'NXDOMAIN');
  const [big] = await tcpAsk(dns, ['big.upstream.test']);
  assert.equal(big.answers!.length, 40);
  assert.ok(upstream.queries.includes('tcp:big.upstream.test'));
  const bigUdp = await udpAsk(dns, 'big.upstream.test');
  assert.equal(bigUdp.flag_tc, true, 'too big for 512 bytes: truncated to the client too');
});

test('every upstream down: SERVFAIL', async () => {
  const dead = dgram.createSocket('udp4');
  await new Promise<void>((r) => dead.bind(0, '127.0.0.1', () => r()));
  const port = dead.address().port;
  dead.close(); // nothing answers there now
  const dns = await runDNS({ upstreams: [`127.0.0.1:${port}`] });
  const started = Date.now();
  assert.equal(rcode(await udpAsk(dns, 'x.upstream.test')), 'SERVFAIL');
  assert.ok(Date.now() - started < 4500, 'one 2 s attempt per upstream, not a hang');
});

const asRoot = process.getuid?.() === 0;
test('upstreams from a resolv.conf (port 53 on a 127.53.x.1 loopback address)', { skip: asRoot ? false : 'needs root to bind port 53' }, async (t) => {
  const host = `127.53.${process.pid % 250}.1`;
  const local = new FakeUpstream();
  try {
    await local.start(host, 53);
  } catch (e) {
    t.skip(`cannot bind ${host}:53: ${(e as Error).message}`);
    return;
  }
  const dir = tempDir('capstan-dns-it-');
  try {
    const resolvConf = join(dir.path, 'resolv.conf');
    writeFileSync(resolvConf, `# written by the test\nsearch example.test\nnameserver ${host}\n`);
    const dns = await runDNS({ resolvConf });
    assert.deepEqual(ips(await udpAsk(dns, 'rc.upstream.test')), ['192.0.2.1']);
    assert.ok(local.queries.includes('udp:rc.upstream.test'));
  } finally {
    await local.stop();
    dir.remove();
  }
});

test('a listen address that cannot be bound makes startClusterDNS reject, with its informers stopped', async () => {
  const taken = dgram.createSocket('udp4');
  await new Promise<void>((r) => taken.bind(0, '127.0.0.1', () => r()));
  try {
    const ac = new AbortController();
    const started = Date.now();
    await assert.rejects(startClusterDNS({ client, listen: [{ host: '127.0.0.1', port: taken.address().port }], upstreams: [] }, ac.signal), /EADDRINUSE/);
    assert.ok(Date.now() - started < 5000, 'it did not wait for an abort that never comes');
  } finally {
    taken.close();
  }
});
