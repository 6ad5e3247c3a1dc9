// Restore plans and their text: what a full and a partial sync write, the jumps into the built-in
// chains, reading iptables-save output back, and the cleanup transaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServicePortInfo } from '../model.js';
import { endpointChain, serviceChain } from './chain-names.js';
import { batchPlan, dispatchEdits, fullSyncPlan, JUMPS, partialSyncPlan, renderRestore } from './rules.js';
import { cleanupRestore, missingJumps, ownChains, parseSave } from './saved-rules.js';
import { servicePortRules, type ServicePortRules } from './service-rules.js';

function port(name: string, ip: string, endpoints: string[], nodePort?: number): ServicePortRules {
  const sp: ServicePortInfo = {
    key: `default/${name}:/TCP`, namespace: 'default', name, portName: '', protocol: 'TCP', clusterIPs: [ip], port: 80, nodePort,
    externalIPs: [], loadBalancerIPs: [], internalTrafficLocal: false, externalTrafficLocal: false,
    endpoints: endpoints.map((e) => ({ ip: e, port: 8080, ready: true, serving: true, terminating: false, isLocal: false })),
  };
  return servicePortRules(sp, { family: 4, clusterCIDR: '10.42.0.0/16' })!;
}

const a = port('a', '10.43.0.5', ['10.42.1.2', '10.42.1.3'], 30080);
const b = port('b', '10.43.0.6', []);
const c = port('c', '10.43.0.7', ['10.42.1.9']);

test('full sync declares every chain of ours (fixed and per service), writes them, inserts missing jumps, deletes stale chains', () => {
  const stale = { nat: ['CAPSTAN-SVC-AAAAAAAAAAAAAAAA', serviceChain(a.key)], filter: [] };
  const text = renderRestore(fullSyncPlan([c, a, b], 4, stale, JUMPS));
  const lines = text.split('\n');
  const nat = lines.slice(lines.indexOf('*nat'));
  const filter = lines.slice(lines.indexOf('*filter'), lines.indexOf('*nat'));
  for (const chain of ['CAPSTAN-SERVICES', 'CAPSTAN-NODEPORTS', 'CAPSTAN-POSTROUTING', 'CAPSTAN-MARK-MASQ', serviceChain(a.key), endpointChain(a.key, '10.42.1.2', 8080), serviceChain(c.key)]) {
    assert.ok(nat.includes(`:${chain} - [0:0]`), `declares ${chain}`);
  }
  for (const chain of ['CAPSTAN-SERVICES', 'CAPSTAN-EXTERNAL-SERVICES', 'CAPSTAN-FORWARD']) assert.ok(filter.includes(`:${chain} - [0:0]`));
  assert.ok(nat.includes('-X CAPSTAN-SVC-AAAAAAAAAAAAAAAA'), 'a stale chain is deleted');
  assert.ok(!nat.includes(`-X ${serviceChain(a.key)}`), 'a wanted chain is never deleted');
  assert.ok(nat.indexOf(':CAPSTAN-SVC-AAAAAAAAAAAAAAAA - [0:0]') < nat.indexOf('-X CAPSTAN-SVC-AAAAAAAAAAAAAAAA'), 'flushed before deleted');
  assert.ok(nat.includes('-I PREROUTING 1 -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES'));
  assert.ok(filter.includes('-I OUTPUT 1 -m conntrack --ctstate NEW -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES'));
  assert.ok(!lines.some((l) => /^:(PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) /.test(l)), 'built-in chains are never declared (that would flush them)');
  // Dispatch in key order, the NodePort tail call last.
  const services = nat.filter((l) => l.startsWith('-A CAPSTAN-SERVICES '));
  assert.match(services[0]!, /-d 10\.43\.0\.5 /);
  assert.match(services[1]!, /-d 10\.43\.0\.7 /);
  assert.match(services.at(-1)!, /-m addrtype --dst-type LOCAL ! -d 127\.0\.0\.0\/8 -j CAPSTAN-NODEPORTS$/);
  assert.ok(filter.some((l) => l.startsWith('-A CAPSTAN-SERVICES ') && l.includes('-d 10.43.0.6') && l.includes('REJECT')));
  assert.equal(lines.filter((l) => l === 'COMMIT').length, 2);
});

