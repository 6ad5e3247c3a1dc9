// The stale-conntrack plan (kube-proxy's pkg/proxy/conntrack cleanup) as scenarios: before → after
// service ports in, `conntrack -D` filters out. Also the CLI runner against a recorded exec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conntrackDeleteArgs, staleConntrackDeletions } from './conntrack.js';
import { ConntrackCleaner, parseDeletedCount, type ExecResult } from './conntrack-runner.js';
import { parseConntrackLine, staleFlowDeletions } from './conntrack-flows.js';
import type { EndpointInfo, ServicePortInfo } from './model.js';

function ep(addr: string, extra: Partial<EndpointInfo> = {}): EndpointInfo {
  const i = addr.lastIndexOf(':');
  return { ip: addr.slice(0, i), port: Number(addr.slice(i + 1)), ready: true, serving: true, terminating: false, isLocal: true, ...extra };
}

function sp(extra: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    key: 'ns/dns:dns/UDP', namespace: 'ns', name: 'dns', portName: 'dns', protocol: 'UDP', clusterIPs: ['10.43.0.10'], port: 53,
    externalIPs: [], loadBalancerIPs: [], internalTrafficLocal: false, externalTrafficLocal: false, endpoints: [], ...extra,
  };
}

const map = (...ports: ServicePortInfo[]) => new Map(ports.map((p) => [p.key, p]));
const plan = (before: ServicePortInfo[], after: ServicePortInfo[], changed?: ReadonlySet<string>) =>
  staleConntrackDeletions(map(...before), map(...after), changed).map((d) => conntrackDeleteArgs(d).join(' ')).sort();

test('an endpoint that went away: flows to the cluster IP answered by it are deleted, the others kept', () => {
  assert.deepEqual(plan([sp({ endpoints: [ep('10.42.0.5:5353'), ep('10.42.1.5:5353')] })], [sp({ endpoints: [ep('10.42.1.5:5353')] })]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.42.0.5 --reply-port-src 5353',
  ]);
});

test('one endpoint replaced by another (A → B) deletes the flows to A only', () => {
  assert.deepEqual(plan([sp({ endpoints: [ep('10.99.1.1:5353')] })], [sp({ endpoints: [ep('10.99.1.2:5353')] })]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.1.1 --reply-port-src 5353',
  ]);
});

test('the endpoint port changing makes the old ip:port stale', () => {
  assert.deepEqual(plan([sp({ endpoints: [ep('10.42.0.5:5353')] })], [sp({ endpoints: [ep('10.42.0.5:5354')] })]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.42.0.5 --reply-port-src 5353',
  ]);
});

test('no usable endpoints → some: every flow to the frontend goes (entries made while rejecting), NodePort included', () => {
  const before = sp({ nodePort: 30053, externalIPs: ['192.0.2.7'], loadBalancerIPs: ['192.0.2.8'], endpoints: [ep('10.42.0.5:5353', { ready: false, serving: false })] });
  const after = sp({ nodePort: 30053, externalIPs: ['192.0.2.7'], loadBalancerIPs: ['192.0.2.8'], endpoints: [ep('10.42.0.5:5353')] });
  assert.deepEqual(plan([before], [after]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53',
    '-D -f ipv4 -p udp --orig-dst 192.0.2.7 --orig-port-dst 53',
    '-D -f ipv4 -p udp --orig-dst 192.0.2.8 --orig-port-dst 53',
    '-D -f ipv4 -p udp --orig-port-dst 30053',
  ]);
});

test('a new UDP Service with endpoints is newly active; a new one without endpoints is not', () => {
  assert.deepEqual(plan([], [sp({ endpoints: [ep('10.42.0.5:5353')] })]), ['-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53']);
  assert.deepEqual(plan([], [sp()]), []);
});

test('a Service deleted, or its cluster IP changed, deletes every flow to the old frontend', () => {
  const old = sp({ nodePort: 30053, endpoints: [ep('10.42.0.5:5353')] });
  assert.deepEqual(plan([old], []), ['-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53', '-D -f ipv4 -p udp --orig-port-dst 30053']);
  assert.deepEqual(plan([old], [sp({ nodePort: 30053, clusterIPs: ['10.43.0.11'], endpoints: [ep('10.42.0.5:5353')] })]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53',
    '-D -f ipv4 -p udp --orig-dst 10.43.0.11 --orig-port-dst 53',
  ], 'old VIP removed, new VIP newly active; the NodePort and its endpoint are unchanged');
});

