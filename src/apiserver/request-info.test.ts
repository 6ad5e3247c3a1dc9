import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info.js';

const q = (s = '') => new URLSearchParams(s);

test('namespaced resource paths', () => {
  assert.deepEqual(parseRequestInfo('GET', '/api/v1/namespaces/default/pods', q()), {
    isResourceRequest: true, prefix: 'api', group: '', version: 'v1', namespace: 'default', resource: 'pods', name: '', subresource: '', verb: 'list', parts: [],
  });
  const i = parseRequestInfo('PUT', '/apis/apps/v1/namespaces/ns1/deployments/web/scale', q());
  assert.ok(i.isResourceRequest);
  assert.equal(i.group, 'apps');
  assert.equal(i.namespace, 'ns1');
  assert.equal(i.resource, 'deployments');
  assert.equal(i.name, 'web');
  assert.equal(i.subresource, 'scale');
  assert.equal(i.verb, 'update');
});

test('the namespace object itself and its subresources', () => {
  const a = parseRequestInfo('GET', '/api/v1/namespaces/kube-system', q());
  assert.ok(a.isResourceRequest);
  assert.equal(a.resource, 'namespaces');
  assert.equal(a.name, 'kube-system');
  assert.equal(a.verb, 'get');
  const b = parseRequestInfo('PUT', '/api/v1/namespaces/x/finalize', q());
  assert.ok(b.isResourceRequest);
  assert.equal(b.resource, 'namespaces');
  assert.equal(b.name, 'x');
  assert.equal(b.subresource, 'finalize');
  const c = parseRequestInfo('GET', '/api/v1/namespaces', q());
  assert.ok(c.isResourceRequest);
  assert.equal(c.verb, 'list');
});

test('watch via query and via legacy prefix; deletecollection', () => {
  const w = parseRequestInfo('GET', '/api/v1/pods', q('watch=true'));
  assert.ok(w.isResourceRequest && w.verb === 'watch');
  const lw = parseRequestInfo('GET', '/api/v1/watch/namespaces/default/pods', q());
  assert.ok(lw.isResourceRequest && lw.verb === 'watch' && lw.namespace === 'default' && lw.resource === 'pods');
  const d = parseRequestInfo('DELETE', '/api/v1/namespaces/default/pods', q());
  assert.ok(d.isResourceRequest && d.verb === 'deletecollection');
});

test('non-resource paths', () => {
  for (const p of ['/', '/api', '/apis', '/apis/apps', '/version', '/healthz', '/openapi/v2']) {
    assert.equal(parseRequestInfo('GET', p, q()).isResourceRequest, false, p);
  }
});