test('partial sync: only the changed chains written, dispatch entries edited in place, removed chains deleted last', () => {
  const a2 = port('a', '10.43.0.5', ['10.42.1.3'], 30080);
  const gone = endpointChain(a.key, '10.42.1.2', 8080);
  const moved = renderRestore(partialSyncPlan([a2], [gone], [dispatchEdits(a, a2)])).split('\n');
  assert.ok(moved.includes(`:${serviceChain(a.key)} - [0:0]`));
  assert.ok(!moved.includes(`:${serviceChain(c.key)} - [0:0]`), 'an unchanged port\'s chain is not touched');
  assert.ok(!moved.some((l) => l.includes('CAPSTAN-SERVICES') || l.includes('CAPSTAN-NODEPORTS')), 'a still dispatches the same way: dispatch chains untouched');
  assert.ok(!moved.includes('*filter'), 'nothing to do in filter: table left out');
  assert.ok(!moved.some((l) => /^:CAPSTAN-(POSTROUTING|MARK-MASQ|FORWARD) /.test(l)), 'static chains are left alone');
  assert.ok(!moved.some((l) => l.startsWith('-I ')), 'jumps only on full sync');
  assert.equal(moved.at(-3), `-X ${gone}`);

  // a drains: its nat entries go (by spec), a REJECT appears in filter, its chains are deleted.
  const drained = port('a', '10.43.0.5', [], 30080);
  const text = renderRestore(partialSyncPlan([drained], drained.chains.length ? [] : a.chains.map((ch) => ch.name), [dispatchEdits(a, drained)])).split('\n');
  const natPart = text.slice(text.indexOf('*nat'));
  for (const l of [...a.natServices, ...a.natNodePorts]) assert.ok(natPart.includes(l.replace(/^-A /, '-D ')), `deletes ${l}`);
  assert.ok(natPart.indexOf(a.natServices[0]!.replace(/^-A /, '-D ')) < natPart.indexOf(`-X ${serviceChain(a.key)}`), 'entries go before the chains they point at');
  const filterPart = text.slice(text.indexOf('*filter'), text.indexOf('*nat'));
  assert.ok(filterPart.some((l) => l.startsWith('-A CAPSTAN-SERVICES') && l.includes('-d 10.43.0.5') && l.includes('REJECT')));
  assert.ok(filterPart.some((l) => l.startsWith('-A CAPSTAN-EXTERNAL-SERVICES') && l.includes('--dport 30080') && l.includes('REJECT')));

  // a comes back: its cluster-IP entry is inserted at the top, ahead of the NodePort tail call.
  const back = dispatchEdits(drained, a);
  assert.ok(back.nat.add.some((l) => l.startsWith('-I CAPSTAN-SERVICES 1 ') && l.includes('-d 10.43.0.5')));
  assert.ok(back.nat.add.some((l) => l.startsWith('-A CAPSTAN-NODEPORTS ')));
  assert.equal(back.filter.remove.length, 2);
  assert.deepEqual(dispatchEdits(a, a2), { nat: { remove: [], add: [] }, filter: { remove: [], add: [] } });
});

