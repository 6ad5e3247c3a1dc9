import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIPv6, cidrContains, dashedIP, inZone, ipFromReverseName, normalizeName, parseCidr, reverseName, undashIP } from './names.js';
import { parseResolvConf, upstreamsFromResolvConf } from './resolv-conf.js';
import { parseUpstream } from './forwarder.js';

test('dashed IPs round-trip for IPv4 and IPv6', () => {
  assert.equal(dashedIP('10.42.0.5'), '10-42-0-5');
  assert.equal(dashedIP('fd00::5'), 'fd00--5');
  assert.equal(undashIP('10-42-0-5'), '10.42.0.5');
  assert.equal(undashIP('fd00--5'), 'fd00::5');
  assert.equal(undashIP('10-42-0'), undefined);
  assert.equal(undashIP('web-0'), undefined);
});

test('IPv6 canonical form (RFC 5952)', () => {
  assert.equal(canonicalIPv6('FD00:0:0:0:0:0:0:1'), 'fd00::1');
  assert.equal(canonicalIPv6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIPv6('::ffff:10.0.0.1'), '::ffff:a00:1');
  assert.equal(canonicalIPv6('1:2:3:4:5:6:7:8'), '1:2:3:4:5:6:7:8');
});

test('reverse names both ways', () => {
  assert.equal(reverseName('10.43.0.1'), '1.0.43.10.in-addr.arpa');
  assert.equal(ipFromReverseName('1.0.43.10.in-addr.arpa'), '10.43.0.1');
  const v6 = reverseName('fd00::1');
  assert.equal(v6, `1.${'0.'.repeat(27)}0.0.d.f.ip6.arpa`);
  assert.equal(ipFromReverseName(v6), 'fd00::1');
  assert.equal(ipFromReverseName('0.43.10.in-addr.arpa'), undefined);
  assert.equal(ipFromReverseName('01.0.43.10.in-addr.arpa'), undefined);
});

test('CIDR membership', () => {
  const c = parseCidr('10.42.0.0/16');
  assert.ok(cidrContains(c, '10.42.255.1'));
  assert.ok(!cidrContains(c, '10.43.0.1'));
  assert.ok(!cidrContains(c, 'fd00::1'));
  assert.ok(cidrContains(parseCidr('fd00:42::/56'), 'fd00:42::9'));
  assert.ok(cidrContains(parseCidr('10.42.0.0/13'), '10.47.1.1'));
  assert.throws(() => parseCidr('10.0.0.0/33'));
});

test('names: ASCII case folding and zone membership', () => {
  assert.equal(normalizeName('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local');
  assert.ok(inZone('a.cluster.local', 'cluster.local'));
  assert.ok(inZone('cluster.local', 'cluster.local'));
  assert.ok(!inZone('xcluster.local', 'cluster.local'));
});

test('resolv.conf: nameservers in order, comments, zones, own addresses skipped', () => {
  const text = '# comment\nsearch example\nnameserver 10.0.0.2\nnameserver 10.0.0.3 ; trailing\nnameserver fe80::1%eth0\nnameserver bogus\n;nameserver 1.1.1.1\nnameserver 10.0.0.2\n';
  assert.deepEqual(parseResolvConf(text), ['10.0.0.2', '10.0.0.3', 'fe80::1']);
  assert.deepEqual(upstreamsFromResolvConf(text, [{ host: '10.0.0.2' }]), [{ host: '10.0.0.3', port: 53 }, { host: 'fe80::1', port: 53 }]);
  assert.deepEqual(upstreamsFromResolvConf(text, [{ host: '10.0.0.2', port: 5353 }]).length, 3, 'another port is not this server');
});

test('upstream addresses with ports', () => {
  assert.deepEqual(parseUpstream('10.0.0.1'), { host: '10.0.0.1', port: 53 });
  assert.deepEqual(parseUpstream('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
  assert.deepEqual(parseUpstream('[::1]:5353'), { host: '::1', port: 5353 });
  assert.deepEqual(parseUpstream('fd00::1'), { host: 'fd00::1', port: 53 });
  assert.throws(() => parseUpstream('dns.example'));
});
