// Strategic merge patches shaped like the ones kubectl sends (apply's three-way patches with
// $setElementOrder, $retainKeys, $deleteFromPrimitiveList and nulls; edit/patch two-way patches)
// against a Pod-like schema whose lists carry upstream's patch metadata.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { FakePodSchema } from './fake-schemas.js';

const live = {
  apiVersion: 'v1', kind: 'FakePod',
  metadata: {
    name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7',
    labels: { app: 'web', tier: 'front' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}', note: 'n' },
    finalizers: ['example.com/a', 'example.com/b', 'example.com/server-added'],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', uid: 'o1' }],
  },
  spec: {
    containers: [
      {
        name: 'app', image: 'nginx:1.24', args: ['-g', 'daemon off;'],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
      },
      { name: 'sidecar', image: 'busybox' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }],
    tolerations: [{ key: 'k1', operator: 'Exists' }],
    nodeSelector: { disk: 'ssd' },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    extra: { list: [1, 2], map: { a: 1 } },
  },
};

type Json = Record<string, any>;

function apply(patch: unknown): Json {
  const before = structuredClone(live);
  const out = applyStrategicMergePatch(live, patch, FakePodSchema) as Json;
  assert.deepEqual(live, before, 'live object must not be mutated');
  return out;
}

describe('kubectl apply three-way patches', () => {
  it('changes one container image, keeping the rest of the list (setElementOrder)', () => {
    const out = apply({ spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }], containers: [{ name: 'app', image: 'nginx:1.25' }] } });
    assert.deepEqual(out.spec.containers.map((c: Json) => [c.name, c.image]), [['app', 'nginx:1.25'], ['sidecar', 'busybox']]);
    assert.deepEqual(out.spec.containers[0].env, live.spec.containers[0].env, 'untouched fields of the merged container stay');
  });

  it('removes a container dropped from the config ($patch: delete) and reorders', () => {
    const out = apply({ spec: { '$setElementOrder/containers': [{ name: 'sidecar' }], containers: [{ name: 'app', $patch: 'delete' }] } });
    assert.deepEqual(out.spec.containers, [{ name: 'sidecar', image: 'busybox' }]);
  });

  it('adds a container at the place $setElementOrder gives', () => {
    const out = apply({ spec: {
      '$setElementOrder/containers': [{ name: 'app' }, { name: 'log' }, { name: 'sidecar' }],
      containers: [{ name: 'log', image: 'fluentbit' }],
    } });
    assert.deepEqual(out.spec.containers.map((c: Json) => c.name), ['app', 'log', 'sidecar']);
  });

  it('deletes a label with null and updates the last-applied annotation', () => {
    const out = apply({ metadata: { labels: { tier: null, version: 'v2' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' } } });
    assert.deepEqual(out.metadata.labels, { app: 'web', version: 'v2' });
    assert.deepEqual(out.metadata.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}', note: 'n' });
  });

  it('edits finalizers as a set: $deleteFromPrimitiveList, additions, $setElementOrder', () => {
    const out = apply({ metadata: {
      '$deleteFromPrimitiveList/finalizers': ['example.com/a'],
      '$setElementOrder/finalizers': ['example.com/b', 'example.com/c'],
      finalizers: ['example.com/c'],
    } });
    // Server-added values the patch does not mention survive, after the ordered ones.
    assert.deepEqual(out.metadata.finalizers, ['example.com/b', 'example.com/c', 'example.com/server-added']);
  });

  it('switches a volume source with $retainKeys (volumes are merge,retainKeys)', () => {
    const out = apply({ spec: {
      '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
      volumes: [{ $retainKeys: ['hostPath', 'name'], hostPath: { path: '/data' }, name: 'data' }],
    } });
    assert.deepEqual(out.spec.volumes, [{ name: 'data', hostPath: { path: '/data' } }, { name: 'cfg', configMap: { name: 'c' } }]);
  });

  it('switches the deployment strategy with $retainKeys and a null', () => {
    const out = apply({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
    const onlyRetain = apply({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(onlyRetain.spec.strategy, { type: 'Recreate' });
  });

  it('merges ports by containerPort (integer merge key) with $setElementOrder', () => {
    const out = apply({ spec: { containers: [{
      name: 'app',
      '$setElementOrder/ports': [{ containerPort: 443 }, { containerPort: 80 }],
      ports: [{ containerPort: 443, protocol: 'TCP' }, { containerPort: 80, name: 'http' }],
    }] } });
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 443, protocol: 'TCP' }, { containerPort: 80, protocol: 'TCP', name: 'http' }]);
  });

  it('deletes an env var and changes another', () => {
    const out = apply({ spec: { containers: [{
      name: 'app', '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'A', $patch: 'delete' }, { name: 'B', value: '3' }],
    }] } });
    assert.deepEqual(out.spec.containers[0].env, [{ name: 'B', value: '3' }]);
  });
});

describe('kubectl patch / edit two-way patches', () => {
  it('replaces atomic lists (tolerations, args)', () => {
    const out = apply({ spec: { tolerations: [{ key: 'k2', operator: 'Equal' }], containers: [{ name: 'app', args: ['-v'] }] } });
    assert.deepEqual(out.spec.tolerations, [{ key: 'k2', operator: 'Equal' }]);
    assert.deepEqual(out.spec.containers[0].args, ['-v']);
  });

  it('merges map-valued fields (resources.limits, nodeSelector)', () => {
    const out = apply({ spec: { nodeSelector: { zone: 'a' }, containers: [{ name: 'app', resources: { limits: { cpu: '1', memory: null } } }] } });
    assert.deepEqual(out.spec.nodeSelector, { disk: 'ssd', zone: 'a' });
    assert.deepEqual(out.spec.containers[0].resources, { limits: { cpu: '1' } });
  });

  it('replaces an int-or-string value of the other type', () => {
    const out = apply({ spec: { strategy: { rollingUpdate: { maxSurge: 1 } } } });
    assert.deepEqual(out.spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: '25%' });
  });

  it('adds an owner reference (merge key uid) and keeps the existing one', () => {
    const out = apply({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'o2' }] } });
    assert.deepEqual(out.metadata.ownerReferences.map((o: Json) => o.uid), ['o2', 'o1']);
  });

  it('adds a container without $setElementOrder: it goes first, as upstream does', () => {
    const out = apply({ spec: { containers: [{ name: 'new', image: 'redis' }] } });
    assert.deepEqual(out.spec.containers.map((c: Json) => c.name), ['new', 'app', 'sidecar']);
  });

  it('treats opaque subtrees as JSON merge patch (lists replaced, maps merged)', () => {
    const out = apply({ spec: { extra: { list: [3], map: { b: 2 } } } });
    assert.deepEqual(out.spec.extra, { list: [3], map: { a: 1, b: 2 } });
  });

  it('returns a result that shares nothing with its inputs', () => {
    const patch = { spec: { containers: [{ name: 'x', env: [{ name: 'E' }] }] } };
    const out = applyStrategicMergePatch(live, patch, FakePodSchema) as Json;
    out.spec.containers[0].env[0].name = 'changed';
    out.metadata.labels.app = 'changed';
    assert.equal(patch.spec.containers[0].env[0].name, 'E');
    assert.equal(live.metadata.labels.app, 'web');
  });
});
