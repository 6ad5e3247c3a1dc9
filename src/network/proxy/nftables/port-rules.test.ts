import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPortRules } from './port-rules.js';
import { affinitySetName, externalChainName, serviceChainName } from './names.js';
import { endpoint, servicePort } from './test-fixtures.js';

const ctx = { hasClusterCIDRs: true };

test('ClusterIP: off-cluster sources are masqueraded, then one of n endpoints is picked with 1/n each', () => {
  const sp = servicePort('web', { endpoints: [endpoint('10.42.0.2'), endpoint('10.42.0.3'), endpoint('10.42.1.4')] });
  const rules = buildPortRules(sp, ctx);
  const chain = serviceChainName(sp);
  assert.match(chain, /^service-[A-Z2-7]{8}-default\/web\/tcp\/http$/);
  assert.deepEqual([...rules.chains.keys()], [chain]);
  assert.deepEqual(rules.chains.get(chain), [
    'ip saddr != @cluster-cidrs jump mark-for-masquerade',
    'numgen random mod 3 0 meta l4proto tcp dnat to 10.42.0.2:8080',
    'numgen random mod 2 0 meta l4proto tcp dnat to 10.42.0.3:8080',
    'meta l4proto tcp dnat to 10.42.1.4:8080',
  ]);
  assert.deepEqual(rules.elements, [{ map: 'service-ips', key: '10.43.0.5 . tcp . 80', value: `goto ${chain}` }]);
  assert.deepEqual(rules.hairpinIPs, ['10.42.0.2', '10.42.0.3', '10.42.1.4']);
});

test('without known cluster CIDRs no off-cluster masquerade rule is written', () => {
  const sp = servicePort('web');
  assert.ok(!buildPortRules(sp, { hasClusterCIDRs: false }).chains.get(serviceChainName(sp))!.some((r) => r.includes('cluster-cidrs')));
});

test('not-ready endpoints are skipped; with none ready, serving+terminating ones serve (upstream ProxyTerminatingEndpoints)', () => {
  const sp = servicePort('web', { endpoints: [endpoint('10.42.0.2', { ready: false, serving: false }), endpoint('10.42.0.3')] });
  assert.deepEqual(buildPortRules(sp, ctx).chains.get(serviceChainName(sp))!.slice(1), ['meta l4proto tcp dnat to 10.42.0.3:8080']);
  const terminating = servicePort('web', { endpoints: [endpoint('10.42.0.2', { ready: false, serving: true, terminating: true }), endpoint('10.42.0.3', { ready: false, serving: false, terminating: true })] });
  assert.deepEqual(buildPortRules(terminating, ctx).chains.get(serviceChainName(terminating))!.slice(1), ['meta l4proto tcp dnat to 10.42.0.2:8080']);
});

test('NodePort, externalIPs and load-balancer IPs go to the external chain, which masquerades (externalTrafficPolicy Cluster)', () => {
  const sp = servicePort('web', { nodePort: 30080, externalIPs: ['192.168.5.50'], loadBalancerIPs: ['192.168.5.1'], protocol: 'UDP', key: 'default/web:http/UDP' });
  const rules = buildPortRules(sp, ctx);
  const ext = externalChainName(sp);
  assert.match(ext, /^external-[A-Z2-7]{8}-default\/web\/udp\/http$/);
  assert.deepEqual(rules.chains.get(ext), [
    'jump mark-for-masquerade',
    'numgen random mod 2 0 meta l4proto udp dnat to 10.42.0.2:8080',
    'meta l4proto udp dnat to 10.42.1.3:8080',
  ]);
  assert.deepEqual(rules.elements.map((e) => `${e.map} ${e.key} ${e.value}`), [
    `service-ips 10.43.0.5 . udp . 80 goto ${serviceChainName(sp)}`,
    `service-ips 192.168.5.50 . udp . 80 goto ${ext}`,
    `service-ips 192.168.5.1 . udp . 80 goto ${ext}`,
    `service-nodeports udp . 30080 goto ${ext}`,
  ]);
});