test('all endpoints gone: the flows DNATed to them are deleted (so the client is rejected from now on)', () => {
  assert.deepEqual(plan([sp({ nodePort: 30053, endpoints: [ep('10.42.0.5:5353')] })], [sp({ nodePort: 30053 })]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.42.0.5 --reply-port-src 5353',
    '-D -f ipv4 -p udp --orig-port-dst 30053 --reply-src 10.42.0.5 --reply-port-src 5353',
  ]);
});

test('a serving terminating endpoint keeps its flows (graceful termination); it goes once no longer serving', () => {
  const a = ep('10.42.0.5:5353');
  const b = ep('10.42.1.5:5353');
  const terminating = ep('10.42.0.5:5353', { ready: false, serving: true, terminating: true });
  assert.deepEqual(plan([sp({ endpoints: [a, b] })], [sp({ endpoints: [terminating, b] })]), []);
  const gone = ep('10.42.0.5:5353', { ready: false, serving: false, terminating: true });
  assert.deepEqual(plan([sp({ endpoints: [terminating, b] })], [sp({ endpoints: [gone, b] })]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.42.0.5 --reply-port-src 5353',
  ]);
});

test('TCP service ports are left alone; SCTP ones are handled like UDP', () => {
  assert.deepEqual(plan([sp({ key: 'ns/web:http/TCP', protocol: 'TCP', endpoints: [ep('10.42.0.5:80')] })], [sp({ key: 'ns/web:http/TCP', protocol: 'TCP' })]), []);
  assert.deepEqual(plan([sp({ key: 'k/SCTP', protocol: 'SCTP', endpoints: [ep('10.42.0.5:9')] })], [sp({ key: 'k/SCTP', protocol: 'SCTP', endpoints: [ep('10.42.0.6:9')] })]), [
    '-D -f ipv4 -p sctp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.42.0.5 --reply-port-src 9',
  ]);
});

test('traffic policies do not cut flows: an endpoint turned remote under a Local policy keeps them (as upstream)', () => {
  const before = sp({ nodePort: 30053, externalTrafficLocal: true, internalTrafficLocal: true, endpoints: [ep('10.42.0.5:5353'), ep('10.42.1.5:5353')] });
  const after = sp({ nodePort: 30053, externalTrafficLocal: true, internalTrafficLocal: true, endpoints: [ep('10.42.0.5:5353'), ep('10.42.1.5:5353', { isLocal: false })] });
  assert.deepEqual(plan([before], [after]), []);
});

test('a port renamed within one sync (new key, same frontend) is not treated as new', () => {
  const before = sp({ key: 'ns/dns:dns/UDP', endpoints: [ep('10.42.0.5:5353')] });
  const after = sp({ key: 'ns/dns:domain/UDP', portName: 'domain', endpoints: [ep('10.42.0.5:5353')] });
  assert.deepEqual(plan([before], [after], new Set([before.key, after.key])), []);
});

test('changed narrows the work to those keys; unchanged ports and headless Services yield nothing', () => {
  const a = sp({ endpoints: [ep('10.42.0.5:5353')] });
  const b = sp({ key: 'ns/other:dns/UDP', clusterIPs: ['10.43.0.20'], endpoints: [ep('10.42.0.6:5353')] });
  const b2 = { ...b, endpoints: [ep('10.42.0.7:5353')] };
  assert.deepEqual(plan([a, b], [a, b2], new Set()), [], 'nothing changed says the caller');
  assert.equal(plan([a, b], [a, b2], new Set([b.key])).length, 1);
  assert.deepEqual(plan([a, b], [a, b]), [], 'a full resync of the same state deletes nothing');
  assert.deepEqual(plan([a, b], [structuredClone(a), structuredClone(b)]), [], 'nor does a rebuild with equal contents');
  assert.deepEqual(plan([a, b], [structuredClone(a), b2]), ['-D -f ipv4 -p udp --orig-dst 10.43.0.20 --orig-port-dst 53 --reply-src 10.42.0.6 --reply-port-src 5353'],
    'a full resync finds the one port that changed');
  assert.deepEqual(plan([sp({ clusterIPs: [], endpoints: [ep('10.42.0.5:5353')] })], [sp({ clusterIPs: [] })]), []);
});

