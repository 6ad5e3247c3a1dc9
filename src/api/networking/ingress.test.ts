import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingresses, type Ingress } from './ingress.js';
import { ingressClasses, type IngressClass } from './ingress-class.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);
const backend = { service: { name: 'web', port: { number: 80 } } };

test('ingress: valid rules pass; upstream messages for common mistakes', () => {
  const ok: Ingress = { spec: { ingressClassName: 'nginx', rules: [{ host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }], tls: [{ hosts: ['a.example.com'], secretName: 'tls' }] } };
  assert.deepEqual(ingresses.validate!(ok, ctx), []);
  const rule = (p: object, host?: string): Ingress => ({ spec: { rules: [{ host, http: { paths: [{ backend, ...p }] } }] } });
  const cases: [Ingress, string[]][] = [
    [{ spec: {} }, ['spec: Invalid value: []: either `defaultBackend` or `rules` must be specified']],
    [rule({ path: '/' }), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    [rule({ path: 'api', pathType: 'Prefix' }), ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path']],
    [rule({ path: '/a//b', pathType: 'Exact' }), ['spec.rules[0].http.paths[0].path: Invalid value: "/a//b": must not contain \'//\'']],
    [rule({ path: '/', pathType: 'Regex' }), ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"']],
    [rule({ path: '/', pathType: 'Prefix' }, '10.0.0.1'), ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
    [{ spec: { defaultBackend: { service: { name: 'web', port: {} } } } }, ['spec.defaultBackend: Required value: port name or number is required']],
    [{ spec: { defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } } }, ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']],
  ];
  for (const [ing, want] of cases) assert.deepEqual(show(ingresses.validate!(ing, ctx)), want);
});

test('ingressclass: controller required, domain-prefixed and immutable; parameters scope defaults', () => {
  const ic: IngressClass = { spec: { controller: 'k8s.io/ingress-nginx', parameters: { kind: 'Config', name: 'c' } } };
  ingressClasses.defaults!(ic);
  assert.equal(ic.spec?.parameters?.scope, 'Cluster');
  assert.deepEqual(ingressClasses.validate!(ic, { namespace: '' }), []);
  assert.deepEqual(show(ingressClasses.validate!({ spec: {} }, { namespace: '' })), ['spec.controller: Required value']);
  assert.deepEqual(show(ingressClasses.validate!({ spec: { controller: 'nginx' } }, { namespace: '' })), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  assert.deepEqual(show(ingressClasses.validateUpdate!({ spec: { controller: 'example.com/other' } }, ic, { namespace: '' })), ['spec.controller: Invalid value: "example.com/other": field is immutable']);
});
