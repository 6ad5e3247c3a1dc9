import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RESOURCES, StatusError, Type, obj, anonObj, str, int32, int64, bool, num, list, map, quantity, intOrString,
  anyValue, bytes, time, microTime, withMeta, resourceSchema, ObjectMeta, type TSchema,
} from '../../api/index.js';
import { decodeObject, type DecodeContext } from './decode.js';
import { unknownFieldsError, unknownFieldWarnings } from './unknown-fields.js';
import { MAX_NESTING_DEPTH } from './state.js';

const ConfigMapSchema = RESOURCES.find((r) => r.kind === 'ConfigMap')!.schema;
const CM: DecodeContext = { kind: 'ConfigMap', apiVersion: 'v1' };
const DEPLOY: DecodeContext = { kind: 'Deployment', apiVersion: 'apps/v1' };

// A cut-down Deployment in the builder's vocabulary, enough to exercise every node type.
const ContainerPort = obj('io.k8s.api.core.v1.ContainerPort', '', { containerPort: int32(), protocol: withMeta(str(), { default: 'TCP' }) });
const Container = obj('io.k8s.api.core.v1.Container', '', {
  name: str(), image: str(), args: list(str()), ports: list(ContainerPort),
  resources: obj('io.k8s.api.core.v1.ResourceRequirements', '', { limits: map(quantity()), requests: map(quantity()) }),
});
const PodSpec = obj('io.k8s.api.core.v1.PodSpec', '', { containers: list(Container), terminationGracePeriodSeconds: int64() });
const DeploymentSpec = obj('io.k8s.api.apps.v1.DeploymentSpec', '', {
  replicas: withMeta(int32(), { default: 1 }),
  paused: bool(),
  template: obj('io.k8s.api.core.v1.PodTemplateSpec', '', { metadata: ObjectMeta, spec: PodSpec }),
  strategy: withMeta(obj('io.k8s.api.apps.v1.DeploymentStrategy', '', {
    type: str(),
    rollingUpdate: anonObj('', { maxSurge: intOrString(), maxUnavailable: intOrString() }),
  }), { default: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }),
  ratio: num(),
  config: anyValue(),
  extensions: obj('io.example.v1.Extensions', '', { known: str() }, { preserveUnknownFields: true }),
  things: map(obj('io.example.v1.Thing', '', { size: quantity() })),
  blob: bytes(),
  observedAt: time(),
  renewTime: microTime(),
});
const DeploymentSchema = resourceSchema('io.k8s.api.apps.v1.Deployment', { group: 'apps', version: 'v1', kind: 'Deployment' }, '', { spec: DeploymentSpec });

function decodeError(schema: TSchema, value: unknown, ctx: DecodeContext): string {
  try {
    decodeObject(schema, value, ctx);
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    assert.equal(e.status.code, 400);
    assert.equal(e.status.reason, 'BadRequest');
    return e.status.message!;
  }
  assert.fail('expected a decoding error');
}

const deployErr = (spec: unknown) => decodeError(DeploymentSchema, { apiVersion: 'apps/v1', kind: 'Deployment', spec }, DEPLOY);
const PREFIX = 'Deployment in version "v1" cannot be handled as a Deployment: ';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const c of Object.values(v)) deepFreeze(c);
    Object.freeze(v);
  }
  return v;
}

test('ConfigMap: known fields kept, unknown fields pruned and reported, nulls dropped', () => {
  const input = deepFreeze({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'cm', labels: { app: 'web', 'a.b/c': '' }, annotations: null, foo: 1 },
    data: { 'k.conf': 'x=1' }, binaryData: { bin: 'aGk=' }, immutable: null, extra: { deep: [1] },
  });
  const { object, unknownFields } = decodeObject(ConfigMapSchema, input, CM);
  assert.deepEqual(object, {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'cm', labels: { app: 'web', 'a.b/c': '' } },
    data: { 'k.conf': 'x=1' }, binaryData: { bin: 'aGk=' },
  });
  assert.deepEqual(unknownFields, ['metadata.foo', 'extra']);
  assert.notEqual(object.metadata, input.metadata);
});

