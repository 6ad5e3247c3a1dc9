import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../api/index.js';
import { makeEnvironmentVariables, expandCommandAndArgs, isEnvVarName } from './env.js';
import { MemoryObjectSource } from './object-source.js';
import { CreateContainerConfigError } from './errors.js';
import { testNode, testPod } from './test-fixtures.js';
import type { Container } from './spec-types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function svc(ns: string, name: string, clusterIP: string, ports: { name?: string; port: number; protocol?: string }[]): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { clusterIP, ports } } as Service;
}

function objects(): MemoryObjectSource {
  return new MemoryObjectSource([
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'shop', name: 'cfg' }, data: { MODE: 'prod', LEVEL: 'info', 'bad key': 'x', '1ST': 'y' } } as never,
    { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'shop', name: 'creds' }, data: { PASSWORD: b64('s3cret'), MODE: b64('from-secret') } } as never,
    svc('default', 'kubernetes', '10.43.0.1', [{ name: 'https', port: 443 }]),
    svc('shop', 'redis-primary', '10.43.0.20', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }]),
    svc('shop', 'headless', 'None', [{ port: 80 }]),
    svc('other', 'elsewhere', '10.43.0.30', [{ port: 80 }]),
  ]);
}

function asMap(env: { name: string; value: string }[]): Map<string, string> {
  return new Map(env.map((e) => [e.name, e.value]));
}

async function envOf(container: Partial<Container>, spec = {}, objs = objects(), node = testNode()) {
  const pod = testPod({ ...spec, containers: [{ name: 'app', image: 'busybox', ...container }] });
  return makeEnvironmentVariables(pod, pod.spec!.containers![0]!, { objects: objs, node, podIPs: ['10.42.0.7'] });
}

test('env overrides envFrom; later envFrom sources override earlier ones; $(VAR) sees earlier values', async () => {
  const env = asMap(await envOf({
    envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'creds' } }],
    env: [{ name: 'LEVEL', value: 'debug' }, { name: 'URL', value: 'redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)/$(MODE)' }, { name: 'LATER', value: '$(NOT_YET)' }, { name: 'NOT_YET', value: 'x' }],
  }));
  assert.equal(env.get('LEVEL'), 'debug');
  assert.equal(env.get('MODE'), 'from-secret');
  assert.equal(env.get('PASSWORD'), 's3cret');
  assert.equal(env.get('URL'), 'redis://10.43.0.20:6379/from-secret');
  assert.equal(env.get('LATER'), '$(NOT_YET)');
});

test('envFrom prefix, and invalid names skipped with an InvalidEnvironmentVariableNames event', async () => {
  const node = testNode();
  const env = asMap(await envOf({ envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'P_', configMapRef: { name: 'cfg' } }] }, {}, objects(), node));
  assert.equal(env.get('P_MODE'), 'prod');
  assert.equal(env.get('P_1ST'), 'y');
  assert.equal(env.has('1ST'), false);
  assert.equal(env.has('bad key'), false);
  assert.deepEqual(node.events.map((e) => [e.reason, e.message]), [
    ['InvalidEnvironmentVariableNames', 'Keys [1ST, bad key] from the EnvFrom configMap shop/cfg were skipped since they are considered invalid environment variable names.'],
    ['InvalidEnvironmentVariableNames', 'Keys [P_bad key] from the EnvFrom configMap shop/cfg were skipped since they are considered invalid environment variable names.'],
  ]);
});

test('missing objects and keys fail with upstream messages unless optional', async () => {
  const cases: [Partial<Container>, string][] = [
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k in ConfigMap shop/cfg"],
    [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
    [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] }, "couldn't find key k in Secret shop/creds"],
    [{ envFrom: [{ configMapRef: { name: 'nope' } }] }, 'configmap "nope" not found'],
    [{ envFrom: [{ secretRef: { name: 'nope' } }] }, 'secret "nope" not found'],
  ];
  for (const [c, message] of cases) {
    await assert.rejects(envOf(c), (err: unknown) => err instanceof CreateContainerConfigError && err.message === message && err.reason === 'CreateContainerConfigError', message);
  }
  const env = asMap(await envOf({
    envFrom: [{ configMapRef: { name: 'nope', optional: true } }, { secretRef: { name: 'nope', optional: true } }],
    env: [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
      { name: 'C', valueFrom: { secretKeyRef: { name: 'creds', key: 'k', optional: true } } },
    ],
  }));
  assert.equal(env.has('A') || env.has('B') || env.has('C'), false);
});

