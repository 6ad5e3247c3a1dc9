import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import { FakeRuntime, fakeImageRef } from './fake-runtime.js';

test('a sandbox runs containers with times from the injected clock', async () => {
  const clock = new ManualClock(1_000);
  const rt = new FakeRuntime({ clock });
  assert.deepEqual(rt.version(), { runtimeName: 'fake', runtimeVersion: '1.0' });
  const sb = await rt.runPodSandbox({ name: 'p', namespace: 'default', uid: 'u1', ip: '10.0.0.2' });
  clock.advance(500);
  const c = await rt.createContainer(sb, { name: 'app', image: 'nginx' });
  assert.match(c, /^fake:\/\/[0-9a-f]{64}$/);
  assert.equal((await rt.containerStatus(c))!.state, 'created');
  clock.advance(250);
  await rt.startContainer(c);
  const st = (await rt.containerStatus(c))!;
  assert.equal(st.state, 'running');
  assert.equal(st.startedAt, 1_750);
  assert.equal(st.imageRef, fakeImageRef('nginx'));
  assert.equal(fakeImageRef('nginx'), fakeImageRef('nginx'));
  assert.notEqual(fakeImageRef('nginx'), fakeImageRef('redis'));
  assert.equal((await rt.podSandboxStatus(sb))!.ip, '10.0.0.2');
  await assert.rejects(rt.startContainer(c), /is running, not created/);
});

test('stopping a sandbox exits its containers; remove forgets them; both are idempotent', async () => {
  const clock = new ManualClock(0);
  const rt = new FakeRuntime({ clock });
  const sb = await rt.runPodSandbox({ name: 'p', namespace: 'ns', uid: 'u' });
  const a = await rt.createContainer(sb, { name: 'a', image: 'busybox' });
  await rt.startContainer(a);
  const b = await rt.createContainer(sb, { name: 'b', image: 'busybox' });
  await assert.rejects(rt.removePodSandbox(sb), /still running/);
  clock.advance(10);
  await rt.stopPodSandbox(sb);
  await rt.stopPodSandbox(sb);
  const sa = (await rt.containerStatus(a))!;
  assert.deepEqual([sa.state, sa.exitCode, sa.finishedAt], ['exited', 137, 10]);
  assert.equal((await rt.containerStatus(b))!.state, 'exited');
  assert.equal((await rt.podSandboxStatus(sb))!.state, 'notready');
  await assert.rejects(rt.createContainer(sb, { name: 'c', image: 'x' }), /not ready/);
  await rt.removePodSandbox(sb);
  await rt.removePodSandbox(sb);
  await rt.stopPodSandbox('unknown');
  assert.equal(rt.sandboxCount, 0);
  assert.deepEqual(await rt.listContainers(), []);
});

test('finishContainer completes a running container with its exit code', async () => {
  const rt = new FakeRuntime({ clock: new ManualClock(0) });
  const sb = await rt.runPodSandbox({ name: 'p', namespace: 'ns', uid: 'u' });
  const a = await rt.createContainer(sb, { name: 'a', image: 'x' });
  await rt.startContainer(a);
  rt.finishContainer(a, 0);
  const st = (await rt.containerStatus(a))!;
  assert.deepEqual([st.state, st.exitCode, st.reason], ['exited', 0, 'Completed']);
  assert.equal((await rt.listContainers({ sandboxId: sb })).length, 1);
  assert.equal((await rt.listContainers({ sandboxId: 'other' })).length, 0);
});

test('containers keep their labels, annotations and attempt; start hook and stop calls are visible to tests', async () => {
  const rt = new FakeRuntime({ clock: new ManualClock(0) });
  const started: string[] = [];
  rt.onStart = (id, config) => { started.push(config.name); if (config.command?.[0] === 'exit') rt.finishContainer(id, 3); };
  const sb = await rt.runPodSandbox({ name: 'p', namespace: 'ns', uid: 'u', labels: { 'io.kubernetes.pod.uid': 'u' } });
  const a = await rt.createContainer(sb, { name: 'a', image: 'img', attempt: 2, labels: { k: 'v' }, annotations: { n: '1' }, imageRef: 'sha256:abc' });
  const b = await rt.createContainer(sb, { name: 'b', image: 'img', command: ['exit'] });
  await rt.startContainer(a);
  await rt.startContainer(b);
  assert.deepEqual(started, ['a', 'b']);
  const sa = (await rt.containerStatus(a))!;
  assert.deepEqual([sa.attempt, sa.labels, sa.annotations, sa.imageRef], [2, { k: 'v' }, { n: '1' }, 'sha256:abc']);
  assert.deepEqual([(await rt.containerStatus(b))!.state, (await rt.containerStatus(b))!.exitCode], ['exited', 3]);
  await rt.stopContainer(a, 7);
  await rt.stopContainer(a, 7);
  assert.deepEqual(rt.stops, [{ id: a, name: 'a', timeoutSeconds: 7 }], 'only stops of running containers are recorded');
  assert.deepEqual((await rt.listPodSandbox())[0]!.config.labels, { 'io.kubernetes.pod.uid': 'u' });
});

test('the fake image service pulls, fails on demand and reports images', async () => {
  const { FakeImageService } = await import('./fake-image-service.js');
  const { ImagePullError } = await import('../runtime.js');
  const images = new FakeImageService();
  assert.equal(await images.imageStatus('a:1'), undefined);
  const id = await images.pullImage('a:1');
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  assert.equal((await images.imageStatus('a:1'))!.id, id);
  assert.equal((await images.imageStatus(id))!.repoTags[0], 'a:1');
  images.failures.set('b:1', new ImagePullError('nope', 'NotFound'));
  await assert.rejects(images.pullImage('b:1'), /nope/);
  await images.removeImage('a:1');
  assert.deepEqual(await images.listImages(), []);
});

test('listPodSandbox({ podUid }) returns the sandboxes of that pod only, by label or else metadata uid', async () => {
  const rt = new FakeRuntime();
  const a = await rt.runPodSandbox({ name: 'a', namespace: 'ns', uid: 'meta-a', labels: { 'io.kubernetes.pod.uid': 'ua' } });
  const b = await rt.runPodSandbox({ name: 'b', namespace: 'ns', uid: 'ub' });
  assert.deepEqual((await rt.listPodSandbox({ podUid: 'ua' })).map((s) => s.id), [a]);
  assert.deepEqual((await rt.listPodSandbox({ podUid: 'ub' })).map((s) => s.id), [b]);
  assert.deepEqual(await rt.listPodSandbox({ podUid: 'meta-a' }), []);
  assert.equal((await rt.listPodSandbox()).length, 2);
});
