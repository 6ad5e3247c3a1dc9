// The DnsServer's sockets on 127.0.0.1 (free ports): UDP and TCP on one port, TCP frames split
// across writes and pipelined, garbage that must not stop the server, and a clean stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import type { Service } from '../../api/index.js';
import { DnsServer } from './server.js';

function q(name: string, id: number): Buffer {
  return dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A' }] });
}

function frame(msg: Buffer): Buffer {
  const h = Buffer.alloc(2);
  h.writeUInt16BE(msg.length);
  return Buffer.concat([h, msg]);
}

async function newServer(): Promise<DnsServer> {
  const s = new DnsServer({ listen: [{ host: '127.0.0.1', port: 0 }] });
  s.zone.setService('ns/a', { metadata: { namespace: 'ns', name: 'a' }, spec: { clusterIP: '10.43.0.5' } } as Service);
  await s.start();
  return s;
}

function udpExchange(port: number, msgs: Buffer[], expect: number): Promise<DecodedPacket[]> {
  const sock = dgram.createSocket('udp4');
  const out: DecodedPacket[] = [];
  return new Promise<DecodedPacket[]>((resolve, reject) => {
    const timer = setTimeout(() => { sock.close(); reject(new Error(`got ${out.length}/${expect} UDP replies`)); }, 3000);
    sock.on('message', (m) => {
      out.push(dnsPacket.decode(m));
      if (out.length === expect) { clearTimeout(timer); sock.close(); resolve(out); }
    });
    for (const m of msgs) sock.send(m, port, '127.0.0.1');
  });
}

test('UDP and TCP share the port; garbage is survived; TCP frames may be split and pipelined', async () => {
  const s = await newServer();
  try {
    const { port } = s.addresses[0];
    assert.ok(port > 0);
    const garbage = [Buffer.alloc(0), Buffer.from([0xff]), Buffer.alloc(600, 0xc0), q('a.ns.svc.cluster.local', 1).subarray(0, 15)];
    const replies = await udpExchange(port, [...garbage, q('a.ns.svc.cluster.local', 2)], 2);
    const good = replies.find((r) => r.id === 2)!;
    assert.deepEqual(good.answers!.map((a) => (a as { data: unknown }).data), ['10.43.0.5']);
    assert.equal(replies.find((r) => r.id !== 2)!.flags! & 0xf, 1, 'the cut query got FORMERR');

    const conn = net.connect(port, '127.0.0.1');
    const got: DecodedPacket[] = [];
    const all = new Promise<void>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      conn.on('error', reject);
      conn.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          got.push(dnsPacket.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (got.length === 3) resolve();
      });
    });
    const stream = Buffer.concat([frame(q('a.ns.svc.cluster.local', 10)), frame(q('b.ns.svc.cluster.local', 11)), frame(q('A.NS.svc.cluster.local', 12))]);
    await new Promise<void>((r) => conn.once('connect', () => r()));
    for (let i = 0; i < stream.length; i += 7) {
      conn.write(stream.subarray(i, i + 7));
      await new Promise((r) => setTimeout(r, 1));
    }
    await all;
    conn.destroy();
    assert.deepEqual(got.map((r) => [r.id, (r as unknown as { rcode: string }).rcode]), [[10, 'NOERROR'], [11, 'NXDOMAIN'], [12, 'NOERROR']]);
  } finally {
    await s.stop();
  }
  await s.stop(); // idempotent
});

test('start rejects when the port is taken, and leaves nothing bound', async () => {
  const a = await newServer();
  try {
    const b = new DnsServer({ listen: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: a.addresses[0].port }] });
    await assert.rejects(b.start(), /EADDRINUSE/);
    assert.equal(b.addresses.length, 1);
    // Its first pair was closed again: the port can be bound by someone else.
    const again = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => { again.once('error', reject); again.bind(b.addresses[0].port, '127.0.0.1', () => resolve()); });
    again.close();
  } finally {
    await a.stop();
  }
});
