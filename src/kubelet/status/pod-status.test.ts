// Scenarios for generatePodStatus as data: spec + runtime containers (+ waiting reasons, probe
// verdicts) → phase, conditions and container states as upstream generateAPIPodStatus/getPhase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import { CONTAINER_NAME_LABEL, RESTART_COUNT_ANNOTATION } from '../pods/labels.js';
import { generatePodStatus } from './pod-status.js';

type C = [name: string, state: 'running' | 'exited', exitCode?: number, attempt?: number];

interface Scenario {
  name: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  inits?: string[];
  sidecars?: string[];
  apps: string[];
  readinessProbe?: string[];
  readinessGates?: string[];
  sandbox?: 'ready' | 'notready';
  containers?: C[];
  waiting?: Record<string, { reason: string; message?: string }>;
  ready?: string[];
  failure?: { reason: string; message: string };
  want: {
    phase: string;
    /** type=status(reason)[: message] */
    conditions?: string[];
    states?: Record<string, string>;
    restartCounts?: Record<string, number>;
    ready?: Record<string, boolean>;
    reason?: string;
  };
}

const scenarios: Scenario[] = [
  { name: 'nothing created yet: Pending, ContainerCreating', apps: ['a', 'b'],
    want: { phase: 'Pending', states: { a: 'waiting:ContainerCreating', b: 'waiting:ContainerCreating' },
      conditions: ['PodReadyToStartContainers=False', 'Initialized=True', 'ContainersReady=False(ContainersNotReady): containers with unready status: [a b]', 'Ready=False(ContainersNotReady): containers with unready status: [a b]'] } },
  { name: 'all running without probes: Running and Ready', apps: ['a'], sandbox: 'ready', containers: [['a', 'running']],
    want: { phase: 'Running', states: { a: 'running' }, ready: { a: true },
      conditions: ['PodReadyToStartContainers=True', 'Initialized=True', 'ContainersReady=True', 'Ready=True'] } },
  { name: 'readiness probe not yet passed: not ready', apps: ['a'], readinessProbe: ['a'], sandbox: 'ready', containers: [['a', 'running']],
    want: { phase: 'Running', ready: { a: false }, conditions: ['PodReadyToStartContainers=True', 'Initialized=True', 'ContainersReady=False(ContainersNotReady): containers with unready status: [a]', 'Ready=False(ContainersNotReady): containers with unready status: [a]'] } },
  { name: 'readiness probe passed: ready', apps: ['a'], readinessProbe: ['a'], sandbox: 'ready', containers: [['a', 'running']], ready: ['a'],
    want: { phase: 'Running', ready: { a: true } } },
  { name: 'readiness gate missing: Ready false with the upstream message', apps: ['a'], readinessGates: ['example.com/gate'], sandbox: 'ready', containers: [['a', 'running']],
    want: { phase: 'Running', conditions: ['PodReadyToStartContainers=True', 'Initialized=True', 'ContainersReady=True', 'Ready=False(ReadinessGatesNotReady): corresponding condition of pod readiness gate "example.com/gate" does not exist.'] } },
  { name: 'init container running: Pending, PodInitializing', inits: ['i1'], apps: ['a'], sandbox: 'ready', containers: [['i1', 'running']],
    want: { phase: 'Pending', states: { i1: 'running', a: 'waiting:PodInitializing' },
      conditions: ['PodReadyToStartContainers=True', 'Initialized=False(ContainersNotInitialized): containers with incomplete status: [i1]', 'ContainersReady=False(ContainersNotReady): containers with unready status: [a]', 'Ready=False(ContainersNotReady): containers with unready status: [a]'] } },
  { name: 'init container done, app running', inits: ['i1'], apps: ['a'], sandbox: 'ready', containers: [['a', 'running'], ['i1', 'exited', 0]],
    want: { phase: 'Running', states: { i1: 'terminated:Completed', a: 'running' }, ready: { i1: true, a: true } } },
  { name: 'init failed under Never: Failed', restartPolicy: 'Never', inits: ['i1'], apps: ['a'], sandbox: 'ready', containers: [['i1', 'exited', 1]],
    want: { phase: 'Failed', states: { i1: 'terminated:Error', a: 'waiting:PodInitializing' } } },
  { name: 'init failed under Always: Pending (back-off)', inits: ['i1'], apps: ['a'], sandbox: 'ready', containers: [['i1', 'exited', 1]],
    waiting: { i1: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=i1 pod=p_ns(u1)' } },
    want: { phase: 'Pending', states: { i1: 'waiting:CrashLoopBackOff' } } },
  { name: 'all succeeded under Never: Succeeded, PodCompleted', restartPolicy: 'Never', apps: ['a'], sandbox: 'notready', containers: [['a', 'exited', 0]],
    want: { phase: 'Succeeded', states: { a: 'terminated:Completed' },
      conditions: ['PodReadyToStartContainers=False', 'Initialized=True(PodCompleted)', 'ContainersReady=False(PodCompleted)', 'Ready=False(PodCompleted)'] } },
  { name: 'one failed under Never: Failed', restartPolicy: 'Never', apps: ['a', 'b'], sandbox: 'notready', containers: [['a', 'exited', 0], ['b', 'exited', 3]],
    want: { phase: 'Failed', states: { a: 'terminated:Completed', b: 'terminated:Error' } } },
  { name: 'failed under OnFailure: Running while it restarts', restartPolicy: 'OnFailure', apps: ['a'], sandbox: 'ready', containers: [['a', 'exited', 1, 2]],
    waiting: { a: { reason: 'CrashLoopBackOff' } }, want: { phase: 'Running', states: { a: 'waiting:CrashLoopBackOff' }, restartCounts: { a: 2 } } },
  { name: 'exited under Always: Running (restarts), restart count from the attempt', apps: ['a'], sandbox: 'ready', containers: [['a', 'running', undefined, 3], ['a', 'exited', 1, 2]],
    want: { phase: 'Running', states: { a: 'running' }, restartCounts: { a: 3 } } },
  { name: 'image pull failure: waiting ErrImagePull', apps: ['a'], sandbox: 'ready', waiting: { a: { reason: 'ErrImagePull', message: 'x' } },
    want: { phase: 'Pending', states: { a: 'waiting:ErrImagePull' } } },
  { name: 'sidecar running, app done under Never: Succeeded', restartPolicy: 'Never', sidecars: ['s'], apps: ['a'], sandbox: 'ready',
    containers: [['a', 'exited', 0], ['s', 'running']], want: { phase: 'Succeeded' } },
  { name: 'sidecar counts for readiness', sidecars: ['s'], apps: ['a'], readinessProbe: ['s'], sandbox: 'ready', containers: [['a', 'running'], ['s', 'running']],
    want: { phase: 'Running', conditions: ['PodReadyToStartContainers=True', 'Initialized=True', 'ContainersReady=False(ContainersNotReady): containers with unready status: [s]', 'Ready=False(ContainersNotReady): containers with unready status: [s]'] } },
  { name: 'deadline exceeded: Failed with the reason', apps: ['a'], sandbox: 'ready', containers: [['a', 'running']],
    failure: { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }, want: { phase: 'Failed', reason: 'DeadlineExceeded' } },
];

function stateOf(s: NonNullable<ReturnType<typeof generatePodStatus>['containerStatuses']>[number]): string {
  if (s.state?.running) return 'running';
  if (s.state?.terminated) return `terminated:${s.state.terminated.reason}`;
  return `waiting:${s.state?.waiting?.reason}`;
}

for (const s of scenarios) {
  test(`generatePodStatus: ${s.name}`, () => {
    const probe = { exec: { command: ['true'] } };
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
      spec: {
        restartPolicy: s.restartPolicy ?? 'Always',
        readinessGates: (s.readinessGates ?? []).map((conditionType) => ({ conditionType })),
        initContainers: [
          ...(s.sidecars ?? []).map((name) => ({ name, image: 'img', restartPolicy: 'Always', ...(s.readinessProbe?.includes(name) ? { readinessProbe: probe } : {}) })),
          ...(s.inits ?? []).map((name) => ({ name, image: 'img' })),
        ],
        containers: s.apps.map((name) => ({ name, image: 'img', ...(s.readinessProbe?.includes(name) ? { readinessProbe: probe } : {}) })),
      },
      status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True' }] },
    };
    const sandboxes: PodSandboxStatus[] = s.sandbox ? [{ id: 's0', state: s.sandbox, createdAt: 0, ip: '10.42.0.5', config: { name: 'p', namespace: 'ns', uid: 'u1' } }] : [];
    const containers = (s.containers ?? []).map(([name, state, exitCode, attempt], i): ContainerStatus => ({
      id: `fake://${name}-${i}`, sandboxId: 's0', name, image: 'img', imageRef: 'sha256:x', state, exitCode, createdAt: 1000 - i,
      startedAt: 500, ...(state === 'exited' ? { finishedAt: 900 } : {}),
      labels: { [CONTAINER_NAME_LABEL]: name }, annotations: { [RESTART_COUNT_ANNOTATION]: String(attempt ?? 0) },
    }));
    const status = generatePodStatus({
      pod, state: { sandboxes, containers }, now: 2_000_000, hostIPs: ['192.168.1.2'], startTime: 1_000_000,
      waiting: new Map(Object.entries(s.waiting ?? {})), readinessSucceeded: new Set((s.ready ?? []).map((n) => containers.find((c) => c.name === n)!.id)),
      failure: s.failure,
    });
    assert.equal(status.phase, s.want.phase);
    assert.equal(status.hostIP, '192.168.1.2');
    assert.equal(status.qosClass, 'BestEffort');
    assert.ok(status.conditions?.some((c) => c.type === 'PodScheduled'), 'PodScheduled is kept');
    if (s.want.conditions) {
      const got = status.conditions!.filter((c) => c.type !== 'PodScheduled')
        .map((c) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
      assert.deepEqual(got, s.want.conditions);
    }
    const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
    for (const [name, want] of Object.entries(s.want.states ?? {})) assert.equal(stateOf(all.find((c) => c.name === name)!), want, name);
    for (const [name, want] of Object.entries(s.want.restartCounts ?? {})) assert.equal(all.find((c) => c.name === name)!.restartCount, want, name);
    for (const [name, want] of Object.entries(s.want.ready ?? {})) assert.equal(all.find((c) => c.name === name)!.ready, want, name);
    if (s.want.reason) assert.equal(status.reason, s.want.reason);
  });
}

test('generatePodStatus: a container in back-off shows the last run as lastState, with times and id', () => {
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'a', image: 'img' }] } };
  const c: ContainerStatus = { id: 'fake://1', sandboxId: 's0', name: 'a', image: 'img', imageRef: 'sha256:x', state: 'exited', exitCode: 137, reason: 'OOMKilled', createdAt: 0, startedAt: 1_000, finishedAt: 61_000, attempt: 4 };
  const st = generatePodStatus({
    pod, state: { sandboxes: [], containers: [c] }, now: 100_000, hostIPs: [], startTime: 0,
    waiting: new Map([['a', { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=a pod=p_ns(u1)' }]]),
  }).containerStatuses![0]!;
  assert.deepEqual(st.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=a pod=p_ns(u1)' } });
  assert.deepEqual(st.lastState, { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '1970-01-01T00:00:01Z', finishedAt: '1970-01-01T00:01:01Z', containerID: 'fake://1' } });
  assert.equal(st.restartCount, 4);
  assert.equal(st.containerID, 'fake://1');
  assert.equal(st.imageID, 'sha256:x');
});

test('generatePodStatus: conditions keep lastTransitionTime while their status holds', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'a', image: 'img' }] },
    status: { conditions: [{ type: 'Initialized', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }, { type: 'Ready', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }] },
  };
  const st = generatePodStatus({ pod, state: { sandboxes: [], containers: [] }, now: 0, hostIPs: [], startTime: 0 });
  assert.equal(st.conditions!.find((c) => c.type === 'Initialized')!.lastTransitionTime, '2020-01-01T00:00:00Z');
  assert.equal(st.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, '1970-01-01T00:00:00Z');
});