test('externalTrafficPolicy Local: local endpoints only, client address kept; pods and the node itself short-circuit to the service chain', () => {
  const sp = servicePort('web', { nodePort: 30080, externalTrafficLocal: true });
  const rules = buildPortRules(sp, ctx);
  const svc = serviceChainName(sp);
  assert.deepEqual(rules.chains.get(externalChainName(sp)), [
    `ip saddr @cluster-cidrs goto ${svc}`,
    'fib saddr type local jump mark-for-masquerade',
    `fib saddr type local goto ${svc}`,
    'meta l4proto tcp dnat to 10.42.0.2:8080',
  ]);
  // the cluster IP still balances over every endpoint
  assert.equal(rules.chains.get(svc)!.length, 3);
});

test('a Local policy with endpoints only on other nodes drops (as upstream), it does not reject', () => {
  const sp = servicePort('web', { nodePort: 30080, externalTrafficLocal: true, internalTrafficLocal: true, endpoints: [endpoint('10.42.1.3')] });
  const rules = buildPortRules(sp, ctx);
  assert.deepEqual(rules.chains.get(serviceChainName(sp)), ['ip saddr != @cluster-cidrs jump mark-for-masquerade', 'drop']);
  assert.equal(rules.chains.get(externalChainName(sp))!.at(-1), 'drop');
  assert.ok(!rules.elements.some((e) => e.map.startsWith('no-endpoint')));
});

test('no usable endpoint at all: every address and the NodePort go to the reject maps, and no chains exist', () => {
  const sp = servicePort('web', { nodePort: 30080, externalIPs: ['192.168.5.50'], endpoints: [endpoint('10.42.0.2', { ready: false, serving: false })] });
  const rules = buildPortRules(sp, ctx);
  assert.equal(rules.chains.size, 0);
  assert.deepEqual(rules.elements, [
    { map: 'no-endpoint-services', key: '10.43.0.5 . tcp . 80', value: 'goto reject-chain' },
    { map: 'no-endpoint-services', key: '192.168.5.50 . tcp . 80', value: 'goto reject-chain' },
    { map: 'no-endpoint-nodeports', key: 'tcp . 30080', value: 'goto reject-chain' },
  ]);
});

test('sessionAffinity ClientIP: a known client returns to its endpoint before the random pick, and every pick records the client', () => {
  const sp = servicePort('web', { sessionAffinityTimeoutSeconds: 600 });
  const rules = buildPortRules(sp, ctx);
  const a = affinitySetName(sp, '10.42.0.2', 8080);
  const b = affinitySetName(sp, '10.42.1.3', 8080);
  assert.match(a, /^affinity-[A-Z2-7]{8}-default\/web\/tcp\/http__10\.42\.0\.2\/8080$/);
  assert.deepEqual([...rules.affinitySets], [[a, 600], [b, 600]]);
  assert.deepEqual(rules.chains.get(serviceChainName(sp))!.slice(1), [
    `ip saddr @${a} update @${a} { ip saddr } meta l4proto tcp dnat to 10.42.0.2:8080`,
    `ip saddr @${b} update @${b} { ip saddr } meta l4proto tcp dnat to 10.42.1.3:8080`,
    `numgen random mod 2 0 update @${a} { ip saddr } meta l4proto tcp dnat to 10.42.0.2:8080`,
    `update @${b} { ip saddr } meta l4proto tcp dnat to 10.42.1.3:8080`,
  ]);
});

test('headless Services (no cluster IP) and IPv6-only ones get no rules', () => {
  for (const sp of [servicePort('h', { clusterIPs: [] }), servicePort('v6', { clusterIPs: ['fd00::5'] })]) {
    const rules = buildPortRules(sp, ctx);
    assert.equal(rules.chains.size + rules.elements.length + rules.hairpinIPs.length, 0);
  }
});

test('two ports whose readable names collide still get distinct chains (the hash is of the unique key)', () => {
  const a = servicePort('web', { key: 'default/web:http/TCP' });
  const b = servicePort('web', { key: 'default/web:http/TCP#2' });
  assert.notEqual(serviceChainName(a), serviceChainName(b));
});
