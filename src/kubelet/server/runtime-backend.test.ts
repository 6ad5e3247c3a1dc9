import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import { containerInstances, podSandboxOf, runtimeStreamingBackend } from './runtime-backend.js';

const sandbox = (id: string, name: string, state: 'ready' | 'notready', createdAt: number, logDirectory?: string): PodSandboxStatus =>
  ({ id, state, createdAt, config: { name, namespace: 'ns', uid: `uid-${name}`, logDirectory } });
const container = (id: string, sandboxId: string, name: string, attempt: number, logPath?: string): ContainerStatus =>
  ({ id, sandboxId, name, attempt, image: 'i', imageRef: 'i', state: 'running', createdAt: attempt, logPath });

test('the newest ready sandbox and the newest attempts win', () => {
  const s = [sandbox('old', 'web', 'notready', 1), sandbox('new', 'web', 'ready', 2), sandbox('x', 'other', 'ready', 3)];
  assert.equal(podSandboxOf(s, 'ns', 'web')!.id, 'new');
  assert.equal(podSandboxOf(s, 'ns', 'nope'), undefined);
  const c = [container('a0', 'new', 'app', 0), container('a2', 'new', 'app', 2), container('a1', 'new', 'app', 1)];
  const i = containerInstances(c, 'app');
  assert.equal(i.current!.id, 'a2');
  assert.equal(i.previous!.id, 'a1');
});

test('the backend finds pods and containers through the runtime', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-rb-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', '0.log'), '');
  const pods = [{ metadata: { name: 'web', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'app' }, { name: 'late' }] } }];
  const runtime = {
    listPodSandbox: async () => [sandbox('s1', 'web', 'ready', 1, dir)],
    listContainers: async () => [container('c1', 's1', 'app', 1, join(dir, 'app', '1.log'))],
  } as never;
  const b = runtimeStreamingBackend({ runtime, pods: async () => pods });
  assert.deepEqual(await b.getPod('ns', 'web'), { namespace: 'ns', name: 'web', uid: 'u1', sandboxId: 's1' });
  assert.equal(await b.getPod('ns', 'nope'), undefined);
  assert.deepEqual(await b.getContainer('ns', 'web', 'app'), { containerId: 'c1', logPath: join(dir, 'app', '1.log'), previousLogPath: join(dir, 'app', '0.log') });
  assert.deepEqual(await b.getContainer('ns', 'web', 'late'), {});
  assert.equal(await b.getContainer('ns', 'web', 'nope'), undefined);
  assert.deepEqual(await b.listPods(), pods);
});
