// Lifecycle hooks: exec through the runtime, httpGet against a server on 127.0.0.1 (the pod IP),
// sleep; failures come back as upstream's messages, never as exceptions.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pod } from '../../api/index.js';
import { FakeRuntime } from '../../runtime/index.js';
import { runLifecycleHook } from './hooks.js';

const server = http.createServer((req, res) => {
  res.statusCode = req.url === '/ok' ? 200 : 500;
  res.end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
after(() => new Promise<void>((r) => server.close(() => r())));

const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' } };
const runtime = new FakeRuntime();
const sandbox = await runtime.runPodSandbox({ name: 'p', namespace: 'ns', uid: 'u1' });
const containerId = await runtime.createContainer(sandbox, { name: 'c', image: 'img' });
await runtime.startContainer(containerId);
runtime.execHandler = (_id, cmd) => ({ exitCode: cmd[0] === 'good' ? 0 : 7, stdout: Buffer.from('said no'), stderr: Buffer.alloc(0) });
const target = { runtime, pod, container: { name: 'c' }, containerId, podIP: '127.0.0.1' };

test('exec hook: success, and failure with the upstream message', async () => {
  assert.equal(await runLifecycleHook({ exec: { command: ['good'] } }, target, 1000), undefined);
  assert.equal(await runLifecycleHook({ exec: { command: ['bad', 'x'] } }, target, 1000),
    'Exec lifecycle hook (["bad","x"]) for Container "c" in Pod "p_ns(u1)" failed - error: command \'bad x\' exited with non-zero status, message: "said no"');
});

test('httpGet hook: against the pod IP; a 500 fails', async () => {
  assert.equal(await runLifecycleHook({ httpGet: { port, path: '/ok' } }, target, 1000), undefined);
  assert.equal(await runLifecycleHook({ httpGet: { port, path: '/broken' } }, target, 1000),
    'HTTP lifecycle hook (/broken) for Container "c" in Pod "p_ns(u1)" failed - error: HTTP probe failed with statuscode: 500, message: ""');
});

test('sleep hook: waits, bounded by the timeout', async () => {
  const t0 = Date.now();
  assert.equal(await runLifecycleHook({ sleep: { seconds: 30 } }, target, 50), undefined);
  assert.ok(Date.now() - t0 < 10_000);
});

test('a hook in a container that is gone fails instead of throwing', async () => {
  const msg = await runLifecycleHook({ exec: { command: ['good'] } }, { ...target, containerId: 'fake://nope' }, 1000);
  assert.match(msg!, /failed - error: container fake:\/\/nope is not running/);
});
