// Scenarios for computePodActions as data: a pod spec, what the runtime holds, probe verdicts →
// the actions upstream kuberuntime computePodActions takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import { computePodActions, type ContainerHealth, type PodActions } from './pod-actions.js';
import { CONTAINER_HASH_ANNOTATION, CONTAINER_NAME_LABEL, containerHash } from './labels.js';

type C = [name: string, state: 'running' | 'exited' | 'created', exitCode?: number, sandbox?: string, hash?: string];

interface Scenario {
  name: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  inits?: { name: string; sidecar?: boolean; startupProbe?: boolean }[];
  apps?: string[];
  /** Sandboxes newest first: `ready` / `notready`, ids s0, s1… */
  sandboxes?: ('ready' | 'notready')[];
  /** Containers newest first; sandbox defaults to s0. */
  containers?: C[];
  health?: Partial<Record<keyof ContainerHealth, string[]>>;
  want: Partial<PodActions>;
}

const scenarios: Scenario[] = [
  { name: 'new pod: create the sandbox and start every app container', apps: ['a', 'b'],
    want: { createSandbox: true, attempt: 0, killPod: false, containersToStart: ['a', 'b'], initContainersToStart: [] } },
  { name: 'new pod with init containers: only the first init container', inits: [{ name: 'i1' }, { name: 'i2' }], apps: ['a'],
    want: { createSandbox: true, initContainersToStart: ['i1'], containersToStart: [] } },
  { name: 'running pod: nothing to do', apps: ['a'], sandboxes: ['ready'], containers: [['a', 'running']],
    want: { createSandbox: false, killPod: false, sandboxId: 's0', containersToStart: [], containersToKill: [] } },
  { name: 'first init running: wait', inits: [{ name: 'i1' }, { name: 'i2' }], apps: ['a'], sandboxes: ['ready'], containers: [['i1', 'running']],
    want: { initContainersToStart: [], containersToStart: [] } },
  { name: 'first init done: start the second', inits: [{ name: 'i1' }, { name: 'i2' }], apps: ['a'], sandboxes: ['ready'], containers: [['i1', 'exited', 0]],
    want: { initContainersToStart: ['i2'], containersToStart: [] } },
  { name: 'all init done: start app containers', inits: [{ name: 'i1' }, { name: 'i2' }], apps: ['a'], sandboxes: ['ready'],
    containers: [['i2', 'exited', 0], ['i1', 'exited', 0]], want: { initContainersToStart: [], containersToStart: ['a'] } },
  { name: 'init created but never started: start it again', restartPolicy: 'Never', inits: [{ name: 'i1' }], apps: ['a'], sandboxes: ['ready'],
    containers: [['i1', 'created']], want: { initContainersToStart: ['i1'], containersToStart: [] } },
  { name: 'app container created but never started: start it again even under Never', restartPolicy: 'Never', apps: ['a'], sandboxes: ['ready'],
    containers: [['a', 'created']], want: { containersToStart: ['a'], killPod: false } },
  { name: 'init failed, Always: restart it', inits: [{ name: 'i1' }], apps: ['a'], sandboxes: ['ready'], containers: [['i1', 'exited', 1]],
    want: { initContainersToStart: ['i1'], containersToStart: [], killPod: false } },
  { name: 'init failed, Never: the pod fails', restartPolicy: 'Never', inits: [{ name: 'i1' }], apps: ['a'], sandboxes: ['ready'],
    containers: [['i1', 'exited', 1]], want: { initFailed: 'i1', killPod: true, initContainersToStart: [] } },
  { name: 'sidecar running, not started (startup probe pending): the next init waits',
    inits: [{ name: 'side', sidecar: true, startupProbe: true }, { name: 'i2' }], apps: ['a'], sandboxes: ['ready'], containers: [['side', 'running']],
    want: { initContainersToStart: [], containersToStart: [] } },
  { name: 'sidecar started: the next init starts',
    inits: [{ name: 'side', sidecar: true, startupProbe: true }, { name: 'i2' }], apps: ['a'], sandboxes: ['ready'],
    containers: [['side', 'running']], health: { startupSucceeded: ['side'] }, want: { initContainersToStart: ['i2'] } },
  { name: 'sidecar exited after init: restarted beside the app containers',
    inits: [{ name: 'side', sidecar: true }], apps: ['a'], sandboxes: ['ready'], containers: [['a', 'running'], ['side', 'exited', 1]],
    want: { initContainersToStart: ['side'], containersToStart: [], killPod: false } },
  { name: 'app containers done under Never: kill the pod (sidecar too)', restartPolicy: 'Never',
    inits: [{ name: 'side', sidecar: true }], apps: ['a'], sandboxes: ['ready'], containers: [['a', 'exited', 0], ['side', 'running']],
    want: { killPod: true, initContainersToStart: [], containersToStart: [] } },
  { name: 'Always: an exited container restarts', apps: ['a'], sandboxes: ['ready'], containers: [['a', 'exited', 0]],
    want: { containersToStart: ['a'], killPod: false } },
  { name: 'OnFailure: a succeeded container stays, the pod is done', restartPolicy: 'OnFailure', apps: ['a'], sandboxes: ['ready'],
    containers: [['a', 'exited', 0]], want: { containersToStart: [], killPod: true } },
  { name: 'OnFailure: a failed container restarts', restartPolicy: 'OnFailure', apps: ['a', 'b'], sandboxes: ['ready'],
    containers: [['a', 'exited', 2], ['b', 'running']], want: { containersToStart: ['a'], killPod: false } },
  { name: 'Never: a failed container stays down while another runs', restartPolicy: 'Never', apps: ['a', 'b'], sandboxes: ['ready'],
    containers: [['a', 'exited', 2], ['b', 'running']], want: { containersToStart: [], killPod: false } },
  { name: 'liveness failed: kill and restart', apps: ['a'], sandboxes: ['ready'], containers: [['a', 'running']], health: { livenessFailed: ['a'] },
    want: { containersToStart: ['a'], containersToKill: [{ containerId: 'a', name: 'a', reason: 'LivenessProbe', message: 'Container a failed liveness probe, will be restarted' }] } },
  { name: 'liveness failed under Never: kill only', restartPolicy: 'Never', apps: ['a'], sandboxes: ['ready'], containers: [['a', 'running']],
    health: { livenessFailed: ['a'] },
    want: { containersToStart: [], killPod: true } },
  { name: 'startup probe failed: kill and restart', apps: ['a'], sandboxes: ['ready'], containers: [['a', 'running']], health: { startupFailed: ['a'] },
    want: { containersToStart: ['a'], containersToKill: [{ containerId: 'a', name: 'a', reason: 'StartupProbe', message: 'Container a failed startup probe, will be restarted' }] } },
  { name: 'sandbox died: kill what is left, new sandbox with the next attempt, start over', inits: [{ name: 'i1' }], apps: ['a'],
    sandboxes: ['notready'], containers: [['a', 'running'], ['i1', 'exited', 0]],
    want: { createSandbox: true, killPod: true, attempt: 1, initContainersToStart: ['i1'] } },
  { name: 'Never pod whose sandbox stopped after its containers ran: no new sandbox', restartPolicy: 'Never', apps: ['a'],
    sandboxes: ['notready'], containers: [['a', 'exited', 0]], want: { createSandbox: false, killPod: false, containersToStart: [] } },
  { name: 'OnFailure pod that succeeded: no new sandbox', restartPolicy: 'OnFailure', apps: ['a'],
    sandboxes: ['notready'], containers: [['a', 'exited', 0]], want: { createSandbox: false, containersToStart: [] } },
  { name: 'two ready sandboxes: kill and re-create', apps: ['a'], sandboxes: ['ready', 'ready'], containers: [['a', 'running', undefined, 's1']],
    want: { createSandbox: true, killPod: true, attempt: 2, containersToStart: ['a'] } },
  { name: 'a running container whose spec changed is restarted', restartPolicy: 'Never', apps: ['a'], sandboxes: ['ready'],
    containers: [['a', 'running', undefined, undefined, 'stale']],
    want: { containersToStart: ['a'], killPod: false, containersToKill: [{ containerId: 'a', name: 'a', reason: 'SpecChanged', message: 'Container a definition changed, will be restarted' }] } },
  { name: 'a running container with the current spec hash is kept', apps: ['a'], sandboxes: ['ready'],
    containers: [['a', 'running', undefined, undefined, 'current']], want: { containersToStart: [], containersToKill: [] } },
  { name: 'containers of an older sandbox do not count in the current one', apps: ['a'], sandboxes: ['ready', 'notready'],
    containers: [['a', 'exited', 0, 's1']], want: { createSandbox: false, sandboxId: 's0', containersToStart: ['a'] } },
];

