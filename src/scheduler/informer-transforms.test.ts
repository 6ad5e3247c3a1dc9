import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/index.js';
import { trimNode, trimPod } from './informer-transforms.js';

test('trimPod keeps metadata, spec and the status fields the scheduler reads', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns', resourceVersion: '7', labels: { a: 'b' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
    status: {
      phase: 'Running', startTime: '2026-01-01T00:00:00Z', nominatedNodeName: 'n2',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [{ name: 'c', ready: true }], podIP: '10.42.0.5', qosClass: 'Burstable',
    },
  } as unknown as KubeObject;
  const before = JSON.stringify(pod);
  const t = trimPod(pod) as { metadata: unknown; spec: unknown; status: Record<string, unknown> };
  assert.equal(JSON.stringify(pod), before, 'the argument is not changed');
  assert.deepEqual(t.metadata, (pod as { metadata: unknown }).metadata);
  assert.deepEqual(t.spec, { nodeName: 'n1', containers: [{ name: 'c' }] });
  assert.deepEqual(Object.keys(t.status).sort(), ['conditions', 'nominatedNodeName', 'phase', 'startTime']);
});

test('trimPod keeps of containers what resources and host ports need, and only the conditions the scheduler reads', () => {
  const container = {
    name: 'app', image: 'nginx', command: ['x'], env: [{ name: 'A', value: 'b' }], ports: [{ containerPort: 80, hostPort: 8080 }],
    resources: { requests: { cpu: '1' } }, terminationMessagePath: '/dev/termination-log',
  };
  const pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      nodeSelector: { a: 'b' }, priority: 5, tolerations: [{ key: 'k', operator: 'Exists' }], overhead: { cpu: '10m' },
      containers: [container], initContainers: [{ ...container, name: 'sidecar', restartPolicy: 'Always' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
    },
    status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }, { type: 'DisruptionTarget', status: 'True' }] },
  } as unknown as KubeObject;
  const t = trimPod(pod) as unknown as { spec: Record<string, unknown>; status: { conditions: { type: string }[] } };
  assert.deepEqual(t.spec.containers, [{ name: 'app', ports: [{ containerPort: 80, hostPort: 8080 }], resources: { requests: { cpu: '1' } } }]);
  assert.deepEqual(t.spec.initContainers, [{ name: 'sidecar', ports: [{ containerPort: 80, hostPort: 8080 }], resources: { requests: { cpu: '1' } }, restartPolicy: 'Always' }]);
  assert.equal(t.spec.ephemeralContainers, undefined);
  assert.deepEqual(t.spec.nodeSelector, { a: 'b' });
  assert.equal(t.spec.priority, 5);
  assert.deepEqual(t.status.conditions.map((c) => c.type), ['PodScheduled', 'DisruptionTarget']);
});

test('trimNode keeps capacity, allocatable, conditions and images', () => {
  const node = {
    metadata: { name: 'n1', labels: { zone: 'a' } },
    spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '4' }, allocatable: { cpu: '4' }, conditions: [{ type: 'Ready', status: 'True' }],
      images: [{ names: ['img'], sizeBytes: 5 }], nodeInfo: { kubeletVersion: 'v1.33.0' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
    },
  } as unknown as KubeObject;
  const t = trimNode(node) as { spec: unknown; status: Record<string, unknown> };
  assert.deepEqual(Object.keys(t.status).sort(), ['allocatable', 'capacity', 'conditions', 'images']);
  assert.deepEqual(t.spec, (node as { spec: unknown }).spec);
  const bare = { metadata: { name: 'x' } } as KubeObject;
  assert.equal(trimNode(bare), bare);
  assert.deepEqual(trimPod(bare), bare);
});
