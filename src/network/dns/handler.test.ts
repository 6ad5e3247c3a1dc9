// Message handling: the wire answers the server gives, without sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket, { type DecodedPacket, type Packet } from 'dns-packet';
import type { EndpointSlice, Service } from '../../api/index.js';
import { ClusterZone } from './cluster-zone.js';
import type { Forwarder } from './forwarder.js';
import { DnsHandler } from './handler.js';

function query(name: string, type: string, opts: { id?: number; edns?: { size?: number; version?: number }; flags?: number; opcode?: number } = {}): Buffer {
  const p: Packet = {
    type: 'query', id: opts.id ?? 0x1234, flags: opts.flags ?? dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as 'A', class: 'IN' }],
    additionals: opts.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns.size ?? 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } as never] : [],
  };
  const buf = dnsPacket.encode(p);
  if (opts.edns?.version) {
    // The OPT TTL field's second byte is the EDNS version.
    buf[buf.length - 5] = opts.edns.version;
  }
  if (opts.opcode) buf[2] = (buf[2] & 0x87) | (opts.opcode << 3);
  return buf;
}

function zone(): ClusterZone {
  const z = new ClusterZone();
  z.setService('default/web', { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80 }] } } as Service);
  const endpoints = Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.42.0.${i + 2}`], conditions: { ready: true } }));
  z.setService('default/many', { metadata: { namespace: 'default', name: 'many' }, spec: { clusterIP: 'None' } } as Service, [
    { metadata: { namespace: 'default', name: 'many-1', labels: { 'kubernetes.io/service-name': 'many' } }, addressType: 'IPv4', endpoints } as EndpointSlice,
  ]);
  return z;
}

async function ask(h: DnsHandler, msg: Buffer, transport: 'udp' | 'tcp' = 'udp') {
  const out = await h.handle(msg, transport === 'udp' ? 65_535 : undefined);
  assert.ok(out, 'a reply');
  return { raw: out, p: dnsPacket.decode(out) };
}

test('answers keep the query ID, RD, and the question as the client spelled it; AA set', async () => {
  const h = new DnsHandler({ zone: zone() });
  const { p, raw } = await ask(h, query('WEB.Default.svc.Cluster.LOCAL', 'A', { id: 777 }));
  assert.equal(p.id, 777);
  assert.equal(p.flag_aa, true);
  assert.equal(p.flag_rd, true);
  assert.equal(p.flag_qr, true);
  assert.equal((p as { rcode?: string }).rcode, 'NOERROR');
  assert.equal(p.questions![0].name, 'WEB.Default.svc.Cluster.LOCAL');
  assert.deepEqual(p.answers!.map((a) => [a.name, a.type, (a as { ttl: number }).ttl, (a as { data: unknown }).data]), [['web.default.svc.cluster.local', 'A', 5, '10.43.0.20']]);
  // The cached path gives the same bytes for another ID and spelling.
  const again = await ask(h, query('web.default.svc.cluster.local', 'A', { id: 778, flags: 0 }));
  assert.equal(again.p.id, 778);
  assert.equal(again.p.flag_rd, false);
  assert.equal(again.p.questions![0].name, 'web.default.svc.cluster.local');
  assert.deepEqual(again.raw.subarray(2 + 1), Buffer.concat([Buffer.from([raw[3]]), again.raw.subarray(4)]));
});

test('NXDOMAIN and NODATA carry the SOA; the cache follows zone changes', async () => {
  const z = zone();
  const h = new DnsHandler({ zone: z });
  const nx = await ask(h, query('gone.default.svc.cluster.local', 'A'));
  assert.equal((nx.p as { rcode?: string }).rcode, 'NXDOMAIN');
  assert.equal(nx.p.authorities![0].type, 'SOA');
  const nodata = await ask(h, query('web.default.svc.cluster.local', 'AAAA'));
  assert.equal((nodata.p as { rcode?: string }).rcode, 'NOERROR');
  assert.equal(nodata.p.answers!.length, 0);
  assert.equal(nodata.p.authorities![0].type, 'SOA');
  z.setService('default/gone', { metadata: { namespace: 'default', name: 'gone' }, spec: { clusterIP: '10.43.0.99' } } as Service);
  const now = await ask(h, query('gone.default.svc.cluster.local', 'A'));
  assert.deepEqual(now.p.answers!.map((a) => (a as { data: unknown }).data), ['10.43.0.99']);
});

test('EDNS0: the OPT record is echoed with our UDP size; other versions get BADVERS', async () => {
  const h = new DnsHandler({ zone: zone() });
  const { p } = await ask(h, query('web.default.svc.cluster.local', 'A', { edns: { size: 4096 } }));
  const opt = p.additionals!.find((a) => a.type === 'OPT') as { udpPayloadSize: number } | undefined;
  assert.equal(opt?.udpPayloadSize, 1232);
  const bad = await ask(h, query('web.default.svc.cluster.local', 'A', { edns: { version: 1 } }));
  const badOpt = bad.p.additionals!.find((a) => a.type === 'OPT') as { extendedRcode: number } | undefined;
  assert.equal(badOpt?.extendedRcode, 1, 'BADVERS = 16: upper bits 1 in the OPT');
  assert.equal(bad.p.answers!.length, 0);
});

test('UDP answers over 512 bytes (or the EDNS size) are truncated; TCP gets them whole', async () => {
  const h = new DnsHandler({ zone: zone() });
  const udp = await ask(h, query('many.default.svc.cluster.local', 'A'));
  assert.equal(udp.p.flag_tc, true);
  assert.equal(udp.p.answers!.length, 0);
  assert.equal(udp.p.questions![0].name, 'many.default.svc.cluster.local');
  assert.ok(udp.raw.length <= 512);
  const tcp = await ask(h, query('many.default.svc.cluster.local', 'A'), 'tcp');
  assert.equal(tcp.p.flag_tc, false);
  assert.equal(tcp.p.answers!.length, 60);
  const edns = await ask(h, query('many.default.svc.cluster.local', 'A', { edns: { size: 4096 } }));
  assert.equal(edns.p.flag_tc, false);
  assert.equal(edns.p.answers!.length, 60);
});

test('malformed input: runts and responses dropped, bad questions FORMERR, other opcodes NOTIMP, never a throw', async () => {
  const h = new DnsHandler({ zone: zone() });
  assert.equal(h.handle(Buffer.from([1, 2, 3])), undefined);
  const response = query('web.default.svc.cluster.local', 'A');
  response[2] |= 0x80;
  assert.equal(h.handle(response), undefined);
  const cut = query('web.default.svc.cluster.local', 'A').subarray(0, 20);
  assert.equal(dnsPacket.decode((await h.handle(cut))!).flags! & 0xf, 1);
  const two = query('web.default.svc.cluster.local', 'A');
  two.writeUInt16BE(2, 4);
  assert.equal(dnsPacket.decode((await h.handle(two))!).flags! & 0xf, 1);
  const pointer = Buffer.concat([query('x', 'A').subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
  assert.equal(dnsPacket.decode((await h.handle(pointer))!).flags! & 0xf, 1);
  const notify = await ask(h, query('web.default.svc.cluster.local', 'A', { opcode: 4 }));
  assert.equal((notify.p as { rcode?: string }).rcode, 'NOTIMP');
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  const base = query('_http._tcp.web.default.svc.cluster.local', 'SRV', { edns: {} });
  for (let i = 0; i < 3000; i++) {
    const m = Buffer.from(base.subarray(0, rand() % (base.length + 1)));
    for (let j = 0; j < 3; j++) if (m.length) m[rand() % m.length] = rand();
    const out = await h.handle(m);
    if (out) assert.doesNotThrow(() => dnsPacket.decode(out));
  }
});

test('names outside the zone without upstreams are REFUSED', async () => {
  const h = new DnsHandler({ zone: zone() });
  const { p } = await ask(h, query('example.com', 'A'));
  assert.equal((p as { rcode?: string }).rcode, 'REFUSED');
});

function fakeUpstream(answer: (q: Buffer) => Packet | undefined) {
  const calls: Buffer[] = [];
  const fwd = {
    async forward(q: Buffer) {
      calls.push(q);
      await new Promise((r) => setTimeout(r, 5));
      const p = answer(q);
      return p ? dnsPacket.encode({ ...p, id: 999, type: 'response', questions: dnsPacket.decode(q).questions }) : undefined;
    },
  } as unknown as Forwarder;
  return { fwd, calls };
}

test('forwarded answers: coalesced, cached with TTLs that age, capped at 30 s; negative 5 s; failures SERVFAIL uncached', async () => {
  let now = 1_000_000;
  const { fwd, calls } = fakeUpstream((q) => {
    const name = dnsPacket.decode(q).questions![0].name;
    if (name === 'fail.example') return undefined;
    if (name === 'none.example') return { flags: 3, answers: [], authorities: [{ name: 'example', type: 'SOA', ttl: 60, data: { mname: 'a', rname: 'b', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 } }] };
    return { flags: dnsPacket.RECURSION_AVAILABLE, answers: [{ name, type: 'A', ttl: 300, data: '192.0.2.1' }, { name, type: 'A', ttl: 100, data: '192.0.2.2' }] };
  });
  const h = new DnsHandler({ zone: zone(), forwarder: fwd, now: () => now });
  const [a, b] = await Promise.all([ask(h, query('Host.Example', 'A', { id: 1 })), ask(h, query('host.example', 'A', { id: 2 }))]);
  assert.equal(calls.length, 1, 'identical queries in flight share one upstream query');
  assert.equal(a.p.id, 1);
  assert.equal(b.p.id, 2);
  assert.equal(a.p.questions![0].name, 'Host.Example');
  assert.equal(b.p.questions![0].name, 'host.example');
  now += 12_400;
  const aged = await ask(h, query('host.example', 'A', { id: 3 }));
  assert.equal(calls.length, 1);
  assert.deepEqual(aged.p.answers!.map((r) => (r as { ttl: number }).ttl), [288, 88]);
  now += 18_000; // 30.4 s after storing: the 30 s cap has passed
  await ask(h, query('host.example', 'A'));
  assert.equal(calls.length, 2);

  const nx = await ask(h, query('none.example', 'A'));
  assert.equal((nx.p as { rcode?: string }).rcode, 'NXDOMAIN');
  now += 4_000;
  await ask(h, query('none.example', 'A'));
  assert.equal(calls.length, 3, 'negative answer cached');
  now += 1_500;
  await ask(h, query('none.example', 'A'));
  assert.equal(calls.length, 4, 'negative answer expired after 5 s');

  const fail = await ask(h, query('fail.example', 'A', { id: 5 }));
  assert.equal((fail.p as { rcode?: string }).rcode, 'SERVFAIL');
  assert.equal(fail.p.id, 5);
  await ask(h, query('fail.example', 'A'));
  assert.equal(calls.length, 6, 'failures are not cached');
});

test('a zone change drops the cached answers of the names it touches (and their ancestors) only', async () => {
  const z = zone();
  const h = new DnsHandler({ zone: z });
  const rc = async (name: string, type = 'A') => (((await ask(h, query(name, type))).p) as { rcode?: string }).rcode;
  assert.equal(await rc('newns.svc.cluster.local'), 'NXDOMAIN');
  assert.equal(await rc('pet-0.many.default.svc.cluster.local'), 'NXDOMAIN');
  await ask(h, query('web.default.svc.cluster.local', 'A'));
  const lookups: string[] = [];
  const lookup = z.lookup.bind(z);
  z.lookup = (n, t) => { lookups.push(n); return lookup(n, t); };
  z.setService('newns/x', { metadata: { namespace: 'newns', name: 'x' }, spec: { clusterIP: '10.43.0.77' } } as Service);
  assert.equal(await rc('newns.svc.cluster.local'), 'NOERROR', 'the namespace exists now');
  z.setService('default/many', { metadata: { namespace: 'default', name: 'many' }, spec: { clusterIP: 'None' } } as Service, [
    { metadata: { namespace: 'default', name: 'many-1', labels: { 'kubernetes.io/service-name': 'many' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.42.3.3'], hostname: 'pet-0' }] } as EndpointSlice,
  ]);
  const pet = await ask(h, query('pet-0.many.default.svc.cluster.local', 'A'));
  assert.deepEqual(pet.p.answers!.map((a) => (a as { data: unknown }).data), ['10.42.3.3']);
  const ptr = await ask(h, query('3.3.42.10.in-addr.arpa', 'PTR'));
  assert.deepEqual(ptr.p.answers!.map((a) => (a as { data: unknown }).data), ['pet-0.many.default.svc.cluster.local']);
  const webAgain = await ask(h, query('web.default.svc.cluster.local', 'A'));
  assert.deepEqual(webAgain.p.answers!.map((a) => (a as { data: unknown }).data), ['10.43.0.20']);
  assert.ok(!lookups.includes('web.default.svc.cluster.local'), 'untouched names are still served from the cache');
  assert.ok(lookups.includes('newns.svc.cluster.local') && lookups.includes('pet-0.many.default.svc.cluster.local'));
  z.setService('default/web', undefined);
  assert.equal(await rc('web.default.svc.cluster.local'), 'NXDOMAIN');
  assert.equal(await rc('20.0.43.10.in-addr.arpa', 'PTR'), 'NXDOMAIN');
});

test('ExternalName CNAMEs are followed for A/AAAA: in the zone here, outside through the forwarder', async () => {
  const { fwd, calls } = fakeUpstream((q) => {
    const name = dnsPacket.decode(q).questions![0].name;
    return { flags: dnsPacket.RECURSION_AVAILABLE, answers: [{ name, type: 'A', ttl: 120, data: '192.0.2.9' }] };
  });
  const z = zone();
  z.setService('default/alias', { metadata: { namespace: 'default', name: 'alias' }, spec: { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' } } as Service);
  z.setService('default/ext', { metadata: { namespace: 'default', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'www.example.org' } } as Service);
  const h = new DnsHandler({ zone: z, forwarder: fwd });
  const chain = (p: DecodedPacket) => p.answers!.map((a) => `${a.name} ${a.type} ${(a as { data: unknown }).data}`);
  const local = await ask(h, query('alias.default.svc.cluster.local', 'A'));
  assert.deepEqual(chain(local.p), ['alias.default.svc.cluster.local CNAME web.default.svc.cluster.local', 'web.default.svc.cluster.local A 10.43.0.20']);
  assert.equal(calls.length, 0);
  const ext = await ask(h, query('Ext.default.svc.cluster.local', 'A', { id: 4321 }));
  assert.equal(ext.p.id, 4321);
  assert.equal(ext.p.questions![0].name, 'Ext.default.svc.cluster.local');
  assert.deepEqual(chain(ext.p), ['ext.default.svc.cluster.local CNAME www.example.org', 'www.example.org A 192.0.2.9']);
  assert.equal(calls.length, 1);
  await ask(h, query('ext.default.svc.cluster.local', 'A'));
  assert.equal(calls.length, 1, 'the chain is cached');
  const cname = await ask(h, query('ext.default.svc.cluster.local', 'CNAME'));
  assert.deepEqual(chain(cname.p), ['ext.default.svc.cluster.local CNAME www.example.org']);
  const noUpstream = await ask(new DnsHandler({ zone: z }), query('ext.default.svc.cluster.local', 'A'));
  assert.deepEqual(chain(noUpstream.p), ['ext.default.svc.cluster.local CNAME www.example.org']);
});
