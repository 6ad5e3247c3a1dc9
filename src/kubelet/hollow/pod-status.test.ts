import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import type { ContainerStatus } from '../../runtime/index.js';
import { reportsRunning, runningPodStatus } from './pod-status.js';

const rt = (name: string, startedAt: number): ContainerStatus => ({
  id: `fake://${name}`, sandboxId: 's', name, image: 'img', imageRef: 'fake://sha256:x', state: 'running', createdAt: startedAt, startedAt,
});

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u' },
  spec: {
    initContainers: [{ name: 'setup', image: 'i' }, { name: 'sidecar', image: 's', restartPolicy: 'Always' }],
    containers: [{ name: 'z', image: 'z' }, { name: 'm', image: 'm' }],
  },
  status: {
    phase: 'Pending', qosClass: 'Burstable',
    conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }],
  },
};

test('runningPodStatus: upstream condition order, sorted statuses, init containers completed', () => {
  const containers = new Map(['setup', 'sidecar', 'z', 'm'].map((n) => [n, rt(n, 5_000)]));
  const s = runningPodStatus(pod, { hostIP: '172.16.0.1', podIP: '100.64.0.2', startTime: 4_000, containers, now: 6_000 });
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.conditions?.map((c) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  assert.equal(s.conditions?.[4]?.lastTransitionTime, '2020-01-01T00:00:00Z');
  assert.equal(s.startTime, '1970-01-01T00:00:04Z');
  assert.equal(s.qosClass, 'Burstable');
  assert.deepEqual(s.containerStatuses?.map((c) => c.name), ['m', 'z']);
  assert.deepEqual(s.containerStatuses?.[0], {
    name: 'm', image: 'm', imageID: 'fake://sha256:x', containerID: 'fake://m', restartCount: 0, lastState: {},
    ready: true, started: true, state: { running: { startedAt: '1970-01-01T00:00:05Z' } },
  });
  assert.equal(s.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
  assert.equal(s.initContainerStatuses?.[0]?.started, false);
  assert.ok(s.initContainerStatuses?.[1]?.state?.running, 'a sidecar keeps running');
  assert.equal(reportsRunning({ ...pod, status: s }, '100.64.0.2'), true);
  assert.equal(reportsRunning({ ...pod, status: s }, '100.64.0.3'), false);
  assert.equal(reportsRunning(pod, '100.64.0.2'), false);
});

test('runningPodStatus keeps a Ready transition time and adds PodScheduled when missing', () => {
  const s1 = runningPodStatus({ ...pod, status: {} }, { hostIP: 'h', podIP: 'p', startTime: 0, containers: new Map(), now: 10_000 });
  assert.equal(s1.conditions?.at(-1)?.type, 'PodScheduled');
  const s2 = runningPodStatus({ ...pod, status: s1 }, { hostIP: 'h', podIP: 'p', startTime: 0, containers: new Map(), now: 99_000 });
  assert.equal(s2.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '1970-01-01T00:00:10Z');
  assert.equal(s2.startTime, s1.startTime);
});
