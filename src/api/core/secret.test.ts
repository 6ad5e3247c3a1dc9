import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secrets, type Secret } from './secret.js';

const ctx = { namespace: 'default' };
const show = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('secret create: stringData merged into data, type defaults to Opaque', () => {
  const s: Secret = { metadata: { name: 's' }, data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new' } };
  secrets.prepareForCreate!(s);
  secrets.defaults!(s);
  assert.deepEqual(s, { metadata: { name: 's' }, data: { a: b64('new'), b: b64('keep') }, type: 'Opaque' });
  assert.deepEqual(secrets.validate!(s, ctx), []);
  assert.equal(secrets.selectableFields!.type!(s), 'Opaque');
});

test('secret type-specific keys', () => {
  const cases: [Secret, string[]][] = [
    [{ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }, ['data[tls.key]: Required value']],
    [{ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }, []],
    [{ type: 'kubernetes.io/basic-auth', data: {} }, ['data[username]: Required value', 'data[password]: Required value']],
    [{ type: 'kubernetes.io/ssh-auth' }, ['data[ssh-privatekey]: Required value']],
    [{ type: 'kubernetes.io/service-account-token' }, ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
    [{ type: 'example.com/custom', data: { 'bad key': b64('x') } }, ['data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (e.g. \'key.name\',  or \'KEY_NAME\',  or \'key-name\', regex used for validation is \'[-._a-zA-Z0-9]+\')']],
  ];
  for (const [s, want] of cases) assert.deepEqual(show(secrets.validate!(s, ctx)), want, s.type);
  const bad = secrets.validate!({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{nope') } }, ctx);
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.message, /^Invalid value: "<secret contents redacted>": /);
});

test('secret update: type immutable; immutable secrets keep their data', () => {
  const old: Secret = { type: 'Opaque', data: { a: b64('1') }, immutable: true };
  const upd: Secret = { type: 'kubernetes.io/ssh-auth', data: { a: b64('2'), 'ssh-privatekey': b64('k') }, stringData: {} };
  secrets.prepareForUpdate!(upd, old);
  assert.equal(upd.stringData, undefined);
  assert.deepEqual(show(secrets.validateUpdate!(upd, old, ctx)), [
    'type: Invalid value: "kubernetes.io/ssh-auth": field is immutable',
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});
