// Pod STATUS/READY/RESTARTS cells, table-driven after upstream's printers_test.go TestPrintPod,
// TestPrintPodwide and the init-container / restartable-sidecar / terminating cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter } from './pods.js';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:00:00Z';
const running = { running: { startedAt: created } };

interface Case { name: string; pod: Record<string, unknown>; want: (string | number)[] }

const cases: Case[] = [
  {
    name: 'phase is the status; restarts summed over containers',
    pod: { spec: { containers: [{}, {}] }, status: { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] } },
    want: ['1/2', 'podPhase', '6'],
  },
  {
    name: 'a waiting reason wins over the phase',
    pod: { spec: { containers: [{}, {}] }, status: { phase: 'podPhase', containerStatuses: [{ restartCount: 3, state: { waiting: { reason: 'ContainerWaitingReason' } } }, { ready: true, restartCount: 3, state: running }] } },
    want: ['1/2', 'ContainerWaitingReason', '6'],
  },
  {
    name: 'a terminated reason wins over the phase',
    pod: { spec: { containers: [{}, {}] }, status: { phase: 'podPhase', containerStatuses: [{ restartCount: 3, state: { terminated: { reason: 'ContainerTerminatedReason' } } }, { ready: true, restartCount: 3, state: running }] } },
    want: ['1/2', 'ContainerTerminatedReason', '6'],
  },
  {
    name: 'terminated without reason: signal, then exit code',
    pod: { spec: { containers: [{}, {}] }, status: { phase: 'podPhase', containerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }, { state: { terminated: { exitCode: 2 } } }] } },
    want: ['0/2', 'Signal:9', '0'],
  },
  {
    name: 'pod reason overrides the phase',
    pod: { spec: { containers: [{}] }, status: { phase: 'Failed', reason: 'Evicted' } },
    want: ['0/1', 'Evicted', '0'],
  },
  {
    name: 'scheduling gated',
    pod: { spec: { containers: [{}] }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } },
    want: ['0/1', 'SchedulingGated', '0'],
  },
  {
    name: 'init container running: Init:i/n',
    pod: {
      spec: { initContainers: [{ name: 'a' }, { name: 'b' }], containers: [{}] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0 } } }, { name: 'b', state: running }] },
    },
    want: ['0/1', 'Init:1/2', '0'],
  },
  {
    name: 'init container waiting with a reason',
    pod: { spec: { initContainers: [{ name: 'a' }], containers: [{}] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'a', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } },
    want: ['0/1', 'Init:CrashLoopBackOff', '4'],
  },
  {
    name: 'init container failed without reason',
    pod: { spec: { initContainers: [{ name: 'a' }], containers: [{}] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 3 } } }] } },
    want: ['0/1', 'Init:ExitCode:3', '0'],
  },
  {
    name: 'restartable init container (sidecar) counts toward READY and total',
    pod: {
      spec: { initContainers: [{ name: 'side', restartPolicy: 'Always' }], containers: [{}] },
      status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 1, state: running }],
        containerStatuses: [{ ready: true, state: running }] },
    },
    want: ['2/2', 'Running', '1'],
  },
  {
    name: 'Completed container with another running container and pod Ready → Running',
    pod: {
      spec: { containers: [{}, {}] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ ready: true, state: running }, { state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
    },
    want: ['1/2', 'Running', '0'],
  },
  {
    name: 'Completed container with another running container and pod not Ready → NotReady',
    pod: { spec: { containers: [{}, {}] }, status: { phase: 'Running', containerStatuses: [{ ready: true, state: running }, { state: { terminated: { reason: 'Completed', exitCode: 0 } } }] } },
    want: ['1/2', 'NotReady', '0'],
  },
  {
    name: 'deletionTimestamp on a running pod → Terminating',
    pod: { metadata: { deletionTimestamp: '2024-05-01T11:59:00Z' }, spec: { containers: [{}] }, status: { phase: 'Running', containerStatuses: [{ ready: true, state: running }] } },
    want: ['1/1', 'Terminating', '0'],
  },
  {
    name: 'deletionTimestamp on a succeeded pod keeps Completed',
    pod: { metadata: { deletionTimestamp: '2024-05-01T11:59:00Z' }, spec: { containers: [{}] }, status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { reason: 'Completed' } } }] } },
    want: ['0/1', 'Completed', '0'],
  },
  {
    name: 'deletionTimestamp with NodeLost → Unknown',
    pod: { metadata: { deletionTimestamp: '2024-05-01T11:59:00Z' }, spec: { containers: [{}] }, status: { phase: 'Running', reason: 'NodeLost' } },
    want: ['0/1', 'Unknown', '0'],
  },
  {
    name: 'RESTARTS shows the age of the last restart',
    pod: { spec: { containers: [{}] }, status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 2, state: running, lastState: { terminated: { finishedAt: '2024-05-01T11:55:00Z' } } }] } },
    want: ['1/1', 'Running', '2 (5m ago)'],
  },
];

for (const c of cases) {
  test(`pod: ${c.name}`, () => {
    const pod = { ...c.pod, metadata: { name: 'p', creationTimestamp: created, ...(c.pod.metadata as object) } };
    const cells = podPrinter.cells(pod, now);
    assert.deepEqual(cells.slice(0, 5), ['p', ...c.want, '60m']);
  });
}

test('pod wide columns: IP, node, nominated node, readiness gates', () => {
  const pod = {
    metadata: { name: 'p' },
    spec: { nodeName: 'n1', containers: [{}], readinessGates: [{ conditionType: 'c1' }, { conditionType: 'c2' }] },
    status: { phase: 'Running', podIPs: [{ ip: '10.42.0.5' }], nominatedNodeName: 'n2', conditions: [{ type: 'c1', status: 'True' }, { type: 'c2', status: 'False' }] },
  };
  assert.deepEqual(podPrinter.cells(pod, now), ['p', '0/1', 'Running', '0', '<unknown>', '10.42.0.5', 'n1', 'n2', '1/2']);
  assert.deepEqual(podPrinter.cells({ metadata: { name: 'q' } }, now).slice(5), ['<none>', '<none>', '<none>', '<none>']);
  assert.deepEqual(podPrinter.columns.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
});

test('pod row conditions mark finished pods', () => {
  assert.deepEqual(podPrinter.conditions!({ status: { phase: 'Succeeded' } }), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  assert.equal(podPrinter.conditions!({ status: { phase: 'Running' } }), undefined);
});
