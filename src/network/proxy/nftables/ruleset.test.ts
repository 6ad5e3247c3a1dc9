import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFull, renderIncremental } from './ruleset.js';
import { affinitySetName, externalChainName, serviceChainName } from './names.js';
import { endpoint, proxyState, servicePort } from './test-fixtures.js';

const lines = (text: string): string[] => text.trim().split('\n');

test('first full render recreates the table atomically and hooks nat and filter as upstream', () => {
  const { text } = renderFull(proxyState([servicePort('web')]));
  const l = lines(text);
  assert.deepEqual(l.slice(0, 3), ['add table ip capstan-proxy', 'delete table ip capstan-proxy', 'add table ip capstan-proxy']);
  for (const hook of [
    'nat-prerouting { type nat hook prerouting priority dstnat ;',
    'nat-output { type nat hook output priority -100 ;',
    'nat-postrouting { type nat hook postrouting priority srcnat ;',
    'filter-forward { type filter hook forward priority -110 ;',
    'filter-output { type filter hook output priority -110 ;',
    'filter-input { type filter hook input priority -110 ;',
  ]) assert.ok(l.some((x) => x.startsWith(`add chain ip capstan-proxy ${hook}`)), hook);
  assert.ok(l.includes('add rule ip capstan-proxy services ip daddr . meta l4proto . th dport vmap @service-ips'));
  assert.ok(l.includes('add rule ip capstan-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports'));
  assert.ok(l.includes('add rule ip capstan-proxy nat-postrouting ct status dnat ip saddr . ip daddr @hairpin-endpoints jump mark-for-masquerade'));
  assert.ok(l.includes('add rule ip capstan-proxy masquerading meta mark & 0x4000 == 0 return'));
  assert.ok(l.indexOf('add rule ip capstan-proxy filter-forward ct state invalid drop') < l.indexOf('add rule ip capstan-proxy filter-forward ct state new jump endpoints-check'));
  assert.ok(l.includes('add element ip capstan-proxy nodeport-ips { 192.168.5.1 }'));
  assert.ok(l.includes('add element ip capstan-proxy cluster-cidrs { 10.42.0.0/16 }'));
  assert.ok(l.includes(`add element ip capstan-proxy service-ips { 10.43.0.5 . tcp . 80 : goto ${serviceChainName(servicePort('web'))} }`));
  assert.ok(l.includes('add element ip capstan-proxy hairpin-endpoints { 10.42.0.2 . 10.42.0.2, 10.42.1.3 . 10.42.1.3 }'));
  // every chain is declared before a rule or element names it
  const declared = new Set<string>();
  for (const x of l) {
    const decl = /^add chain ip capstan-proxy (\S+)/.exec(x);
    if (decl) declared.add(decl[1]);
    for (const m of x.matchAll(/(?:goto|jump) (\S+?)(?:,| }|$)/g)) assert.ok(declared.has(m[1]), `${m[1]} used before declared: ${x}`);
  }
});

test('a resync with a previous record flushes in place (affinity sets survive) and deletes what is gone', () => {
  const a = servicePort('a', { sessionAffinityTimeoutSeconds: 60 });
  const b = servicePort('b', { clusterIPs: ['10.43.0.6'] });
  const first = renderFull(proxyState([a, b]));
  const { text } = renderFull(proxyState([a]), first.written);
  const l = lines(text);
  assert.deepEqual(l.slice(0, 2), ['add table ip capstan-proxy', 'flush table ip capstan-proxy']);
  assert.ok(!l.includes('delete table ip capstan-proxy'));
  assert.ok(l.includes('flush map ip capstan-proxy service-ips'));
  assert.ok(!l.some((x) => x.startsWith('flush set') && x.includes('affinity-')));
  assert.equal(l.at(-1), `delete chain ip capstan-proxy ${serviceChainName(b)}`);
});