test('fieldRef: metadata, labels and annotations by key, spec and status fields', async () => {
  const pod = testPod({ containers: [{ name: 'app', env: [
    { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
    { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
    { name: 'OWNER', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['owner']" } } },
    { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
    { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    { name: 'HOST_IPS', valueFrom: { fieldRef: { fieldPath: 'status.hostIPs' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'POD_IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
  ] }] }, { labels: { tier: 'front' }, annotations: { owner: 'ops' } });
  const env = asMap(await makeEnvironmentVariables(pod, pod.spec!.containers![0]!, { objects: new MemoryObjectSource(), node: testNode({ hostIPs: ['192.168.1.10', 'fd00::10'] }), podIPs: ['10.42.0.7', 'fd42::7'] }));
  assert.deepEqual(Object.fromEntries([...env].filter(([k]) => !k.startsWith('KUBERNETES'))), {
    NAME: 'web', NS: 'shop', UID: 'uid-1', TIER: 'front', OWNER: 'ops', NODE: 'node-1', SA: 'default',
    HOST_IP: '192.168.1.10', HOST_IPS: '192.168.1.10,fd00::10', POD_IP: '10.42.0.7', POD_IPS: '10.42.0.7,fd42::7',
  });
  await assert.rejects(envOf({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] }), /unsupported fieldPath: spec.bogus/);
});

test('resourceFieldRef: divisor rounding up; unset limits default to node allocatable', async () => {
  const env = asMap(await envOf({
    resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1500m' } },
    env: [
      { name: 'REQ_CPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
      { name: 'REQ_CPU_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
      { name: 'LIM_CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'REQ_MEM_MI', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
      { name: 'LIM_MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
      { name: 'LIM_MEM_GI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Gi' } } },
    ],
  }));
  assert.equal(env.get('REQ_CPU'), '1');
  assert.equal(env.get('REQ_CPU_M'), '250');
  assert.equal(env.get('LIM_CPU'), '2');
  assert.equal(env.get('REQ_MEM_MI'), '64');
  assert.equal(env.get('LIM_MEM'), String(4 * 1024 ** 3));
  assert.equal(env.get('LIM_MEM_GI'), '4');
});

test('service links: namespace Services (not headless, not other namespaces) and the kubernetes Service', async () => {
  const env = await envOf({});
  assert.deepEqual(env, [
    { name: 'KUBERNETES_SERVICE_HOST', value: '10.43.0.1' },
    { name: 'KUBERNETES_SERVICE_PORT', value: '443' },
    { name: 'KUBERNETES_SERVICE_PORT_HTTPS', value: '443' },
    { name: 'KUBERNETES_PORT', value: 'tcp://10.43.0.1:443' },
    { name: 'KUBERNETES_PORT_443_TCP', value: 'tcp://10.43.0.1:443' },
    { name: 'KUBERNETES_PORT_443_TCP_PROTO', value: 'tcp' },
    { name: 'KUBERNETES_PORT_443_TCP_PORT', value: '443' },
    { name: 'KUBERNETES_PORT_443_TCP_ADDR', value: '10.43.0.1' },
    { name: 'REDIS_PRIMARY_SERVICE_HOST', value: '10.43.0.20' },
    { name: 'REDIS_PRIMARY_SERVICE_PORT', value: '6379' },
    { name: 'REDIS_PRIMARY_SERVICE_PORT_METRICS', value: '9121' },
    { name: 'REDIS_PRIMARY_PORT', value: 'tcp://10.43.0.20:6379' },
    { name: 'REDIS_PRIMARY_PORT_6379_TCP', value: 'tcp://10.43.0.20:6379' },
    { name: 'REDIS_PRIMARY_PORT_6379_TCP_PROTO', value: 'tcp' },
    { name: 'REDIS_PRIMARY_PORT_6379_TCP_PORT', value: '6379' },
    { name: 'REDIS_PRIMARY_PORT_6379_TCP_ADDR', value: '10.43.0.20' },
    { name: 'REDIS_PRIMARY_PORT_9121_TCP', value: 'tcp://10.43.0.20:9121' },
    { name: 'REDIS_PRIMARY_PORT_9121_TCP_PROTO', value: 'tcp' },
    { name: 'REDIS_PRIMARY_PORT_9121_TCP_PORT', value: '9121' },
    { name: 'REDIS_PRIMARY_PORT_9121_TCP_ADDR', value: '10.43.0.20' },
  ]);
  const off = asMap(await envOf({}, { enableServiceLinks: false }));
  assert.equal(off.get('KUBERNETES_SERVICE_HOST'), '10.43.0.1');
  assert.equal(off.has('REDIS_PRIMARY_SERVICE_HOST'), false);
});

test('a container variable wins over a service link of the same name, which is not repeated', async () => {
  const env = await envOf({ env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }] });
  assert.deepEqual(env.filter((e) => e.name === 'KUBERNETES_SERVICE_HOST'), [{ name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }]);
});

test('command and args expand from the final env; $$ escapes', () => {
  const out = expandCommandAndArgs({ name: 'c', command: ['sh', '-c', 'echo $(A) $$(A) $(B)'], args: ['$(A)'] }, [{ name: 'A', value: '1' }]);
  assert.deepEqual(out, { command: ['sh', '-c', 'echo 1 $(A) $(B)'], args: ['1'] });
  assert.deepEqual(expandCommandAndArgs({ name: 'c' }, []), { command: undefined, args: undefined });
});

test('env var names as upstream IsEnvVarName', () => {
  for (const ok of ['A', 'my.env-name', 'MY_ENV.NAME', '_x', '-a']) assert.equal(isEnvVarName(ok), true, ok);
  for (const bad of ['1A', 'a b', '.', '..x', '', 'a=b']) assert.equal(isEnvVarName(bad), false, bad);
});
