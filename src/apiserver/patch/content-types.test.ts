// PATCH Content-Type recognition: upstream strips parameters ("; charset=utf-8") before matching
// the four patch types (k8s.io/apiserver pkg/endpoints/handlers/rest.go PatchResource).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PATCH_CONTENT_TYPES, patchContentTypesFor, patchTypeOf, unsupportedPatchType } from './content-types.js';

describe('patchTypeOf', () => {
  const cases: [string | undefined, string | undefined][] = [
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/strategic-merge-patch+json; charset=utf-8', 'strategic'],
    ['Application/Merge-Patch+JSON ;charset=UTF-8', 'merge'],
    ['application/json', undefined],
    ['application/yaml', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of cases) {
    it(`${JSON.stringify(header)} → ${want}`, () => assert.equal(patchTypeOf(header), want));
  }
});

describe('accepted patch types', () => {
  it('lists the four types in upstream order', () => {
    assert.deepEqual(PATCH_CONTENT_TYPES, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
  });
  it('drops strategic merge patch where there is no schema to drive it', () => {
    assert.ok(!patchContentTypesFor({ strategic: false }).includes('application/strategic-merge-patch+json'));
    assert.equal(patchContentTypesFor({ strategic: true }).length, 4);
  });
  it('builds a 415 naming the accepted types', () => {
    const err = unsupportedPatchType('application/json');
    assert.equal(err.status.code, 415);
    assert.equal(err.status.reason, 'UnsupportedMediaType');
    assert.match(err.status.message ?? '', /application\/json-patch\+json, application\/merge-patch\+json/);
  });
});