test('iptables-save output: our chains, present jumps (matches reordered by iptables-save), and nothing else', () => {
  const saved = parseSave([
    '# Generated by iptables-save',
    '*nat', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':CAPSTAN-SERVICES - [0:0]', ':CAPSTAN-SVC-ABCDEFGHIJKLMNOP - [0:0]', ':CNI-HOSTPORT-DNAT - [0:0]',
    '-A PREROUTING -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES',
    '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
    '-A OUTPUT -m comment --comment "someone else" -j CAPSTAN-SERVICES',
    'COMMIT',
    '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':CAPSTAN-SERVICES - [0:0]',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES',
    'COMMIT',
  ].join('\n'));
  assert.deepEqual(ownChains(saved, 'nat').sort(), ['CAPSTAN-SERVICES', 'CAPSTAN-SVC-ABCDEFGHIJKLMNOP']);
  const missing = missingJumps(saved, JUMPS).map((j) => `${j.table} ${j.chain} ${j.target}`);
  assert.ok(!missing.includes('nat PREROUTING CAPSTAN-SERVICES'));
  assert.ok(missing.includes('nat OUTPUT CAPSTAN-SERVICES'), 'a jump without our comment does not count');
  assert.ok(!missing.includes('filter OUTPUT CAPSTAN-SERVICES'));
  assert.ok(missing.includes('nat POSTROUTING CAPSTAN-POSTROUTING'));

  const cleanup = cleanupRestore(saved).split('\n');
  assert.ok(cleanup.includes('-D PREROUTING -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES'));
  assert.ok(cleanup.includes('-D OUTPUT -m comment --comment "someone else" -j CAPSTAN-SERVICES'), 'every jump into our chains goes');
  assert.ok(cleanup.includes('-X CAPSTAN-SVC-ABCDEFGHIJKLMNOP') && cleanup.includes('-X CAPSTAN-SERVICES'));
  assert.ok(!cleanup.some((l) => l.includes('CNI-HOSTPORT')), 'other software\'s chains and jumps stay');
  assert.equal(cleanupRestore(parseSave('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n')), '', 'nothing of ours: nothing to run');
});

test('a large full sync is split into batches that never jump to a chain not yet written; dispatch, jumps and deletions come last', () => {
  const many = Array.from({ length: 30 }, (_, i) => port(`s${i}`, `10.43.1.${i + 1}`, ['10.42.1.2', '10.42.1.3', '10.42.1.4'], 30000 + i));
  const plan = fullSyncPlan(many, 4, { nat: ['CAPSTAN-SVC-AAAAAAAAAAAAAAAA'], filter: [] }, JUMPS);
  assert.deepEqual(batchPlan(plan, 1000), [plan], 'within the limit: one atomic transaction');
  const batches = batchPlan(plan, 10);
  assert.ok(batches.length > 10);
  const written = new Set<string>();
  for (const b of batches) {
    assert.ok(b.nat.chains.length <= 10 || b === batches.at(-1));
    for (const c of b.nat.chains) written.add(c.name);
    for (const c of b.nat.chains) {
      for (const line of c.lines) {
        const target = / -j (CAPSTAN-\S+)/.exec(line)?.[1];
        if (target) assert.ok(written.has(target), `${c.name} jumps to ${target}, written by now`);
      }
    }
  }
  assert.equal(written.size, plan.nat.chains.length, 'every chain written once');
  const last = batches.at(-1)!;
  assert.deepEqual(last.nat.chains.map((c) => c.name), ['CAPSTAN-SERVICES', 'CAPSTAN-NODEPORTS']);
  assert.deepEqual(last.nat.deleteChains, ['CAPSTAN-SVC-AAAAAAAAAAAAAAAA']);
  assert.equal(last.nat.insertJumps.length, 3);
  assert.ok(batches.slice(0, -1).every((b) => b.nat.deleteChains.length === 0 && b.nat.insertJumps.length === 0 && b.filter.chains.length === 0));
});

test('per-service chain names fit the kernel limit and are stable', () => {
  assert.equal(serviceChain('default/a:/TCP'), serviceChain('default/a:/TCP'));
  assert.notEqual(serviceChain('default/a:/TCP'), serviceChain('default/a:/UDP'));
  assert.match(serviceChain('some-very-long-namespace-name/a-very-long-service-name:and-a-long-port/SCTP'), /^CAPSTAN-SVC-[A-Z2-7]{16}$/);
  assert.equal(endpointChain('k', '10.0.0.1', 80).length, 28);
});
