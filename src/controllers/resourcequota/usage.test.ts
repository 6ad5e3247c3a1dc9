// Quota usage as upstream's evaluators compute it: pod compute resources (sum of containers, at
// least the largest init container, plus overhead), terminal and expired-deleting pods not
// charged, object counts, scopes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateUsage, podCharges, podResource, type NamespaceObjects, type QuotaPod } from './usage.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function pod(requests: Record<string, string>, limits: Record<string, string> = {}, extra: Partial<QuotaPod> = {}): QuotaPod {
  return { metadata: { name: 'p' }, spec: { containers: [{ resources: { requests, limits } }] }, status: { phase: 'Running' }, ...extra };
}

const objs = (over: Partial<NamespaceObjects>): NamespaceObjects => ({
  pods: [], services: [], configmaps: 0, secrets: 0, pvcs: [], resourcequotas: 1, count: () => undefined, ...over,
});

test('a pod charges the sum of its containers, at least its largest init container, plus overhead', () => {
  const p: QuotaPod = {
    spec: {
      containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { resources: { requests: { cpu: '200m' } } }],
      initContainers: [{ resources: { requests: { cpu: '500m', memory: '32Mi' } } }],
      overhead: { cpu: '10m' },
    },
  };
  assert.equal(podResource(p, 'requests', 'cpu').nanos, 510_000_000n);
  assert.equal(podResource(p, 'requests', 'memory').nanos, 64n * 1024n * 1024n * 1_000_000_000n);
  assert.equal(podResource(p, 'limits', 'cpu').nanos, 0n);
});

test('terminal pods and pods past their deletion grace are not charged', () => {
  assert.equal(podCharges(pod({}), NOW), true);
  assert.equal(podCharges(pod({}, {}, { status: { phase: 'Succeeded' } }), NOW), false);
  const deleting = (grace: number) => pod({}, {}, { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: grace } });
  assert.equal(podCharges(deleting(30), NOW + 10_000), true);
  assert.equal(podCharges(deleting(0), NOW + 10_000), false);
});

test('usage covers exactly the resources spec.hard names', () => {
  const used = calculateUsage(
    ['pods', 'requests.cpu', 'cpu', 'limits.memory', 'services', 'services.nodeports', 'configmaps', 'count/secrets', 'count/deployments.apps', 'requests.storage', 'example.com/widgets'],
    objs({
      pods: [pod({ cpu: '250m' }, { memory: '1Gi' }), pod({ cpu: '1' }), pod({ cpu: '5' }, {}, { status: { phase: 'Failed' } })],
      services: [{ spec: { type: 'ClusterIP', ports: [{}] } }, { spec: { type: 'NodePort', ports: [{}, {}] } }],
      configmaps: 2, secrets: 1,
      pvcs: [{ spec: { resources: { requests: { storage: '1Gi' } } } }, { spec: { resources: { requests: { storage: '512Mi' } } } }],
      count: (r, g) => (r === 'deployments' && g === 'apps' ? 4 : undefined),
    }),
    [], NOW,
  );
  assert.deepEqual(used, {
    pods: '2', 'requests.cpu': '1250m', cpu: '1250m', 'limits.memory': '1Gi', services: '2', 'services.nodeports': '2',
    configmaps: '2', 'count/secrets': '1', 'count/deployments.apps': '4', 'requests.storage': '1536Mi',
  });
});

test('scoped quotas count only matching pods and only pod resources', () => {
  const pods = [pod({}), pod({ cpu: '1' }), pod({}, {}, { spec: { containers: [{}], activeDeadlineSeconds: 60 } })];
  const hard = ['pods', 'configmaps'];
  assert.deepEqual(calculateUsage(hard, objs({ pods, configmaps: 3 }), [{ scopeName: 'BestEffort', operator: 'Exists' }], NOW), { pods: '2' });
  assert.deepEqual(calculateUsage(hard, objs({ pods }), [{ scopeName: 'NotBestEffort', operator: 'Exists' }], NOW), { pods: '1' });
  assert.deepEqual(calculateUsage(hard, objs({ pods }), [{ scopeName: 'Terminating', operator: 'Exists' }], NOW), { pods: '1' });
  assert.deepEqual(calculateUsage(hard, objs({ pods }), [{ scopeName: 'NotTerminating', operator: 'Exists' }, { scopeName: 'BestEffort', operator: 'Exists' }], NOW), { pods: '1' });
});
