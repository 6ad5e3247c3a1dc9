// The per-service-port rules against upstream kube-proxy's iptables layout
// (pkg/proxy/iptables/proxier.go): ClusterIP dispatch and off-cluster masquerade, random balancing,
// hairpin, NodePort/externalIPs/LB through EXT, the traffic policies, ClientIP affinity, REJECT/DROP
// without endpoints, headless, and the IP family split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointInfo, ServicePortInfo } from '../model.js';
import { endpointChain, externalChain, serviceChain, serviceLocalChain } from './chain-names.js';
import { servicePortRules } from './service-rules.js';

const v4 = { family: 4 as const, clusterCIDR: '10.42.0.0/16' };

function ep(ip: string, extra: Partial<EndpointInfo> = {}): EndpointInfo {
  return { ip, port: 8080, ready: true, serving: true, terminating: false, isLocal: false, ...extra };
}

function port(extra: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    key: 'default/web:http/TCP', namespace: 'default', name: 'web', portName: 'http', protocol: 'TCP',
    clusterIPs: ['10.43.0.5'], port: 80, externalIPs: [], loadBalancerIPs: [],
    internalTrafficLocal: false, externalTrafficLocal: false, endpoints: [], ...extra,
  };
}

const KEY = 'default/web:http/TCP';
const SVC = serviceChain(KEY);
const SVL = serviceLocalChain(KEY);
const EXT = externalChain(KEY);
const sep = (ip: string) => endpointChain(KEY, ip, 8080);
const chain = (r: ReturnType<typeof servicePortRules>, name: string) => r?.chains.find((c) => c.name === name)?.lines;

