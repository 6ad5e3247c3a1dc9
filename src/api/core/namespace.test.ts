import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaces, type Namespace } from './namespace.js';

test('namespace create: finalizer, phase and name label as upstream', () => {
  const ns: Namespace = { metadata: { name: 'team-a' }, status: { phase: 'Terminating' } };
  namespaces.prepareForCreate!(ns);
  namespaces.defaults!(ns);
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.equal(ns.metadata?.labels?.['kubernetes.io/metadata.name'], 'team-a');
  assert.deepEqual(namespaces.validate!(ns, { namespace: '' }), []);
  assert.equal(namespaces.selectableFields!['status.phase']!(ns), 'Active');
});

test('namespace update keeps spec.finalizers (only /finalize changes them)', () => {
  const old: Namespace = { metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] } };
  const ns: Namespace = { metadata: { name: 'a' }, spec: { finalizers: [] } };
  namespaces.prepareForUpdate!(ns, old);
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
});

test('namespace finalizer names', () => {
  const cases: [string, string | undefined][] = [
    ['kubernetes', undefined],
    ['example.com/cleanup', undefined],
    ['orphan', undefined],
    ['cleanup', 'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
  ];
  for (const [f, want] of cases) {
    const errs = namespaces.validate!({ metadata: { name: 'a' }, spec: { finalizers: [f] } }, { namespace: '' });
    assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), want ? [want] : [], f);
  }
});

test('namespace finalize subresource paths are indexed', async () => {
  const { validateNamespaceFinalizers } = await import('./namespace.js');
  assert.deepEqual(validateNamespaceFinalizers(['kubernetes', 'bad'], true).map((e) => e.field), ['spec.finalizers[1]']);
});
