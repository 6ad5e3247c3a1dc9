// SchemaConverter: hoisting, references, dialect differences (v2 vs v3) and keyword filtering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type, obj, str, int32, intOrString, quantity, time, map, list, withMeta, anyValue } from '../../api/index.js';
import { SchemaConverter } from './json-schema.js';

const Inner = obj('io.example.v1.Inner', 'Inner is a thing.', { value: str('the value') });
const Outer = obj('io.example.v1.Outer', 'Outer holds things.', {
  inner: Inner,
  described: withMeta(Inner, { description: 'A described inner.' }),
  many: list(Inner, 'Many inners.', { mergeKey: 'value', strategy: 'merge' }),
  port: intOrString('The port.'),
  size: quantity('The size.'),
  when: time('When it happened.'),
  labels: map(Type.Integer(), 'Counts.'),
  raw: anyValue('Anything.'),
  count: int32('A count.'),
});

test('v2: named nodes are hoisted once and referenced with #/definitions', () => {
  const conv = new SchemaConverter('v2');
  conv.define(Outer);
  const defs = Object.fromEntries(conv.definitions);
  assert.deepEqual(Object.keys(defs).sort(), [
    'io.example.v1.Inner', 'io.example.v1.Outer', 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Time', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  ]);
  const p = defs['io.example.v1.Outer']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(p.inner, { $ref: '#/definitions/io.example.v1.Inner' });
  assert.deepEqual(p.described, { $ref: '#/definitions/io.example.v1.Inner', description: 'A described inner.' });
  assert.deepEqual(p.many, {
    description: 'Many inners.', type: 'array', items: { $ref: '#/definitions/io.example.v1.Inner' },
    'x-kubernetes-patch-merge-key': 'value', 'x-kubernetes-patch-strategy': 'merge',
  });
  assert.deepEqual(p.port, { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString', description: 'The port.' });
  assert.deepEqual(p.labels, { description: 'Counts.', type: 'object', additionalProperties: { type: 'integer' } });
  assert.deepEqual(p.count, { format: 'int32', description: 'A count.', type: 'integer' });
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!.type, 'string');
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!.format, 'int-or-string');
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.api.resource.Quantity']!.type, 'string');
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time']!.format, 'date-time');
  // Internal keys never leak into the document.
  const text = JSON.stringify(defs);
  assert.equal(text.includes('x-capstan-'), false);
  assert.equal(text.includes('patternProperties'), false);
  assert.equal(text.includes('anyOf'), false);
});

test('v3: described references use allOf; int-or-string and Quantity as upstream v3', () => {
  const conv = new SchemaConverter('v3');
  conv.define(Outer);
  const defs = Object.fromEntries(conv.definitions);
  const p = defs['io.example.v1.Outer']!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(p.inner, { $ref: '#/components/schemas/io.example.v1.Inner' });
  assert.deepEqual(p.described, { allOf: [{ $ref: '#/components/schemas/io.example.v1.Inner' }], description: 'A described inner.' });
  assert.deepEqual(p.when, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }], description: 'When it happened.' });
  const ios = defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!;
  assert.equal(ios['x-kubernetes-int-or-string'], true);
  assert.deepEqual(ios.anyOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.api.resource.Quantity']!.oneOf, [{ type: 'string' }, { type: 'number' }]);
  assert.deepEqual(p.raw, { description: 'Anything.', 'x-kubernetes-preserve-unknown-fields': true });
});

test('anonymous unions, literals, exclusive bounds and recursion', () => {
  const Node: Record<string, unknown> = { 'x-capstan-definition': 'io.example.v1.Node', type: 'object', description: 'A tree node.', properties: {} };
  (Node.properties as Record<string, unknown>).children = { type: 'array', items: Node };
  const schema = obj('io.example.v1.Misc', 'Misc.', {
    anon: Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true, description: 'anon' }),
    either: Type.Union([Type.String(), Type.Null()]),
    mixed: Type.Union([Type.String(), Type.Integer()]),
    mode: Type.Literal('Always'),
    positive: Type.Integer({ exclusiveMinimum: 0 }),
    tree: Node as never,
  });
  const v2 = new SchemaConverter('v2');
  v2.define(schema);
  const p2 = v2.definitions.get('io.example.v1.Misc')!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(p2.anon, { type: 'string', format: 'int-or-string', description: 'anon' });
  assert.deepEqual(p2.either, { type: 'string' });
  assert.deepEqual(p2.mixed, {});
  assert.deepEqual(p2.mode, { enum: ['Always'], type: 'string' });
  assert.deepEqual(p2.positive, { minimum: 0, exclusiveMinimum: true, type: 'integer' });
  assert.deepEqual(v2.definitions.get('io.example.v1.Node'), {
    type: 'object', description: 'A tree node.', properties: { children: { type: 'array', items: { $ref: '#/definitions/io.example.v1.Node' } } },
  });
  const v3 = new SchemaConverter('v3');
  v3.define(schema);
  const p3 = v3.definitions.get('io.example.v1.Misc')!.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(p3.anon, { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], description: 'anon' });
  assert.deepEqual(p3.either, { type: 'string', nullable: true });
  assert.deepEqual(p3.mixed, { anyOf: [{ type: 'string' }, { type: 'integer' }] });
});

test('define rejects schemas without a definition name; input schemas are not mutated', () => {
  const conv = new SchemaConverter('v2');
  assert.throws(() => conv.define(str('x')), /no definition name/);
  const before = JSON.stringify(Outer);
  conv.define(Outer);
  assert.equal(JSON.stringify(Outer), before);
});
