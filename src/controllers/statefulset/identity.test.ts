import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodSpec, StatefulSet } from '../../api/index.js';
import { claimsFor, newStatefulSetPod, ordinalOf } from './identity.js';

const set = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: {
    serviceName: 'nginx', selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'www', emptyDir: {} }, { name: 'cfg', emptyDir: {} }] } },
    volumeClaimTemplates: [{ metadata: { name: 'www', labels: { tier: 'data' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
} as StatefulSet;

test('a StatefulSet pod has a stable name, hostname, subdomain, labels, claim volume and revision', () => {
  const pod = newStatefulSetPod(set, set.spec?.template, 2, 'web-abc') as Pod;
  assert.equal(pod.metadata?.name, 'web-2');
  assert.deepEqual(pod.metadata?.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': 'web-abc' });
  const spec = pod.spec as PodSpec;
  assert.equal(spec.hostname, 'web-2');
  assert.equal(spec.subdomain, 'nginx');
  assert.deepEqual(spec.volumes, [{ name: 'cfg', emptyDir: {} }, { name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } }]);
  assert.deepEqual(pod.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['StatefulSet', 'web', 'u1', true]]);
});

test('claims are <template>-<set>-<ordinal>, labelled with the selector', () => {
  const [claim] = claimsFor(set, 1);
  assert.equal(claim?.metadata?.name, 'www-web-1');
  assert.deepEqual(claim?.metadata?.labels, { tier: 'data', app: 'web' });
  assert.deepEqual(claim?.spec?.accessModes, ['ReadWriteOnce']);
});

test('ordinals parse only for this set\'s pods', () => {
  const p = (name: string) => ({ metadata: { name } }) as Pod;
  assert.equal(ordinalOf(set, p('web-10')), 10);
  assert.equal(ordinalOf(set, p('web-x')), -1);
  assert.equal(ordinalOf(set, p('webby-1')), -1);
  assert.equal(ordinalOf(set, p('other-web-1')), -1);
});
