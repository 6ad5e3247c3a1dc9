// JSON patch (RFC 6902) as the API server applies it; status codes per upstream's applyJSPatch
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go): 400 for a body that is not a list of
// operations, 413 past 10000 operations, 422 (generic message) for any failure while applying.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../api/index.js';
import { applyJsonPatch } from './json-patch.js';

const doc = {
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'example.com/a~b': 'x' } },
  spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] },
};

function expectStatus(fn: () => unknown, code: number, reason: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
    assert.equal(e.status.code, code);
    assert.equal(e.status.reason, reason);
    assert.equal(e.status.message, message);
    return true;
  });
}

describe('applyJsonPatch', () => {
  const ok: { name: string; patch: unknown[]; check: (out: any) => void }[] = [
    { name: 'add a label', patch: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }], check: (o) => assert.deepEqual(o.metadata.labels, { app: 'web', tier: 'front' }) },
    { name: 'add to the end of a list with -', patch: [{ op: 'add', path: '/spec/containers/-', value: { name: 'c' } }], check: (o) => assert.deepEqual(o.spec.containers.map((c: any) => c.name), ['a', 'b', 'c']) },
    { name: 'insert into a list by index', patch: [{ op: 'add', path: '/spec/containers/0', value: { name: 'z' } }], check: (o) => assert.deepEqual(o.spec.containers.map((c: any) => c.name), ['z', 'a', 'b']) },
    { name: 'remove a list element', patch: [{ op: 'remove', path: '/spec/containers/0' }], check: (o) => assert.deepEqual(o.spec.containers, [{ name: 'b', image: 'redis' }]) },
    { name: 'replace a value', patch: [{ op: 'replace', path: '/spec/containers/1/image', value: 'redis:7' }], check: (o) => assert.equal(o.spec.containers[1].image, 'redis:7') },
    { name: 'move a value', patch: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' }], check: (o) => assert.deepEqual(o.metadata.labels, { name: 'web' }) },
    { name: 'copy a value', patch: [{ op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' }], check: (o) => assert.deepEqual(o.spec.containers[2], { name: 'a', image: 'nginx' }) },
    { name: 'a passing test then a change', patch: [{ op: 'test', path: '/metadata/name', value: 'web' }, { op: 'replace', path: '/metadata/name', value: 'web2' }], check: (o) => assert.equal(o.metadata.name, 'web2') },
    // RFC 6901: ~1 is '/', ~0 is '~'.
    { name: 'pointer escapes ~0 and ~1', patch: [{ op: 'remove', path: '/metadata/annotations/example.com~1a~0b' }], check: (o) => assert.deepEqual(o.metadata.annotations, {}) },
    { name: 'an empty patch', patch: [], check: (o) => assert.deepEqual(o, doc) },
  ];
  for (const c of ok) {
    it(c.name, () => {
      const before = structuredClone(doc);
      const out = applyJsonPatch(doc, c.patch);
      c.check(out);
      assert.deepEqual(doc, before, 'original must not be mutated');
    });
  }

  it('does not share added values with the patch', () => {
    const value = { name: 'c' };
    const out = applyJsonPatch(doc, [{ op: 'add', path: '/spec/containers/-', value }]) as any;
    out.spec.containers[2].name = 'changed';
    assert.equal(value.name, 'c');
  });

  it('leaves the original untouched when a later operation fails', () => {
    const before = structuredClone(doc);
    assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '/metadata/labels' }, { op: 'test', path: '/metadata/name', value: 'nope' }]));
    assert.deepEqual(doc, before);
  });

  const rejected = 'the server rejected our request due to an error in our request';
  const failures: { name: string; patch: unknown; code: number; reason: string; message: string }[] = [
    { name: 'a body that is an object', patch: { op: 'add' }, code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
    { name: 'an operation that is a string', patch: ['add'], code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation' },
    { name: 'a failing test', patch: [{ op: 'test', path: '/metadata/name', value: 'other' }], code: 422, reason: 'Invalid', message: rejected },
    { name: 'removing a missing path', patch: [{ op: 'remove', path: '/metadata/nothing' }], code: 422, reason: 'Invalid', message: rejected },
    { name: 'replacing a missing path', patch: [{ op: 'replace', path: '/spec/nothing', value: 1 }], code: 422, reason: 'Invalid', message: rejected },
    { name: 'adding under a missing parent', patch: [{ op: 'add', path: '/spec/a/b', value: 1 }], code: 422, reason: 'Invalid', message: rejected },
    { name: 'an index out of range', patch: [{ op: 'add', path: '/spec/containers/5', value: {} }], code: 422, reason: 'Invalid', message: rejected },
    { name: 'an unknown op', patch: [{ op: 'frob', path: '/spec' }], code: 422, reason: 'Invalid', message: rejected },
    { name: 'a null operation', patch: [null], code: 422, reason: 'Invalid', message: rejected },
    { name: 'a __proto__ path', patch: [{ op: 'add', path: '/__proto__/polluted', value: 1 }], code: 422, reason: 'Invalid', message: rejected },
    {
      name: 'more than 10000 operations', patch: Array.from({ length: 10001 }, () => ({ op: 'test', path: '/metadata/name', value: 'web' })),
      code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    },
  ];
  for (const c of failures) {
    it(`${c.name} → ${c.code}`, () => expectStatus(() => applyJsonPatch(doc, c.patch), c.code, c.reason, c.message));
  }
  it('did not pollute Object.prototype', () => assert.equal(({} as any).polluted, undefined));
});
