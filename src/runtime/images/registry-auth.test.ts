import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basicCredentials, parseChallenge, TokenCache } from './registry-auth.js';

test('WWW-Authenticate challenges parse with quoted and bare values', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), {
    scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
  });
  assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  assert.deepEqual(parseChallenge('Bearer realm=http://x/t, service=s'), { scheme: 'bearer', params: { realm: 'http://x/t', service: 's' } });
  assert.deepEqual(parseChallenge('Bearer realm="a\\"b"'), { scheme: 'bearer', params: { realm: 'a"b' } });
});

test('credentials come from username/password or base64 auth; tokens expire from the cache', () => {
  assert.deepEqual(basicCredentials({ username: 'u', password: 'p' }), { username: 'u', password: 'p' });
  assert.deepEqual(basicCredentials({ auth: Buffer.from('u:p:q').toString('base64') }), { username: 'u', password: 'p:q' });
  assert.equal(basicCredentials({}), undefined);
  let now = 0;
  const cache = new TokenCache(() => now);
  cache.set('k', 't', 60);
  assert.equal(cache.get('k'), 't');
  now = 56_000;
  assert.equal(cache.get('k'), undefined);
});
