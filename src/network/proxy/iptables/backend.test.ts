// The backend's sync decisions with a recording runner in place of the commands: full before
// partial, partial contents, no-op syncs, falling back to full after a failed partial, full when
// the cluster CIDRs change, IPv6 only when needed, cleanup of both families.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProxyState, ServicePortInfo } from '../model.js';
import { createIptablesBackend } from './backend.js';
import { endpointChain, serviceChain } from './chain-names.js';
import type { IptablesRunner } from './runner.js';
import type { Family } from './service-rules.js';

class FakeRunner implements IptablesRunner {
  saves: Family[] = [];
  restores: Array<{ family: Family; input: string }> = [];
  failNextRestore = false;
  savedText = '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n';
  ip6Missing = false;
  save(family: Family): Promise<string | undefined> {
    this.saves.push(family);
    return Promise.resolve(family === 6 && this.ip6Missing ? undefined : this.savedText);
  }
  restore(family: Family, input: string): Promise<void> {
    if (this.failNextRestore) {
      this.failNextRestore = false;
      return Promise.reject(new Error('iptables-restore: line 3 failed'));
    }
    this.restores.push({ family, input });
    return Promise.resolve();
  }
}

function sp(name: string, ips: string[], endpoints: string[]): ServicePortInfo {
  return {
    key: `default/${name}:/TCP`, namespace: 'default', name, portName: '', protocol: 'TCP', clusterIPs: ips, port: 80,
    externalIPs: [], loadBalancerIPs: [], internalTrafficLocal: false, externalTrafficLocal: false,
    endpoints: endpoints.map((ip) => ({ ip, port: 8080, ready: true, serving: true, terminating: false, isLocal: false })),
  };
}

function state(ports: ServicePortInfo[], clusterCIDRs = ['10.42.0.0/16']): ProxyState {
  return { nodeName: 'n1', nodeIPs: ['10.99.0.1'], clusterCIDRs, servicePorts: new Map(ports.map((p) => [p.key, p])) };
}

const A = 'default/a:/TCP';
const B = 'default/b:/TCP';

test('the first sync is full even when given changed keys; later ones are partial and write only what changed', async () => {
  const runner = new FakeRunner();
  const backend = createIptablesBackend({ runner });
  assert.equal(backend.mode, 'iptables');
  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.2']), sp('b', ['10.43.0.6'], ['10.42.1.7'])]), new Set([A]));
  assert.deepEqual(runner.saves, [4], 'full sync reads the kernel; no IPv6 wanted');
  assert.match(runner.restores[0]!.input, /^-I PREROUTING 1 /m);
  assert.ok(runner.restores[0]!.input.includes(`:${serviceChain(B)} - [0:0]`));

  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.3']), sp('b', ['10.43.0.6'], ['10.42.1.7'])]), new Set([A]));
  assert.deepEqual(runner.saves, [4], 'a partial sync does not read the kernel');
  const partial = runner.restores[1]!.input;
  assert.ok(partial.includes(`:${serviceChain(A)} - [0:0]`) && !partial.includes(`:${serviceChain(B)} - [0:0]`));
  assert.ok(partial.includes(`-X ${endpointChain(A, '10.42.1.2', 8080)}`), 'the old endpoint chain goes');
  assert.ok(partial.includes(`-j ${serviceChain(B)}`), 'b stays in the dispatch list');

  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.3']), sp('b', ['10.43.0.6'], ['10.42.1.7'])]), new Set([A, B]));
  assert.equal(runner.restores.length, 2, 'nothing changed: no restore at all');

  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.3'])]), new Set([B]));
  const removal = runner.restores[2]!.input;
  assert.ok(removal.includes(`-X ${serviceChain(B)}`) && !removal.includes(`-j ${serviceChain(B)}`), 'a removed port: chains deleted, dispatch entry gone');
});