test('ConfigMap: type errors carry Go struct and field context', () => {
  const cm = (patch: Record<string, unknown>) => decodeError(ConfigMapSchema, { apiVersion: 'v1', kind: 'ConfigMap', ...patch }, CM);
  const prefix = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: ';
  assert.equal(cm({ data: { a: 1 } }), `${prefix}json: cannot unmarshal number into Go struct field ConfigMap.data of type string`);
  assert.equal(cm({ data: 'x' }), `${prefix}json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string`);
  assert.equal(cm({ metadata: { labels: { a: true } } }), `${prefix}json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string`);
  assert.equal(cm({ metadata: 'x' }), `${prefix}json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta`);
  assert.equal(cm({ metadata: { finalizers: 'x' } }), `${prefix}json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string`);
  assert.equal(cm({ metadata: { ownerReferences: [{ uid: 5 }] } }), `${prefix}json: cannot unmarshal number into Go struct field OwnerReference.metadata.ownerReferences.uid of type string`);
  assert.equal(cm({ metadata: { generation: 1.5 } }), `${prefix}json: cannot unmarshal number 1.5 into Go struct field ObjectMeta.metadata.generation of type int64`);
  assert.equal(cm({ immutable: 'yes' }), `${prefix}json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool`);
  assert.equal(cm({ binaryData: { a: 'a=bc' } }), `${prefix}illegal base64 data at input byte 1`);
  assert.equal(decodeError(ConfigMapSchema, [], CM), `${prefix}json: cannot unmarshal array into Go value of type v1.ConfigMap`);
  assert.equal(decodeError(ConfigMapSchema, 'x', CM), `${prefix}json: cannot unmarshal string into Go value of type v1.ConfigMap`);
});

test('the first recoverable type error is reported', () => {
  assert.equal(deployErr({ replicas: 'three', paused: 'no' }), `${PREFIX}json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`);
});

test('integers must be integral and within range', () => {
  assert.equal(deployErr({ replicas: 3000000000 }), `${PREFIX}json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32`);
  assert.equal(deployErr({ replicas: 1.5 }), `${PREFIX}json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32`);
  assert.equal(deployErr({ template: { spec: { terminationGracePeriodSeconds: 1e19 } } }),
    `${PREFIX}json: cannot unmarshal number 10000000000000000000 into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64`);
  const ok = decodeObject(DeploymentSchema, { spec: { replicas: -2147483648, ratio: 0.25, template: { spec: { terminationGracePeriodSeconds: 2 ** 53 } } } }, DEPLOY);
  assert.equal((ok.object.spec as { replicas: number }).replicas, -2147483648);
});

test('errors inside lists name the element type and omit indexes, like Go', () => {
  assert.equal(deployErr({ template: { spec: { containers: ['x'] } } }),
    `${PREFIX}json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container`);
  assert.equal(deployErr({ template: { spec: { containers: [{ name: 'a' }, { image: 7 }] } } }),
    `${PREFIX}json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string`);
  assert.equal(deployErr({ template: { spec: { containers: [{ ports: [{ containerPort: '80' }] }] } } }),
    `${PREFIX}json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`);
  assert.equal(deployErr({ template: { spec: { containers: {} } } }),
    `${PREFIX}json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container`);
});