test('generatePodStatus: a container the runtime lost keeps its restart count and last run from the API status', () => {
  const terminated = { exitCode: 1, reason: 'Error', containerID: 'fake://old' };
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'a', image: 'img' }] },
    status: { containerStatuses: [{ name: 'a', image: 'img', imageID: 'x', ready: false, restartCount: 5, state: { terminated } }] },
  };
  const st = generatePodStatus({ pod, state: { sandboxes: [], containers: [] }, now: 0, hostIPs: [], startTime: 0 }).containerStatuses![0]!;
  assert.equal(st.restartCount, 5);
  assert.deepEqual(st.lastState, { terminated });
  assert.deepEqual(st.state, { waiting: { reason: 'ContainerCreating' } });
});

test('generatePodStatus: the status last written wins over a stale informer copy; others\' conditions come from the pod', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'a', image: 'img' }] },
    status: { qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'example.com/gate', status: 'True' }] },
  };
  const previous = { startTime: '2020-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2020-01-01T00:00:05Z' }] };
  const st = generatePodStatus({ pod, state: { sandboxes: [], containers: [] }, now: 0, hostIPs: [], startTime: 0, previous });
  assert.equal(st.startTime, '2020-01-01T00:00:00Z');
  assert.equal(st.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, '2020-01-01T00:00:05Z');
  assert.ok(st.conditions!.some((c) => c.type === 'example.com/gate'));
  assert.equal(st.qosClass, 'BestEffort');
});