test('ClusterIP: dispatch to SVC, off-cluster sources masqueraded, random balancing 1/n…, hairpin mark then DNAT', () => {
  const r = servicePortRules(port({ endpoints: [ep('10.42.1.3'), ep('10.42.1.2'), ep('10.42.2.9')] }), v4)!;
  assert.deepEqual(r.natServices, [`-A CAPSTAN-SERVICES -m comment --comment "default/web:http cluster IP" -p tcp -m tcp -d 10.43.0.5 --dport 80 -j ${SVC}`]);
  assert.deepEqual(r.filterServices, []);
  assert.deepEqual(chain(r, SVC), [
    `-A ${SVC} -m comment --comment "default/web:http cluster IP" -p tcp -m tcp -d 10.43.0.5 --dport 80 ! -s 10.42.0.0/16 -j CAPSTAN-MARK-MASQ`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.1.2:8080" -m statistic --mode random --probability 0.3333333333 -j ${sep('10.42.1.2')}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.1.3:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep('10.42.1.3')}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.2.9:8080" -j ${sep('10.42.2.9')}`,
  ]);
  assert.deepEqual(chain(r, sep('10.42.1.2')), [
    `-A ${sep('10.42.1.2')} -m comment --comment "default/web:http" -s 10.42.1.2 -j CAPSTAN-MARK-MASQ`,
    `-A ${sep('10.42.1.2')} -m comment --comment "default/web:http" -p tcp -m tcp -j DNAT --to-destination 10.42.1.2:8080`,
  ]);
  assert.equal(r.chains.length, 4, 'SVC and three SEP chains, no EXT/SVL');
  assert.ok(r.chains.every((c) => c.name.length <= 28));
});

test('not-ready endpoints are left out; serving-terminating ones serve only when nothing is ready', () => {
  const r = servicePortRules(port({ endpoints: [ep('10.42.1.2'), ep('10.42.1.3', { ready: false, serving: false })] }), v4)!;
  assert.deepEqual(r.chains.map((c) => c.name).sort(), [SVC, sep('10.42.1.2')].sort());
  const t = servicePortRules(port({ endpoints: [ep('10.42.1.2', { ready: false, serving: true, terminating: true }), ep('10.42.1.3', { ready: false, serving: false })] }), v4)!;
  assert.deepEqual(t.chains.map((c) => c.name).sort(), [SVC, sep('10.42.1.2')].sort());
});

test('no usable endpoints: REJECT in filter CAPSTAN-SERVICES (icmp-port-unreachable, also for TCP), no nat rules', () => {
  const r = servicePortRules(port({ endpoints: [ep('10.42.1.2', { ready: false, serving: false })] }), v4)!;
  assert.deepEqual(r.natServices, []);
  assert.deepEqual(r.chains, []);
  assert.deepEqual(r.filterServices, ['-A CAPSTAN-SERVICES -m comment --comment "default/web:http has no endpoints" -p tcp -m tcp -d 10.43.0.5 --dport 80 -j REJECT --reject-with icmp-port-unreachable']);
});

test('headless (no cluster IP) and a family without a cluster IP get no rules at all', () => {
  assert.equal(servicePortRules(port({ clusterIPs: [], endpoints: [ep('10.42.1.2')] }), v4), undefined);
  assert.equal(servicePortRules(port({ endpoints: [ep('10.42.1.2')] }), { family: 6, clusterCIDR: 'fd42::/56' }), undefined);
});

test('NodePort with externalTrafficPolicy Cluster: NODEPORTS → EXT (mark for masquerade) → SVC', () => {
  const r = servicePortRules(port({ nodePort: 30080, endpoints: [ep('10.42.1.2')] }), v4)!;
  assert.deepEqual(r.natNodePorts, [`-A CAPSTAN-NODEPORTS -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j ${EXT}`]);
  assert.deepEqual(chain(r, EXT), [
    `-A ${EXT} -m comment --comment "masquerade traffic for default/web:http external destinations" -j CAPSTAN-MARK-MASQ`,
    `-A ${EXT} -j ${SVC}`,
  ]);
  assert.deepEqual(r.filterExternal, []);
});

test('NodePort without endpoints: REJECT for local destinations in CAPSTAN-EXTERNAL-SERVICES, no NODEPORTS entry', () => {
  const r = servicePortRules(port({ nodePort: 30080 }), v4)!;
  assert.deepEqual(r.natNodePorts, []);
  assert.deepEqual(r.filterExternal, ['-A CAPSTAN-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable']);
});

test('externalTrafficPolicy Local: pods short-circuit to SVC, node-local sources masqueraded to SVC, the rest to SVL (local endpoints)', () => {
  const r = servicePortRules(port({ nodePort: 30080, externalTrafficLocal: true, endpoints: [ep('10.42.1.2', { isLocal: true }), ep('10.42.2.2')] }), v4)!;
  assert.deepEqual(chain(r, EXT), [
    `-A ${EXT} -m comment --comment "pod traffic for default/web:http external destinations" -s 10.42.0.0/16 -j ${SVC}`,
    `-A ${EXT} -m comment --comment "masquerade LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j CAPSTAN-MARK-MASQ`,
    `-A ${EXT} -m comment --comment "route LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j ${SVC}`,
    `-A ${EXT} -j ${SVL}`,
  ]);
  assert.deepEqual(chain(r, SVL), [`-A ${SVL} -m comment --comment "default/web:http -> 10.42.1.2:8080" -j ${sep('10.42.1.2')}`]);
  assert.equal(chain(r, SVC)?.filter((l) => l.includes('CAPSTAN-SEP-')).length, 2, 'SVC still balances over both, for cluster-IP traffic');
  assert.deepEqual(r.filterExternal, []);
});

test('externalTrafficPolicy Local without local endpoints: the EXT chain keeps the short circuit, external traffic is DROPped', () => {
  const r = servicePortRules(port({ nodePort: 30080, externalIPs: ['192.0.2.10'], externalTrafficLocal: true, endpoints: [ep('10.42.2.2')] }), v4)!;
  assert.ok(chain(r, EXT)!.every((l) => !l.includes(SVL)), 'nothing falls through to a local chain');
  assert.equal(chain(r, SVL), undefined);
  assert.deepEqual(r.filterExternal, [
    '-A CAPSTAN-EXTERNAL-SERVICES -m comment --comment "default/web:http has no local endpoints" -p tcp -m tcp -d 192.0.2.10 --dport 80 -j DROP',
    '-A CAPSTAN-EXTERNAL-SERVICES -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j DROP',
  ]);
  assert.ok(r.natServices.some((l) => l.includes('-d 192.0.2.10') && l.endsWith(`-j ${EXT}`)));
});