test('IPv6: family from the address; a dual-stack NodePort is cleared in both families', () => {
  const before = sp({ clusterIPs: ['10.43.0.10', 'fd00:43::a'], nodePort: 30053 });
  const after = sp({ clusterIPs: ['10.43.0.10', 'fd00:43::a'], nodePort: 30053, endpoints: [ep('10.42.0.5:5353')] });
  assert.deepEqual(plan([before], [after]), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53',
    '-D -f ipv4 -p udp --orig-port-dst 30053',
    '-D -f ipv6 -p udp --orig-dst fd00:43::a --orig-port-dst 53',
    '-D -f ipv6 -p udp --orig-port-dst 30053',
  ]);
  const v6 = (e: string) => sp({ clusterIPs: ['fd00:43::a'], endpoints: [ep(e)] });
  assert.deepEqual(plan([v6('fd00:42::5:5353')], [v6('fd00:42::6:5353')]), [
    '-D -f ipv6 -p udp --orig-dst fd00:43::a --orig-port-dst 53 --reply-src fd00:42::5 --reply-port-src 5353',
  ]);
});

interface Recorded { file: string; argv: string[] }

function recorder(answer: (argv: string[]) => ExecResult) {
  const calls: Recorded[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const exec = async (file: string, argv: string[], onLine?: (line: string) => void): Promise<ExecResult> => {
    calls.push({ file, argv });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    const r = answer(argv);
    if (onLine) for (const line of r.stdout.split('\n')) onLine(line);
    return r;
  };
  return { calls, exec, max: () => maxInFlight };
}

const LISTING = [
  'udp      17 25 src=10.99.0.254 dst=10.43.0.10 sport=40000 dport=53 src=10.99.1.1 dst=10.99.0.254 sport=53 dport=40000 [ASSURED] mark=0 use=1',
  'udp      17 29 src=10.99.0.254 dst=10.43.0.10 sport=40001 dport=53 [UNREPLIED] src=10.99.1.7 dst=10.99.0.254 sport=53 dport=40001 mark=0 use=1',
].join('\n');

test('the runner: the first call reconciles with the kernel listing; later calls diff, in the netns, bounded, counted', async () => {
  const rec = recorder((argv) => argv.includes('--version') ? { code: 0, stdout: 'conntrack v1.4.7', stderr: '' }
    : argv.includes('-L') ? { code: 0, stdout: LISTING, stderr: 'conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.\n' }
      : argv.includes('10.99.1.1') || argv.includes('10.99.1.7') ? { code: 0, stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted.\n' }
        : { code: 1, stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n' });
  const logs: string[] = [];
  const cleaner = new ConntrackCleaner({ netns: 'capt-x', log: (m) => logs.push(m), concurrency: 2, exec: rec.exec });
  const eps = ['10.99.1.1:53', '10.99.1.2:53', '10.99.1.3:53', '10.99.1.4:53'];
  assert.deepEqual(await cleaner.afterSync(map(sp({ endpoints: eps.map((e) => ep(e)) })), 'all'), { deletions: 1, flowsDeleted: 2, failures: 0 });
  assert.deepEqual(rec.calls.map((c) => c.argv.slice(3).join(' ')), [
    '', 'conntrack -L -f ipv4 -p udp',
    'conntrack -D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.1.7 --reply-port-src 53',
  ], 'probe, list, then only the flow not answered by an endpoint goes');
  rec.calls.length = 0;
  const r = await cleaner.afterSync(map(sp({ endpoints: [ep('10.99.1.9:53')] })), 'all');
  assert.deepEqual(r, { deletions: 4, flowsDeleted: 2, failures: 0 }, 'exit 1 with 0 deleted is no failure');
  assert.equal(rec.calls.filter((c) => c.argv.includes('-L')).length, 0, 'no listing after the first sync');
  for (const c of rec.calls) {
    assert.equal(c.file, 'ip');
    assert.deepEqual(c.argv.slice(0, 4), ['netns', 'exec', 'capt-x', 'conntrack']);
  }
  assert.equal(rec.max(), 2, 'at most `concurrency` at once');
  assert.equal(logs.length, 2);
  assert.match(logs[0]!, /^conntrack: deleted 2 stale flows \(1 filters\) in \d+ ms$/);
  assert.match(logs[1]!, /^conntrack: deleted 2 stale flows \(4 filters\) in \d+ ms$/);
});

test('the first-sync reconcile: flows not answered by a serving endpoint go, NodePort by port on other addresses', () => {
  assert.deepEqual(parseConntrackLine(LISTING.split('\n')[1]!), { protocol: 'UDP', origDst: '10.43.0.10', origPortDst: 53, replySrc: '10.99.1.7', replyPortSrc: 53 });
  assert.deepEqual(parseConntrackLine('ipv4     2 udp      17 25 src=1.1.1.1 dst=10.43.0.10 sport=1 dport=53 src=10.42.0.5 dst=1.1.1.1 sport=5353 dport=1 mark=0 use=1')?.replySrc, '10.42.0.5');
  assert.equal(parseConntrackLine('tcp      6 431999 ESTABLISHED src=1.1.1.1 dst=10.43.0.1 sport=1 dport=443 src=10.42.0.5 dst=1.1.1.1 sport=6443 dport=1'), undefined);
  assert.equal(parseConntrackLine('conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.'), undefined);
  const ports = map(sp({ nodePort: 30053, endpoints: [ep('10.42.0.5:5353'), ep('10.42.0.6:5353', { ready: false, serving: false })] }),
    sp({ key: 'ns/empty:dns/UDP', clusterIPs: ['10.43.0.20'] }),
    sp({ key: 'ns/high:p/UDP', clusterIPs: ['10.43.0.30'], port: 30053, endpoints: [ep('10.42.0.9:30053')] }));
  const line = (dst: string, dport: number, rsrc: string, rsport: number) => `udp 17 29 src=10.99.0.254 dst=${dst} sport=40000 dport=${dport} src=${rsrc} dst=10.99.0.254 sport=${rsport} dport=40000 mark=0 use=1`;
  const listing = [
    line('10.43.0.10', 53, '10.42.0.5', 5353), // serving endpoint: kept
    line('10.43.0.10', 53, '10.42.0.6', 5353), // not serving: goes
    line('10.43.0.10', 53, '10.43.0.10', 53), // never NATed (made while rejecting): goes
    line('10.43.0.10', 53, '10.42.0.5', 5353), // duplicate entry from another client: kept
    line('10.43.0.20', 53, '10.43.0.20', 53), // no endpoints now: kept (fails either way)
    line('10.99.0.254', 30053, '10.42.0.7', 5353), // NodePort on a node address, gone endpoint: goes by port
    line('10.43.0.30', 30053, '10.42.0.9', 30053), // another Service whose port equals the NodePort: kept
    line('192.0.2.1', 9999, '192.0.2.1', 9999), // not a Service: kept
  ].join('\n');
  assert.deepEqual(staleFlowDeletions(listing, ports).map((d) => conntrackDeleteArgs(d).join(' ')).sort(), [
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.42.0.6 --reply-port-src 5353',
    '-D -f ipv4 -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.43.0.10 --reply-port-src 53',
    '-D -f ipv4 -p udp --orig-port-dst 30053 --reply-src 10.42.0.7 --reply-port-src 5353',
  ]);
});

test('the runner: a failure is logged and counted, never thrown; a missing binary is logged once and skipped', async () => {
  const logs: string[] = [];
  const failing = recorder((argv) => argv.includes('--version') ? { code: 0, stdout: '', stderr: '' } : { code: 2, stdout: '', stderr: 'conntrack: Operation not permitted' });
  const c1 = new ConntrackCleaner({ log: (m) => logs.push(m), exec: failing.exec });
  await c1.afterSync(map(sp({ endpoints: [ep('10.99.1.1:53'), ep('10.99.1.2:53'), ep('10.99.1.3:53')] })), 'all');
  assert.match(logs.join('\n'), /conntrack -L -f ipv4 -p udp failed \(exit 2\)/, 'a failed listing is logged');
  logs.length = 0;
  assert.deepEqual(await c1.afterSync(map(sp()), 'all'), { deletions: 3, flowsDeleted: 0, failures: 3 });
  assert.equal(logs.length, 2, 'one failure line and the summary, not one line per filter');
  assert.match(logs[0]!, /conntrack -D .* failed \(exit 2\): conntrack: Operation not permitted/);
  assert.match(logs[1]!, /3 filters, 3 failed/);

  logs.length = 0;
  const missing = recorder(() => ({ code: -1, stdout: '', stderr: 'spawn conntrack ENOENT', missing: true }));
  const c2 = new ConntrackCleaner({ log: (m) => logs.push(m), exec: missing.exec });
  await c2.afterSync(map(sp({ endpoints: [ep('10.99.1.1:53')] })), 'all');
  await c2.afterSync(map(sp()), 'all');
  await c2.afterSync(map(sp({ endpoints: [ep('10.99.1.2:53')] })), 'all');
  assert.equal(missing.calls.length, 1, 'probed once, then skipped');
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /not usable .*install the conntrack package/);
});

test('parseDeletedCount reads conntrack\'s summary line', () => {
  assert.equal(parseDeletedCount('conntrack v1.4.7 (conntrack-tools): 3 flow entries have been deleted.\n'), 3);
  assert.equal(parseDeletedCount(''), 0);
});

