import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Secret } from '../../api/index.js';
import { configMapPayload, secretPayload, downwardAPIPayload } from './payloads.js';
import { testPod } from '../podspec/test-fixtures.js';

const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { a: 'A', b: 'B' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } } as ConfigMap;
const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, data: { user: Buffer.from('admin').toString('base64') } } as Secret;

const show = (p: Map<string, { data: Buffer; mode: number }>) => Object.fromEntries([...p].map(([k, v]) => [k, [v.data.toString('hex'), v.mode.toString(8)]]));

test('configMap: every key with defaultMode, or items with paths and modes', () => {
  assert.deepEqual(show(configMapPayload(cm, undefined, 0o644, false)), { a: ['41', '644'], b: ['42', '644'], bin: ['000102', '644'] });
  assert.deepEqual(show(configMapPayload(cm, [{ key: 'a', path: 'dir/a.txt', mode: 0o400 }, { key: 'bin', path: 'b' }], 0o640, false)), { 'dir/a.txt': ['41', '400'], b: ['000102', '640'] });
  assert.throws(() => configMapPayload(cm, [{ key: 'zz', path: 'z' }], 0o644, false), /^Error: configmap references non-existent config key: zz$/);
  assert.deepEqual(show(configMapPayload(cm, [{ key: 'zz', path: 'z' }], 0o644, true)), {});
  assert.deepEqual(show(configMapPayload(undefined, undefined, 0o644, true)), {});
});

test('secret: values decoded; missing keys as upstream', () => {
  assert.deepEqual(show(secretPayload(secret, undefined, 0o400, false)), { user: [Buffer.from('admin').toString('hex'), '400'] });
  assert.throws(() => secretPayload(secret, [{ key: 'pw', path: 'pw' }], 0o644, false), /^Error: references non-existent secret key: pw$/);
});

test('downwardAPI: fields, labels formatted as upstream, resources with divisor; errors aggregated', () => {
  const pod = testPod({ containers: [{ name: 'app', resources: { limits: { memory: '64Mi' } } }] }, { labels: { b: '2', a: '1' } });
  const p = downwardAPIPayload(pod, [
    { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
    { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' }, mode: 0o600 },
    { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
    { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
  ], 0o644, { cpu: '2', memory: '4Gi' });
  assert.deepEqual(Object.fromEntries([...p].map(([k, v]) => [k, v.data.toString()])), { name: 'web', labels: 'a="1"\nb="2"', mem: '64', cpu: '2000' });
  assert.equal(p.get('labels')!.mode, 0o600);
  assert.throws(() => downwardAPIPayload(pod, [
    { path: 'x', fieldRef: { fieldPath: 'spec.nodeName' } },
    { path: 'y', resourceFieldRef: { containerName: 'nope', resource: 'limits.cpu' } },
  ], 0o644, {}), /^Error: \[unsupported fieldPath: spec.nodeName, container nope not found\]$/);
});