test('unknown fields use upstream path notation, including list indexes and map keys', () => {
  const { object, unknownFields } = decodeObject(DeploymentSchema, {
    apiVersion: 'apps/v1', kind: 'Deployment', status: {},
    spec: {
      foo: 1,
      template: { metadata: { labels: { x: 'y' }, bogus: true }, spec: { containers: [{ name: 'a' }, { name: 'b', bar: { baz: 1 }, ports: [{ containerPort: 80, hostIP: 'x' }] }] } },
      things: { k1: { size: '1', color: 'red' } },
    },
  }, DEPLOY);
  assert.deepEqual(unknownFields, [
    'status', 'spec.foo', 'spec.template.metadata.bogus', 'spec.template.spec.containers[1].bar',
    'spec.template.spec.containers[1].ports[0].hostIP', 'spec.things.k1.color',
  ]);
  const spec = object.spec as Record<string, any>;
  assert.deepEqual(spec.template.spec.containers[1], { name: 'b', ports: [{ containerPort: 80, protocol: 'TCP' }] });
  assert.deepEqual(spec.things, { k1: { size: '1' } });
  assert.equal('status' in object, false);
});

test('schema defaults fill absent (and null) properties of present objects, deep-cloned', () => {
  const a = decodeObject(DeploymentSchema, { spec: { replicas: null } }, DEPLOY).object.spec as Record<string, any>;
  assert.equal(a.replicas, 1);
  assert.deepEqual(a.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  a.strategy.rollingUpdate.maxSurge = 'mutated';
  const b = decodeObject(DeploymentSchema, { spec: {} }, DEPLOY).object.spec as Record<string, any>;
  assert.equal(b.strategy.rollingUpdate.maxSurge, '25%');
  assert.equal(decodeObject(DeploymentSchema, { spec: { replicas: 0 } }, DEPLOY).object.spec!.constructor, Object);
  assert.equal((decodeObject(DeploymentSchema, { spec: { replicas: 0 } }, DEPLOY).object.spec as { replicas: number }).replicas, 0);
  assert.equal('spec' in decodeObject(DeploymentSchema, {}, DEPLOY).object, false, 'absent objects are not created');
});

test('null list elements and map values become Go zero values', () => {
  const spec = decodeObject(DeploymentSchema, { spec: { template: { spec: { containers: [null, { args: ['a', null] }] } }, things: { a: null } } }, DEPLOY)
    .object.spec as Record<string, any>;
  assert.deepEqual(spec.template.spec.containers, [{}, { args: ['a', ''] }]);
  assert.deepEqual(spec.things, { a: {} });
});

test('quantities: numbers and strings canonicalised, bad text rejected with upstream message', () => {
  const limits = (l: unknown) => {
    const spec = decodeObject(DeploymentSchema, { spec: { template: { spec: { containers: [{ resources: { limits: l } }] } } } }, DEPLOY).object.spec as Record<string, any>;
    return spec.template.spec.containers[0].resources.limits;
  };
  assert.deepEqual(limits({ cpu: 0.5, memory: '1024Mi', gpu: 2, eph: ' 1000m ' }), { cpu: '500m', memory: '1Gi', gpu: '2', eph: '1' });
  const regex = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  assert.equal(deployErr({ template: { spec: { containers: [{ resources: { limits: { cpu: 'lots' } } }] } } }), PREFIX + regex);
  assert.equal(deployErr({ template: { spec: { containers: [{ resources: { limits: { cpu: true } } }] } } }), PREFIX + regex);
  assert.equal(deployErr({ template: { spec: { containers: [{ resources: { limits: { cpu: '' } } }] } } }), PREFIX + regex);
  assert.equal(deployErr({ template: { spec: { containers: [{ resources: { limits: { cpu: '1iK' } } }] } } }), `${PREFIX}unable to parse quantity's suffix`);
});

test('int-or-string accepts both; other values abort decoding with the int32 error', () => {
  const spec = decodeObject(DeploymentSchema, { spec: { strategy: { rollingUpdate: { maxSurge: 2, maxUnavailable: '10%' } } } }, DEPLOY).object.spec as Record<string, any>;
  assert.deepEqual(spec.strategy.rollingUpdate, { maxSurge: 2, maxUnavailable: '10%' });
  assert.equal(deployErr({ strategy: { rollingUpdate: { maxSurge: true } } }),
    `${PREFIX}json: cannot unmarshal bool into Go struct field DeploymentStrategy.spec.strategy.rollingUpdate.maxSurge of type int32`);
  // An UnmarshalJSON error aborts Go's decoder, so it wins over an earlier recoverable error.
  assert.equal(deployErr({ replicas: 'x', strategy: { rollingUpdate: { maxSurge: 1.5 } } }),
    `${PREFIX}json: cannot unmarshal number 1.5 into Go struct field DeploymentStrategy.spec.strategy.rollingUpdate.maxSurge of type int32`);
});

test('timestamps are parsed like metav1.Time/MicroTime and re-serialised in UTC', () => {
  const spec = decodeObject(DeploymentSchema, { spec: { observedAt: '2024-02-29T23:30:00.123-01:00', renewTime: '2024-01-01T01:00:00.123456+01:00' } }, DEPLOY);
  assert.equal(spec.object.spec && (spec.object.spec as any).observedAt, '2024-03-01T00:30:00Z');
  assert.equal((spec.object.spec as any).renewTime, '2024-01-01T00:00:00.123456Z');
  assert.equal(deployErr({ observedAt: 'yesterday' }),
    `${PREFIX}parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`);
  assert.equal(deployErr({ observedAt: 5 }), `${PREFIX}json: cannot unmarshal number into Go struct field DeploymentSpec.spec.observedAt of type string`);
  assert.equal(deployErr({ renewTime: '2024-01-01T00:00:00Z' }),
    `${PREFIX}parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"`);
  assert.equal(deployErr({ renewTime: '2024-01-01T00:00:00.1234567Z' }),
    `${PREFIX}parsing time "2024-01-01T00:00:00.1234567Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "7Z" as "Z07:00"`);
});

test('untyped and preserve-unknown-fields subtrees are kept as they are, copied', () => {
  const config = { a: [1, { b: null }], c: 'd' };
  const input = deepFreeze({ spec: { config, extensions: { known: 'k', other: { x: [1] }, n: null } } });
  const { object, unknownFields } = decodeObject(DeploymentSchema, input, DEPLOY);
  const spec = object.spec as Record<string, any>;
  assert.deepEqual(spec.config, config);
  assert.notEqual(spec.config, config);
  assert.notEqual(spec.config.a[1], config.a[1]);
  assert.deepEqual(spec.extensions, { known: 'k', other: { x: [1] }, n: null });
  assert.deepEqual(unknownFields, []);
  assert.equal(deployErr({ extensions: { known: 1 } }), `${PREFIX}json: cannot unmarshal number into Go struct field Extensions.spec.extensions.known of type string`);
});

test('bytes: base64 checked like Go, line breaks removed', () => {
  assert.equal((decodeObject(DeploymentSchema, { spec: { blob: 'aGVs\nbG8=' } }, DEPLOY).object.spec as any).blob, 'aGVsbG8=');
  assert.equal(deployErr({ blob: 'aGVsbG8' }), `${PREFIX}illegal base64 data at input byte 4`);
  assert.equal(deployErr({ blob: 'aGVsbG8=x' }), `${PREFIX}illegal base64 data at input byte 8`);
});

test('a __proto__ key stays data and never becomes a prototype', () => {
  const input = JSON.parse('{"metadata":{"labels":{"__proto__":"x","a":"b"}},"data":{"__proto__":"y"},"__proto__":{"polluted":true}}') as unknown;
  const { object, unknownFields } = decodeObject(ConfigMapSchema, input, CM);
  assert.equal(Object.getPrototypeOf(object.metadata!.labels), Object.prototype);
  assert.deepEqual(Object.keys(object.metadata!.labels!), ['__proto__', 'a']);
  assert.equal(Object.getOwnPropertyDescriptor(object.data as object, '__proto__')?.value, 'y');
  assert.deepEqual(unknownFields, ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('nesting deeper than the JSON limit is a 400, in typed, untyped and unknown subtrees', () => {
  const nest = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  // Root object + spec + config = 3 levels before the nested arrays.
  assert.doesNotThrow(() => decodeObject(DeploymentSchema, { spec: { config: nest(MAX_NESTING_DEPTH - 2) } }, DEPLOY));
  assert.equal(deployErr({ config: nest(MAX_NESTING_DEPTH - 1) }), `${PREFIX}exceeded max depth`);
  assert.equal(deployErr({ unknown: nest(50_000) }), `${PREFIX}exceeded max depth`);

  const Tree = Type.Recursive((Self) => obj('io.example.v1.Tree', '', { name: str(), children: list(Self) }));
  const TreeRoot = obj('io.example.v1.Forest', '', { tree: Tree });
  let tree: Record<string, unknown> = { name: 'leaf', odd: 1 };
  for (let i = 0; i < 3; i++) tree = { name: `n${i}`, children: [tree] };
  const decoded = decodeObject(TreeRoot, { tree }, { kind: 'Forest', apiVersion: 'example/v1' });
  assert.deepEqual(decoded.unknownFields, ['tree.children[0].children[0].children[0].odd']);
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 20_000; i++) deep = { children: [deep] };
  assert.equal(decodeError(TreeRoot, { tree: deep }, { kind: 'Forest', apiVersion: 'example/v1' }),
    'Forest in version "v1" cannot be handled as a Forest: exceeded max depth');
});

test('strict and warn texts for unknown fields', () => {
  assert.deepEqual(unknownFieldWarnings(['spec.foo', 'a"b', 'x\ty\u0001']), ['unknown field "spec.foo"', 'unknown field "a\\"b"', 'unknown field "x\\ty\\x01"']);
  const e = unknownFieldsError(DEPLOY, ['spec.foo', 'spec.containers[0].bar']);
  assert.equal(e.status.code, 400);
  assert.equal(e.status.reason, 'BadRequest');
  assert.equal(e.status.message, `${PREFIX}strict decoding error: unknown field "spec.foo", unknown field "spec.containers[0].bar"`);
  assert.equal(unknownFieldsError('ConfigMap', ['foo']).status.message,
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"');
});

test('at most 100 unknown fields are reported', () => {
  const many: Record<string, number> = {};
  for (let i = 0; i < 150; i++) many[`f${i}`] = i;
  assert.equal(decodeObject(ConfigMapSchema, many, CM).unknownFields.length, 100);
});

test('the input is never mutated', () => {
  const input = { apiVersion: 'apps/v1', spec: { replicas: null, template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 0.5 } }, zz: 1 }] } } } };
  const before = JSON.stringify(input);
  decodeObject(DeploymentSchema, input, DEPLOY);
  assert.equal(JSON.stringify(input), before);
});

