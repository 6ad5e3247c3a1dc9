import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTHORIZATION_RESOURCES, selfSubjectAccessReviews } from './index.js';

const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

test('review kinds are cluster-scoped, create-only', () => {
  for (const rt of AUTHORIZATION_RESOURCES) {
    assert.equal(rt.namespaced, false, rt.kind);
    assert.deepEqual(rt.verbs, ['create'], rt.kind);
    assert.equal(rt.createOnly, true, rt.kind);
  }
  assert.deepEqual(AUTHORIZATION_RESOURCES.map((r) => r.plural), ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
});

test('selfsubjectaccessreview needs exactly one kind of attributes', () => {
  const ctx = { namespace: '' };
  assert.deepEqual(selfSubjectAccessReviews.validate!({ spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }, ctx), []);
  assert.deepEqual(show(selfSubjectAccessReviews.validate!({ spec: {} }, ctx)), ['spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified']);
  assert.deepEqual(show(selfSubjectAccessReviews.validate!({ spec: { resourceAttributes: {}, nonResourceAttributes: { path: '/healthz', verb: 'get' } } }, ctx)),
    ['spec.nonResourceAttributes: Invalid value: {"path":"/healthz","verb":"get"}: cannot be specified in combination with resourceAttributes']);
});