test('one map key claimed by two Services goes to the first by key; the other is left out, not an nft error', () => {
  const a = servicePort('a', { externalIPs: ['192.168.5.50'] });
  const b = servicePort('b', { clusterIPs: ['10.43.0.6'], externalIPs: ['192.168.5.50'] });
  const { text, written } = renderFull(proxyState([b, a]));
  assert.equal((text.match(/192\.168\.5\.50 \. tcp \. 80/g) ?? []).length, 1);
  assert.equal(written.elementOwners.get('service-ips|192.168.5.50 . tcp . 80'), a.key);
});

test('incremental: an endpoint change rewrites only that service chain, in one transaction, and moves hairpin pairs', () => {
  const web = servicePort('web');
  const other = servicePort('other', { clusterIPs: ['10.43.0.6'], endpoints: [endpoint('10.42.0.2')] });
  const { written } = renderFull(proxyState([web, other]));
  const moved = servicePort('web', { endpoints: [endpoint('10.42.0.2'), endpoint('10.42.0.9')] });
  const tx = renderIncremental(written, proxyState([moved, other]), new Set([web.key]))!;
  const chain = serviceChainName(web);
  assert.deepEqual(lines(tx.text), [
    'delete element ip capstan-proxy hairpin-endpoints { 10.42.1.3 . 10.42.1.3 }',
    `flush chain ip capstan-proxy ${chain}`,
    `add rule ip capstan-proxy ${chain} ip saddr != @cluster-cidrs jump mark-for-masquerade`,
    `add rule ip capstan-proxy ${chain} numgen random mod 2 0 meta l4proto tcp dnat to 10.42.0.2:8080`,
    `add rule ip capstan-proxy ${chain} meta l4proto tcp dnat to 10.42.0.9:8080`,
    'add element ip capstan-proxy hairpin-endpoints { 10.42.0.9 . 10.42.0.9 }',
  ]);
  // 10.42.0.2 is still used by `other`: its pair stays
  assert.equal(tx.written.hairpinRefs.get('10.42.0.2'), 2);
});

test('incremental: losing every endpoint swaps the service element for a reject element and deletes the chain after flushing it', () => {
  const web = servicePort('web', { nodePort: 30080 });
  const { written } = renderFull(proxyState([web]));
  const tx = renderIncremental(written, proxyState([servicePort('web', { nodePort: 30080, endpoints: [] })]), new Set([web.key]))!;
  const svc = serviceChainName(web);
  const ext = externalChainName(web);
  assert.deepEqual(lines(tx.text), [
    'delete element ip capstan-proxy service-ips { 10.43.0.5 . tcp . 80 }',
    'delete element ip capstan-proxy service-nodeports { tcp . 30080 }',
    'delete element ip capstan-proxy hairpin-endpoints { 10.42.0.2 . 10.42.0.2, 10.42.1.3 . 10.42.1.3 }',
    `flush chain ip capstan-proxy ${svc}`,
    `flush chain ip capstan-proxy ${ext}`,
    `delete chain ip capstan-proxy ${svc}`,
    `delete chain ip capstan-proxy ${ext}`,
    'add element ip capstan-proxy no-endpoint-services { 10.43.0.5 . tcp . 80 : goto reject-chain }',
    'add element ip capstan-proxy no-endpoint-nodeports { tcp . 30080 : goto reject-chain }',
  ]);
  // and back: the reverse, with chains declared before the elements naming them
  const back = renderIncremental(tx.written, proxyState([web]), new Set([web.key]))!;
  const l = lines(back.text);
  assert.deepEqual(l.slice(0, 2), [
    'delete element ip capstan-proxy no-endpoint-services { 10.43.0.5 . tcp . 80 }',
    'delete element ip capstan-proxy no-endpoint-nodeports { tcp . 30080 }',
  ]);
  assert.ok(l.indexOf(`add chain ip capstan-proxy ${svc}`) < l.indexOf(`add element ip capstan-proxy service-ips { 10.43.0.5 . tcp . 80 : goto ${svc} }`));
});