test('decoding a ~2 KiB object stays far below 0.1 ms (schema compiled once)', (t) => {
  const container = (i: number) => ({
    name: `c${i}`, image: `registry.example/app-${i}:1.0`, args: ['--port=8080', '--log-level=info', '--feature-x'],
    ports: [{ containerPort: 8080 + i }, { containerPort: 9090 + i, protocol: 'UDP' }],
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: 0.1, memory: '128Mi' } },
  });
  const body = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'frontend' }, annotations: { 'deployment.kubernetes.io/revision': '3' } },
    spec: {
      replicas: 3,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container(0), container(1), container(2), container(3)], terminationGracePeriodSeconds: 30 } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      observedAt: '2024-01-01T00:00:00Z',
    },
  };
  const size = JSON.stringify(body).length;
  assert.ok(size > 1500 && size < 2600, String(size));
  const n = 3000;
  for (let i = 0; i < 2000; i++) decodeObject(DeploymentSchema, body, DEPLOY); // let the JIT settle
  const t0 = performance.now();
  for (let i = 0; i < n; i++) decodeObject(DeploymentSchema, body, DEPLOY);
  const us = ((performance.now() - t0) * 1000) / n;
  t.diagnostic(`decodeObject: ${us.toFixed(2)} µs per ${size}-byte Deployment`);
  assert.ok(us < 100, `${us} µs per decode`);
});
