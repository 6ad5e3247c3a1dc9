import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorToString, type KubeObject, type Pod } from '../api/index.js';
import { defaultSelector } from './listers.js';

const svc = (name: string, selector?: Record<string, string>, ns = 'ns'): KubeObject => ({ metadata: { name, namespace: ns }, spec: { selector } }) as KubeObject;
const pod = (labels: Record<string, string>, owner?: { apiVersion: string; kind: string; name: string }): Pod => ({
  metadata: { name: 'p', namespace: 'ns', labels, ...(owner ? { ownerReferences: [{ ...owner, uid: 'u', controller: true }] } : {}) },
}) as Pod;

function lookup(services: KubeObject[], owners: Record<string, KubeObject> = {}) {
  return {
    services: (ns: string) => services.filter((s) => s.metadata?.namespace === ns),
    owner: (kind: string, ns: string, name: string) => owners[`${kind}/${ns}/${name}`],
  };
}

test('services selecting the pod contribute their selectors; others and selector-less ones do not', () => {
  const s = defaultSelector(pod({ app: 'web', tier: 'fe' }), lookup([svc('web', { app: 'web' }), svc('fe', { tier: 'fe' }), svc('db', { app: 'db' }), svc('headless'), svc('other-ns', { app: 'web' }, 'x')]));
  assert.equal(selectorToString(s), 'app=web,tier=fe');
});

test('a controlling ReplicaSet adds its selector; a missing owner or an uncontrolled kind adds nothing', () => {
  const rs = { metadata: { name: 'web-1', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'web', 'pod-template-hash': '1' } } } } as KubeObject;
  const owned = pod({ app: 'web', 'pod-template-hash': '1' }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1' });
  assert.equal(selectorToString(defaultSelector(owned, lookup([], { 'ReplicaSet/ns/web-1': rs }))), 'app=web,pod-template-hash=1');
  assert.equal(selectorToString(defaultSelector(owned, lookup([]))), '', 'owner not in the cache');
  const job = pod({ app: 'web' }, { apiVersion: 'batch/v1', kind: 'Job', name: 'j' });
  assert.equal(selectorToString(defaultSelector(job, lookup([]))), '');
});

test('a ReplicationController selector merges with the services\' set', () => {
  const rc = { metadata: { name: 'rc', namespace: 'ns' }, spec: { selector: { app: 'web', v: '1' } } } as KubeObject;
  const p = pod({ app: 'web', v: '1' }, { apiVersion: 'v1', kind: 'ReplicationController', name: 'rc' });
  assert.equal(selectorToString(defaultSelector(p, lookup([svc('web', { app: 'web' })], { 'ReplicationController/ns/rc': rc }))), 'app=web,v=1');
});
