// DefinitionIndex and the SchemaConverter's use sites: a shared definition keeps its declared body,
// each place of use keeps its own description, default and x-kubernetes-* keywords beside the
// reference (upstream: `$ref` siblings in v2, `allOf` + siblings in v3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { obj, str, list, withMeta } from '../../api/index.js';
import { DefinitionIndex } from './hoisting.js';
import { SchemaConverter } from './json-schema.js';

const Strategy = obj('io.example.v1.Strategy', 'Strategy is how to roll out.', { type: str('The type.') }, { extra: { 'x-kubernetes-map-type': 'atomic' } });
const strategyUse = withMeta(Strategy, { description: 'The strategy to use.', 'x-kubernetes-patch-strategy': 'retainKeys' });

test('index: the un-annotated variant is the definition; annotations are what a use adds', () => {
  const index = new DefinitionIndex();
  // The annotated use is seen first: the definition must still be the declaration.
  index.collect(obj('io.example.v1.Spec', 'Spec.', { strategy: strategyUse, other: Strategy }));
  const body = index.canonical('io.example.v1.Strategy');
  assert.equal(body.description, 'Strategy is how to roll out.');
  assert.equal(body['x-kubernetes-patch-strategy'], undefined);
  assert.equal(body['x-kubernetes-map-type'], 'atomic', 'a key every use agrees on stays on the type');
  assert.deepEqual(index.annotations(strategyUse), { description: 'The strategy to use.', 'x-kubernetes-patch-strategy': 'retainKeys' });
  assert.deepEqual(index.annotations(Strategy), {});
});

test('index: a key some use lacks is a use-site key; member-only keys never stay on a definition', () => {
  const Bare = obj('io.example.v1.Bare', '', { a: str() });
  const described = withMeta(Bare, { description: 'A described use.', 'x-kubernetes-list-type': 'atomic' });
  const index = new DefinitionIndex();
  index.collect(obj('io.example.v1.Holder', 'Holder.', { one: described, two: Bare }));
  const body = index.canonical('io.example.v1.Bare');
  assert.equal(body.description, undefined);
  assert.equal(body['x-kubernetes-list-type'], undefined);
  // Alone, an annotated use still leaves member-only keys at the use site.
  const lone = new DefinitionIndex();
  lone.collect(strategyUse);
  assert.equal(lone.canonical('io.example.v1.Strategy')['x-kubernetes-patch-strategy'], undefined);
  assert.deepEqual(lone.annotations(strategyUse), { 'x-kubernetes-patch-strategy': 'retainKeys' });
});

test('index: declarations win over uses, authoritative declarations over plain ones', () => {
  const Other = obj('io.example.v1.Strategy', 'A poorer copy.', { type: str() });
  const index = new DefinitionIndex();
  index.declare(Other);
  index.declare(Strategy, true);
  index.declare(withMeta(Strategy, { description: 'ignored: a later authoritative body' }), true);
  index.collect(strategyUse);
  assert.equal(index.declaration('io.example.v1.Strategy'), Strategy);
  assert.equal(index.canonical('io.example.v1.Strategy').description, 'Strategy is how to roll out.');
  assert.throws(() => index.declare(str('no name')), /no definition name/);
  assert.throws(() => index.canonical('io.example.v1.Unknown'), /never collected/);
});

test('index: the children of a declared name are walked through its declaration only', () => {
  const Inner = obj('io.example.v1.Inner', 'Inner.', {});
  const Declared = obj('io.example.v1.Outer', 'Outer.', { inner: Inner });
  const Copy = obj('io.example.v1.Outer', 'Outer copy.', { stray: obj('io.example.v1.Stray', 'Stray.', {}) });
  const index = new DefinitionIndex();
  index.declare(Declared);
  index.collect(Copy);
  assert.equal(index.canonical('io.example.v1.Inner').description, 'Inner.');
  assert.throws(() => index.canonical('io.example.v1.Stray'), /never collected/);
});

test('converter: use sites in v2 ($ref siblings, no default) and v3 (allOf, default kept)', () => {
  const Spec = obj('io.example.v1.Spec', 'Spec.', {
    strategy: strategyUse,
    plain: Strategy,
    defaulted: withMeta(Strategy, { default: {} }),
    items: list(Strategy, 'Strategies.', { listType: 'atomic' }),
  });
  const v2 = new SchemaConverter('v2');
  v2.define(Spec);
  const p2 = v2.definitions.get('io.example.v1.Spec')!.properties as Record<string, unknown>;
  const ref2 = { $ref: '#/definitions/io.example.v1.Strategy' };
  assert.deepEqual(p2.strategy, { ...ref2, description: 'The strategy to use.', 'x-kubernetes-patch-strategy': 'retainKeys' });
  assert.deepEqual(p2.plain, ref2);
  assert.deepEqual(p2.defaulted, ref2);
  assert.deepEqual(p2.items, { description: 'Strategies.', type: 'array', items: ref2, 'x-kubernetes-list-type': 'atomic' });
  assert.deepEqual(v2.definitions.get('io.example.v1.Strategy'), {
    description: 'Strategy is how to roll out.', type: 'object', properties: { type: { description: 'The type.', type: 'string' } }, 'x-kubernetes-map-type': 'atomic',
  });
  const v3 = new SchemaConverter('v3');
  v3.define(Spec);
  const p3 = v3.definitions.get('io.example.v1.Spec')!.properties as Record<string, unknown>;
  const ref3 = { $ref: '#/components/schemas/io.example.v1.Strategy' };
  assert.deepEqual(p3.strategy, { allOf: [ref3], description: 'The strategy to use.', 'x-kubernetes-patch-strategy': 'retainKeys' });
  assert.deepEqual(p3.plain, ref3);
  assert.deepEqual(p3.defaulted, { allOf: [ref3], default: {} });
});

test('converter: definitions follow later define and declare calls', () => {
  const conv = new SchemaConverter('v2');
  conv.define(obj('io.example.v1.Spec', 'Spec.', { strategy: strategyUse }));
  assert.equal(conv.definitions.get('io.example.v1.Strategy')!.description, 'The strategy to use.', 'alone, the only use is all there is');
  conv.declare(Strategy);
  assert.equal(conv.definitions.get('io.example.v1.Strategy')!.description, 'Strategy is how to roll out.');
  conv.define(obj('io.example.v1.Other', 'Other.', {}));
  assert.ok(conv.definitions.has('io.example.v1.Other'));
  assert.throws(() => conv.declare(str('x')), /no definition name/);
});
