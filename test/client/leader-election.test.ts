// Leader election on a Lease with short durations against a real in-process server: exactly one
// leader among candidates, a clean stop hands over at once (released lease), a leader that cannot
// renew steps down before anyone else may take over.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/index.js';
import { Client, LeaderElector, loopbackTransport, microTime, type LeaderElectionConfig } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SwitchableTransport, until } from './helpers.js';

let server: TestServer;
before(async () => { server = await startTestServer({ memory: true }); });
after(async () => { await server.stop(); });

const loopback = () => loopbackTransport(server.api.loopback.bind(server.api));
const leases = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true, kind: 'Lease' };
type LeaseSpec = { holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number };
const specOf = (l: KubeObject) => (l.spec ?? {}) as LeaseSpec;

/** Candidates sharing one lease; tracks who leads and how many lead at once. */
function field(name: string, timing: Partial<LeaderElectionConfig>) {
  const leading = new Set<string>();
  let maxConcurrent = 0;
  const started: Record<string, number> = {};
  const stopped: string[] = [];
  const candidate = (identity: string, client = new Client(loopback())) => {
    const elector = new LeaderElector({ client, namespace: 'kube-system', name, identity, ...timing });
    const stop = new AbortController();
    const newLeaders: string[] = [];
    const run = elector.run(stop.signal, {
      onStartedLeading(signal) {
        leading.add(identity);
        started[identity] = Date.now();
        maxConcurrent = Math.max(maxConcurrent, leading.size);
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => { leading.delete(identity); resolve(); }, { once: true }));
      },
      onStoppedLeading: () => stopped.push(identity),
      onNewLeader: (id) => newLeaders.push(id),
    });
    return { identity, elector, stop, run, newLeaders };
  };
  return { candidate, leading, started, stopped, get maxConcurrent() { return maxConcurrent; } };
}

describe('LeaderElector', () => {
  test('one of three candidates leads; a clean stop releases the lease and another takes over at once', async () => {
    const f = field('race', { leaseDurationSeconds: 6, renewDeadlineMs: 3000, retryPeriodMs: 200 });
    const cs = ['a', 'b', 'c'].map((id) => f.candidate(id));
    try {
      await until('a leader', () => f.leading.size === 1);
      await new Promise((r) => setTimeout(r, 700)); // several retry periods: nobody else may win
      assert.equal(f.leading.size, 1);
      const leader = cs.find((c) => f.leading.has(c.identity))!;
      assert.ok(leader.elector.isLeader());
      const lease = await new Client(loopback()).resource(leases).get('kube-system', 'race');
      assert.equal(specOf(lease).holderIdentity, leader.identity);
      assert.equal(specOf(lease).leaseTransitions, 0);
      for (const c of cs) await until(`${c.identity} observed the leader`, () => c.newLeaders.includes(leader.identity));

      const stoppedAt = Date.now();
      leader.stop.abort();
      await leader.run;
      assert.ok(!leader.elector.isLeader());
      assert.deepEqual(f.stopped, [leader.identity]);
      await until('a new leader', () => f.leading.size === 1);
      const next = cs.find((c) => f.leading.has(c.identity))!;
      assert.notEqual(next.identity, leader.identity);
      assert.ok(f.started[next.identity] - stoppedAt < 6000, 'taken over before the lease could have expired');
      const after = await new Client(loopback()).resource(leases).get('kube-system', 'race');
      assert.equal(specOf(after).holderIdentity, next.identity);
      assert.equal(specOf(after).leaseTransitions, 1);
      assert.equal(f.maxConcurrent, 1, 'never two leaders at once');
    } finally {
      for (const c of cs) c.stop.abort();
      await Promise.all(cs.map((c) => c.run));
    }
  });

  test('a leader that cannot renew steps down; the other waits for the lease to expire, then leads', async () => {
    const f = field('partition', { leaseDurationSeconds: 3, renewDeadlineMs: 1500, retryPeriodMs: 250 });
    const link = new SwitchableTransport(loopback());
    const a = f.candidate('a', new Client(link));
    await until('a leads', () => f.leading.has('a'));
    const b = f.candidate('b');
    try {
      await until('b observed a', () => b.newLeaders.includes('a'));
      const cutAt = Date.now();
      link.disconnect();
      await a.run; // resolves once a has given up leadership
      assert.ok(!a.elector.isLeader());
      assert.deepEqual(f.stopped, ['a']);
      assert.ok(Date.now() - cutAt >= 1400, 'kept trying for the renew deadline');
      await until('b leads', () => f.leading.has('b'));
      assert.ok(f.started.b - cutAt >= 2000, 'b waited for the lease to expire on its own clock');
      assert.equal(f.maxConcurrent, 1, 'never two leaders at once');
      assert.ok(b.newLeaders.includes('b'));
      const lease = await new Client(loopback()).resource(leases).get('kube-system', 'partition');
      assert.equal(specOf(lease).holderIdentity, 'b');
      assert.equal(specOf(lease).leaseTransitions, 1);
    } finally {
      a.stop.abort();
      b.stop.abort();
      await Promise.all([a.run, b.run]);
    }
  });

  test('a leader whose lease another party took over steps down instead of taking it back', async () => {
    const f = field('takeover', { leaseDurationSeconds: 6, renewDeadlineMs: 1500, retryPeriodMs: 200 });
    const a = f.candidate('a');
    try {
      await until('a leads', () => f.leading.has('a'));
      // Another party (e.g. an operator, or a candidate with a skewed clock) writes itself in.
      const client = new Client(loopback());
      const lease = await client.resource(leases).get('kube-system', 'takeover');
      const spec = specOf(lease);
      await client.resource(leases).update('kube-system', { ...lease, spec: { ...spec, holderIdentity: 'intruder', renewTime: microTime(Date.now()) } });
      await until('a steps down', () => !a.elector.isLeader()); // it can no longer renew its own lease
      const after = await client.resource(leases).get('kube-system', 'takeover');
      assert.equal(specOf(after).holderIdentity, 'intruder', 'a did not overwrite the new holder');
    } finally {
      a.stop.abort();
      await a.run;
    }
  });

  test('rejects inconsistent durations as upstream; MicroTime has microseconds', () => {
    const client = new Client(loopback());
    assert.throws(() => new LeaderElector({ client, namespace: 'x', name: 'y', identity: 'i', leaseDurationSeconds: 10, renewDeadlineMs: 10_000 }), /leaseDuration/);
    assert.throws(() => new LeaderElector({ client, namespace: 'x', name: 'y', identity: 'i', renewDeadlineMs: 2000, retryPeriodMs: 2000 }), /renewDeadline/);
    assert.throws(() => new LeaderElector({ client, namespace: 'x', name: 'y', identity: '' }), /identity/);
    assert.equal(microTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05.678000Z');
  });
});