test('incremental: a removed Service port loses its elements, chains and affinity sets; an unchanged key writes nothing', () => {
  const web = servicePort('web', { sessionAffinityTimeoutSeconds: 30 });
  const { written } = renderFull(proxyState([web]));
  assert.equal(renderIncremental(written, proxyState([web]), new Set([web.key]))!.text, '');
  const tx = renderIncremental(written, proxyState([]), new Set([web.key]))!;
  const l = lines(tx.text);
  const setLine = `delete set ip capstan-proxy ${affinitySetName(web, '10.42.0.2', 8080)}`;
  assert.ok(l.includes(setLine));
  assert.ok(l.indexOf(`flush chain ip capstan-proxy ${serviceChainName(web)}`) < l.indexOf(setLine));
  assert.equal(tx.written.ports.size, 0);
  assert.equal(tx.written.elementOwners.size, 0);
  assert.equal(tx.written.hairpinRefs.size, 0);
});

test('incremental: a new affinity timeout recreates the sets after the rules using them are flushed', () => {
  const web = servicePort('web', { sessionAffinityTimeoutSeconds: 30 });
  const { written } = renderFull(proxyState([web]));
  const l = lines(renderIncremental(written, proxyState([servicePort('web', { sessionAffinityTimeoutSeconds: 90 })]), new Set([web.key]))!.text);
  const set = affinitySetName(web, '10.42.0.2', 8080);
  const flush = l.indexOf(`flush chain ip capstan-proxy ${serviceChainName(web)}`);
  const del = l.indexOf(`delete set ip capstan-proxy ${set}`);
  const add = l.findIndex((x) => x.startsWith(`add set ip capstan-proxy ${set} `) && x.includes('timeout 90s'));
  assert.ok(flush >= 0 && flush < del && del < add, l.join('\n'));
});

test('incremental: node IPs are replaced in place; cluster CIDRs appearing need a full render', () => {
  const web = servicePort('web');
  const { written } = renderFull(proxyState([web]));
  const tx = renderIncremental(written, proxyState([web], { nodeIPs: ['192.168.5.2'] }), new Set())!;
  assert.deepEqual(lines(tx.text), ['flush set ip capstan-proxy nodeport-ips', 'add element ip capstan-proxy nodeport-ips { 192.168.5.2 }']);
  assert.equal(renderIncremental(written, proxyState([web], { clusterCIDRs: [] }), new Set()), undefined);
  // loopback NodePorts are not offered (they would need route_localnet)
  assert.equal(renderIncremental(written, proxyState([web], { nodeIPs: ['127.0.0.1', '192.168.5.1'] }), new Set())!.text, '');
});

test('in-place and copying incremental renders agree over a sequence of changes', () => {
  const states = [
    proxyState([servicePort('a'), servicePort('b', { clusterIPs: ['10.43.0.6'], sessionAffinityTimeoutSeconds: 10 })]),
    proxyState([servicePort('a', { endpoints: [endpoint('10.42.0.2')] }), servicePort('b', { clusterIPs: ['10.43.0.6'], sessionAffinityTimeoutSeconds: 20 })]),
    proxyState([servicePort('a', { endpoints: [] }), servicePort('c', { clusterIPs: ['10.43.0.7'], nodePort: 30001, endpoints: [endpoint('10.42.0.2')] })], { nodeIPs: ['192.168.5.3'] }),
    proxyState([servicePort('c', { clusterIPs: ['10.43.0.7'], nodePort: 30001, externalTrafficLocal: true })]),
  ];
  const keys = (i: number) => new Set([...states[i - 1].servicePorts.keys(), ...states[i].servicePorts.keys()]);
  let copied = renderFull(states[0]).written;
  let inPlace = renderFull(states[0]).written;
  for (let i = 1; i < states.length; i++) {
    const a = renderIncremental(copied, states[i], keys(i))!;
    const b = renderIncremental(inPlace, states[i], keys(i), { inPlace: true })!;
    assert.equal(b.text, a.text);
    assert.equal(b.written, inPlace, 'in place returns the same record');
    assert.deepEqual(b.written, a.written);
    copied = a.written;
    inPlace = b.written;
  }
  assert.deepEqual(copied, renderFull(states.at(-1)!).written, 'the increments add up to the full render');
});
