// Shared test data for the pod-spec tests: a node and a pod builder.
import type { Pod } from '../../api/index.js';
import type { NodeContext, EventType } from './node-context.js';

export interface RecordedEvent { type: EventType; reason: string; message: string }

export function testNode(overrides: Partial<NodeContext> = {}): NodeContext & { events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  return {
    nodeName: 'node-1',
    hostIPs: ['192.168.1.10'],
    allocatable: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi' },
    memoryCapacityBytes: 4 * 1024 ** 3,
    clusterDNS: ['10.43.0.10'],
    clusterDomain: 'cluster.local',
    hostResolvConf: 'nameserver 192.168.1.1\nsearch example.com corp.example.com.\noptions timeout:2\n',
    logsDir: '/var/log',
    recordEvent: (_pod, type, reason, message) => { events.push({ type, reason, message }); },
    events,
    ...overrides,
  };
}

export function testPod(spec: Partial<NonNullable<Pod['spec']>> = {}, meta: Partial<NonNullable<Pod['metadata']>> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-1', ...meta },
    spec: { containers: [{ name: 'app', image: 'busybox' }], nodeName: 'node-1', serviceAccountName: 'default', ...spec },
  } as Pod;
}