test('internalTrafficPolicy Local: the cluster IP goes to SVL; only remote endpoints ⇒ DROP ("has no local endpoints")… unless none anywhere', () => {
  const local = servicePortRules(port({ internalTrafficLocal: true, endpoints: [ep('10.42.1.2', { isLocal: true }), ep('10.42.2.2')] }), v4)!;
  assert.ok(local.natServices[0]!.endsWith(`-j ${SVL}`));
  assert.deepEqual(local.chains.map((c) => c.name).sort(), [SVL, sep('10.42.1.2')].sort(), 'no SVC chain: nothing uses it');
  assert.ok(chain(local, SVL)!.every((l) => !l.includes('MARK-MASQ')));
  const remoteOnly = servicePortRules(port({ internalTrafficLocal: true, endpoints: [ep('10.42.2.2')] }), v4)!;
  assert.deepEqual(remoteOnly.natServices, []);
  assert.match(remoteOnly.filterServices[0]!, /has no endpoints.*-j REJECT/, 'upstream: with only remote endpoints and no external access, nothing is reachable');
  const remoteNodePort = servicePortRules(port({ internalTrafficLocal: true, nodePort: 30080, endpoints: [ep('10.42.2.2')] }), v4)!;
  assert.match(remoteNodePort.filterServices[0]!, /has no local endpoints.*-j DROP$/);
  assert.equal(remoteNodePort.natNodePorts.length, 1, 'external traffic still reaches the remote endpoint');
});

test('sessionAffinity ClientIP: recent --rcheck per endpoint before the random rules; recent --set on the DNAT', () => {
  const r = servicePortRules(port({ sessionAffinityTimeoutSeconds: 10800, endpoints: [ep('10.42.1.2'), ep('10.42.1.3')] }), v4)!;
  assert.deepEqual(chain(r, SVC)!.slice(1), [
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.1.2:8080" -m recent --name ${sep('10.42.1.2')} --rcheck --seconds 10800 --reap -j ${sep('10.42.1.2')}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.1.3:8080" -m recent --name ${sep('10.42.1.3')} --rcheck --seconds 10800 --reap -j ${sep('10.42.1.3')}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.1.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep('10.42.1.2')}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.1.3:8080" -j ${sep('10.42.1.3')}`,
  ]);
  assert.equal(chain(r, sep('10.42.1.3'))![1], `-A ${sep('10.42.1.3')} -m comment --comment "default/web:http" -m recent --name ${sep('10.42.1.3')} --set -p tcp -m tcp -j DNAT --to-destination 10.42.1.3:8080`);
});

test('externalIPs and load-balancer IPs dispatch to EXT on the Service port', () => {
  const r = servicePortRules(port({ externalIPs: ['192.0.2.10'], loadBalancerIPs: ['10.99.0.1'], endpoints: [ep('10.42.1.2')] }), v4)!;
  assert.deepEqual(r.natServices.slice(1), [
    `-A CAPSTAN-SERVICES -m comment --comment "default/web:http external IP" -p tcp -m tcp -d 192.0.2.10 --dport 80 -j ${EXT}`,
    `-A CAPSTAN-SERVICES -m comment --comment "default/web:http loadbalancer IP" -p tcp -m tcp -d 10.99.0.1 --dport 80 -j ${EXT}`,
  ]);
});

test('dual stack: each family sees only its own addresses; IPv6 rejects with icmp6 and DNATs to [ip]:port', () => {
  const sp = port({ clusterIPs: ['10.43.0.5', 'fd43::5'], protocol: 'UDP', key: 'default/web:http/UDP', endpoints: [ep('10.42.1.2'), ep('fd42::2')] });
  const four = servicePortRules(sp, v4)!;
  const six = servicePortRules(sp, { family: 6, clusterCIDR: 'fd42::/56' })!;
  assert.ok(four.natServices[0]!.includes('-d 10.43.0.5') && four.natServices[0]!.includes('-p udp -m udp'));
  assert.ok(six.natServices[0]!.includes('-d fd43::5'));
  assert.ok(six.chains.some((c) => c.lines.some((l) => l.endsWith('-j DNAT --to-destination [fd42::2]:8080'))));
  assert.ok(four.chains.every((c) => c.lines.every((l) => !l.includes('fd42'))));
  const empty = servicePortRules({ ...sp, endpoints: [ep('10.42.1.2')] }, { family: 6 })!;
  assert.match(empty.filterServices[0]!, /REJECT --reject-with icmp6-port-unreachable$/);
});

test('without a cluster CIDR there is no off-cluster masquerade rule (nothing to tell pods from others)', () => {
  const r = servicePortRules(port({ endpoints: [ep('10.42.1.2')] }), { family: 4 })!;
  assert.ok(chain(r, SVC)!.every((l) => !l.includes('MARK-MASQ')));
});