test('a failed partial sync falls back to a full one; a failed full sync makes the next sync full again', async () => {
  const runner = new FakeRunner();
  const logs: string[] = [];
  const backend = createIptablesBackend({ runner, log: (m) => logs.push(m) });
  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.2'])]), 'all');
  runner.failNextRestore = true;
  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.3'])]), new Set([A]));
  assert.deepEqual(runner.saves, [4, 4], 'the fallback re-read the kernel');
  assert.ok(runner.restores.at(-1)!.input.includes('-I PREROUTING 1'), 'and wrote everything');
  assert.match(logs.join('\n'), /partial sync failed/);

  const failing = new FakeRunner();
  failing.failNextRestore = true;
  const b2 = createIptablesBackend({ runner: failing });
  await assert.rejects(b2.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.2'])]), new Set([A])), /line 3 failed/);
  await b2.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.2'])]), new Set([A]));
  assert.deepEqual(failing.saves, [4, 4], 'after the failed full sync, the next one is full too');
});

test('a change of cluster CIDR rewrites everything (every off-cluster masquerade rule depends on it)', async () => {
  const runner = new FakeRunner();
  const backend = createIptablesBackend({ runner });
  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.2'])]), 'all');
  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.2'])], ['10.50.0.0/16']), new Set());
  assert.deepEqual(runner.saves, [4, 4]);
  assert.ok(runner.restores[1]!.input.includes('! -s 10.50.0.0/16'));
});

test('IPv6 is programmed with ip6tables once a v6 cluster IP appears, and kept in sync until it goes', async () => {
  const runner = new FakeRunner();
  const backend = createIptablesBackend({ runner });
  await backend.sync(state([sp('a', ['10.43.0.5', 'fd43::5'], ['10.42.1.2', 'fd42::2'])], ['10.42.0.0/16', 'fd42::/56']), 'all');
  assert.deepEqual(runner.restores.map((r) => r.family), [4, 6]);
  assert.ok(runner.restores[1]!.input.includes('-d fd43::5') && runner.restores[1]!.input.includes('! -d ::1/128'));
  await backend.sync(state([sp('a', ['10.43.0.5'], ['10.42.1.2'])], ['10.42.0.0/16', 'fd42::/56']), new Set([A]));
  assert.ok(runner.restores.at(-1)!.family === 6 && runner.restores.at(-1)!.input.includes(`-X ${serviceChain(A)}`), 'the v6 rules of a are removed');
});

test('a missing ip6tables disables IPv6 with one log line instead of failing the sync', async () => {
  const runner = new FakeRunner();
  runner.ip6Missing = true;
  const logs: string[] = [];
  const backend = createIptablesBackend({ runner, log: (m) => logs.push(m) });
  await backend.sync(state([sp('a', ['10.43.0.5', 'fd43::5'], ['10.42.1.2'])]), 'all');
  await backend.sync(state([sp('a', ['10.43.0.5', 'fd43::5'], ['10.42.1.3'])]), 'all');
  assert.deepEqual(runner.restores.map((r) => r.family), [4, 4]);
  assert.equal(logs.filter((l) => l.includes('ip6tables')).length, 1);
});

test('cleanup removes our chains and jumps in both families; with nothing of ours it runs no restore', async () => {
  const runner = new FakeRunner();
  const backend = createIptablesBackend({ runner });
  await backend.cleanup();
  assert.deepEqual(runner.saves, [4, 6]);
  assert.equal(runner.restores.length, 0);
  runner.savedText = '*nat\n:PREROUTING ACCEPT [0:0]\n:CAPSTAN-SERVICES - [0:0]\n-A PREROUTING -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES\nCOMMIT\n';
  await backend.cleanup();
  assert.deepEqual(runner.restores.map((r) => r.family), [4, 6]);
  assert.equal(runner.restores[0]!.input, '*nat\n:CAPSTAN-SERVICES - [0:0]\n-D PREROUTING -m comment --comment "capstan service portals" -j CAPSTAN-SERVICES\n-X CAPSTAN-SERVICES\nCOMMIT\n');
  // After a cleanup the backend forgets what it wrote: the next sync is full.
  await backend.sync(state([]), new Set());
  assert.equal(runner.saves.length, 5);
});
