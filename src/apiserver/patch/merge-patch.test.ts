// JSON merge patch (RFC 7386, including its appendix A examples) as upstream applies it with
// evanphx/json-patch MergePatch: a null or scalar patch is 400 "Invalid JSON Patch".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../api/index.js';
import { applyMergePatch } from './merge-patch.js';

describe('applyMergePatch', () => {
  // RFC 7386 appendix A test cases (those with an object patch), plus Kubernetes-shaped ones.
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [{ spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'c' }] } }, { spec: { containers: [{ name: 'c' }] } }],
    [{ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { b: null, c: '3' } } }, { metadata: { labels: { a: '1', c: '3' } } }],
    // Nulls inside values the patch adds are dropped, also inside lists (evanphx pruneNulls).
    [{}, { a: [{ b: null, c: 1 }] }, { a: [{ c: 1 }] }],
    // An array patch replaces the document (RFC 7386); the caller's decoding rejects it.
    [{ a: 1 }, [1, 2], [1, 2]],
  ];
  for (const [original, patch, want] of cases) {
    it(`${JSON.stringify(original)} + ${JSON.stringify(patch)}`, () => {
      const before = structuredClone(original);
      assert.deepEqual(applyMergePatch(original, patch), want);
      assert.deepEqual(original, before, 'original must not be mutated');
    });
  }

  for (const patch of [null, 'x', 1, true]) {
    it(`a ${JSON.stringify(patch)} patch → 400`, () => {
      assert.throws(() => applyMergePatch({ a: 1 }, patch), (e: unknown) => {
        assert.ok(isStatusError(e, 'BadRequest'));
        assert.equal(e.status.code, 400);
        assert.equal(e.status.message, 'Invalid JSON Patch');
        return true;
      });
    });
  }

  it('sets a __proto__ key as data, not as the prototype', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": 1}}')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