function build(s: Scenario): { pod: Pod; sandboxes: PodSandboxStatus[]; containers: ContainerStatus[]; health: ContainerHealth } {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: {
      restartPolicy: s.restartPolicy ?? 'Always',
      initContainers: (s.inits ?? []).map((i) => ({
        name: i.name, image: 'img', ...(i.sidecar ? { restartPolicy: 'Always' } : {}), ...(i.startupProbe ? { startupProbe: { exec: { command: ['true'] } } } : {}),
      })),
      containers: (s.apps ?? []).map((name) => ({ name, image: 'img' })),
    },
  };
  const n = (s.sandboxes ?? []).length;
  const sandboxes = (s.sandboxes ?? []).map((state, i): PodSandboxStatus => ({
    id: `s${i}`, state, createdAt: 1000 - i, config: { name: 'p', namespace: 'ns', uid: 'u1', attempt: n - 1 - i },
  }));
  const specs = [...pod.spec!.initContainers!, ...pod.spec!.containers!];
  const containers = (s.containers ?? []).map(([name, state, exitCode, sandbox, hash], i): ContainerStatus => ({
    id: name, sandboxId: sandbox ?? 's0', name, image: 'img', imageRef: 'ref', state, exitCode, createdAt: 1000 - i, labels: { [CONTAINER_NAME_LABEL]: name },
    ...(hash ? { annotations: { [CONTAINER_HASH_ANNOTATION]: hash === 'current' ? containerHash(specs.find((c) => c.name === name)!) : hash } } : {}),
  }));
  const h = s.health ?? {};
  return { pod, sandboxes, containers, health: { livenessFailed: new Set(h.livenessFailed), startupFailed: new Set(h.startupFailed), startupSucceeded: new Set(h.startupSucceeded) } };
}

for (const s of scenarios) {
  test(`computePodActions: ${s.name}`, () => {
    const { pod, sandboxes, containers, health } = build(s);
    const got = computePodActions(pod, { sandboxes, containers }, health);
    const picked = Object.fromEntries(Object.keys(s.want).map((k) => [k, got[k as keyof PodActions]]));
    assert.deepEqual(picked, s.want);
  });
}

test('containerHash: independent of key order, ignores resources, changes with the image', async () => {
  const { containerHash } = await import('./labels.js');
  assert.equal(containerHash({ name: 'a', image: 'x:1', args: ['1'] }), containerHash({ args: ['1'], image: 'x:1', name: 'a' }));
  assert.equal(containerHash({ name: 'a', image: 'x:1' }), containerHash({ name: 'a', image: 'x:1', resources: { limits: { cpu: '1' } } }));
  assert.notEqual(containerHash({ name: 'a', image: 'x:1' }), containerHash({ name: 'a', image: 'x:2' }));
});
