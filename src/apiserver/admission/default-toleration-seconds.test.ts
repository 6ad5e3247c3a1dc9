// DefaultTolerationSeconds admission as upstream's plugin tests pin it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pods, type KubeObject, type ResourceType } from '../../api/index.js';
import type { AdmissionAttributes, Operation } from './chain.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

function admit(tolerations: object[] | undefined, operation: Operation = 'CREATE', subresource = ''): object[] | undefined {
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...(tolerations ? { tolerations } : {}) } } as KubeObject;
  const attrs: AdmissionAttributes = { operation, rt: pods as ResourceType, namespace: 'default', name: 'p', subresource, object, user: { name: 'u', groups: [] }, dryRun: false };
  void defaultTolerationSeconds().admit!(attrs);
  return (object.spec as { tolerations?: object[] }).tolerations;
}

test('a pod without tolerations gets both, 300 s each', () => {
  assert.deepEqual(admit(undefined), [notReady, unreachable]);
});

test('existing tolerations are kept; a matching one (any seconds) suppresses its default', () => {
  const mine = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 };
  const other = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
  assert.deepEqual(admit([other, mine]), [other, mine, notReady]);
});

test('an empty key or effect tolerates everything: nothing added', () => {
  assert.deepEqual(admit([{ operator: 'Exists' }]), [{ operator: 'Exists' }]);
  assert.deepEqual(admit([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists' }])?.length, 2);
});

test('a NoSchedule toleration of the same key does not count', () => {
  const ns = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' };
  assert.deepEqual(admit([ns]), [ns, notReady, unreachable]);
});

test('only pod creation is changed', () => {
  assert.equal(admit(undefined, 'UPDATE'), undefined);
  assert.equal(admit(undefined, 'CREATE', 'status'), undefined);
});
