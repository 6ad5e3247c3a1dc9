// Probe workers on a ManualClock over the fake runtime's exec: initial delay, period, thresholds,
// liveness hold after a failure, startup gating, and Unhealthy events with upstream's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import type { Pod } from '../../api/index.js';
import { FakeRuntime } from '../../runtime/index.js';
import { runtimeStateByPod } from '../pods/runtime-state.js';
import { podLabels } from '../pods/labels.js';
import type { Container } from '../pods/runtime-state.js';
import { ProbeManager } from './probe-manager.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

async function setup(container: Container) {
  const clock = new ManualClock(1_000_000);
  const runtime = new FakeRuntime({ clock });
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [container] } };
  const sb = await runtime.runPodSandbox({ name: 'p', namespace: 'ns', uid: 'u1', labels: podLabels(pod) });
  const id = await runtime.createContainer(sb, { name: container.name ?? '', image: 'img' });
  await runtime.startContainer(id);
  let healthy = true;
  runtime.execHandler = () => ({ exitCode: healthy ? 0 : 1, stdout: Buffer.from(healthy ? '' : 'sick'), stderr: Buffer.alloc(0) });
  const changes: string[] = [];
  const events: string[] = [];
  const manager = new ProbeManager({ runtime, clock, onChange: (uid) => changes.push(uid), event: (_p, _c, _t, reason, msg) => events.push(`${reason}: ${msg}`) });
  manager.update(pod, (await runtimeStateByPod(runtime)).get('u1')!, '127.0.0.1');
  const tick = async (ms: number) => { clock.advance(ms); await settle(); };
  return { clock, runtime, manager, id, changes, events, tick, setHealthy: (v: boolean) => { healthy = v; } };
}

test('readiness: not ready until the initial delay passed and successThreshold successes', async () => {
  const t = await setup({ name: 'c', readinessProbe: { exec: { command: ['check'] }, initialDelaySeconds: 5, periodSeconds: 2, successThreshold: 2, failureThreshold: 1 } });
  await t.tick(0);
  assert.equal(t.manager.readinessSucceeded.has(t.id), false, 'initial delay');
  await t.tick(4000);
  await t.tick(2000);
  assert.equal(t.manager.readinessSucceeded.has(t.id), false, 'one success is not enough');
  await t.tick(2000);
  assert.equal(t.manager.readinessSucceeded.has(t.id), true);
  t.setHealthy(false);
  await t.tick(2000);
  assert.equal(t.manager.readinessSucceeded.has(t.id), false);
  assert.deepEqual(t.changes, ['u1', 'u1']);
  assert.deepEqual(t.events, ['Unhealthy: Readiness probe failed: sick']);
  t.manager.stop();
});

test('liveness: fails after failureThreshold consecutive failures, then holds', async () => {
  const t = await setup({ name: 'c', livenessProbe: { exec: { command: ['check'] }, periodSeconds: 1, failureThreshold: 3 } });
  await t.tick(0);
  t.setHealthy(false);
  await t.tick(1000);
  await t.tick(1000);
  assert.equal(t.manager.livenessFailed.has(t.id), false);
  await t.tick(1000);
  assert.equal(t.manager.livenessFailed.has(t.id), true);
  await t.tick(5000);
  assert.equal(t.events.length, 3, 'on hold: no more probes for this container');
  assert.deepEqual(t.changes, ['u1']);
  t.manager.stop();
});

test('startup gates liveness: liveness does not run until startup succeeded', async () => {
  const t = await setup({ name: 'c', startupProbe: { exec: { command: ['start'] }, periodSeconds: 1, failureThreshold: 10 },
    livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 1 } });
  const calls: string[] = [];
  t.runtime.execHandler = (_id, cmd) => {
    calls.push(cmd[0]!);
    return { exitCode: cmd[0] === 'start' && calls.filter((c) => c === 'start').length < 3 ? 1 : 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  };
  for (let i = 0; i < 5; i++) await t.tick(1000);
  assert.equal(t.manager.startupSucceeded.has(t.id), true);
  const firstLive = calls.indexOf('live');
  assert.ok(firstLive > calls.lastIndexOf('start'), `liveness only after startup: ${calls.join(',')}`);
  t.manager.stop();
});
