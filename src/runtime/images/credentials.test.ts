// Cases after upstream pkg/credentialprovider keyring_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsForImage } from './credentials.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const cfg = (auths: Record<string, string>) =>
  JSON.stringify({ auths: Object.fromEntries(Object.entries(auths).map(([k, u]) => [k, { auth: b64(`${u}:pw-${u}`) }])) });
const users = (secrets: string[], image: string) => credentialsForImage(secrets, image).map((a) => a.username);

test('a key matches its host, with or without scheme, and path prefixes', () => {
  const s = [cfg({ 'https://reg.example.com': 'a', 'reg.example.com/team': 'b', 'http://other.io/v2/': 'c', 'reg.example.com/teamx': 'd' })];
  assert.deepEqual(users(s, 'reg.example.com/team/app:1'), ['b', 'a']);
  assert.deepEqual(users(s, 'reg.example.com/teamx/app'), ['d', 'b', 'a'], 'a path is a string prefix, as upstream');
  assert.deepEqual(users(s, 'reg.example.com/solo'), ['a']);
  assert.deepEqual(users(s, 'other.io/x/y'), ['c'], '/v2/ is the host itself');
  assert.deepEqual(users(s, 'sub.reg.example.com/x'), []);
  const full = credentialsForImage(s, 'reg.example.com/solo')[0]!;
  assert.deepEqual(full, { username: 'a', password: 'pw-a', auth: b64('a:pw-a') });
});

test('ports must match exactly', () => {
  const s = [cfg({ 'localhost:5000': 'p', localhost: 'n' })];
  assert.deepEqual(users(s, 'localhost:5000/app'), ['p']);
  assert.deepEqual(users(s, 'localhost/app'), ['n']);
  assert.deepEqual(users(s, 'localhost:5001/app'), []);
});

test('*. globs match one label each', () => {
  const s = [cfg({ '*.kubernetes.io': 'one', '*.*.kubernetes.io': 'two', 'prefix.*.io': 'mid', '*-dev.io': 'part' })];
  assert.deepEqual(users(s, 'gcr.kubernetes.io/x'), ['one']);
  assert.deepEqual(users(s, 'a.b.kubernetes.io/x'), ['two']);
  assert.deepEqual(users(s, 'kubernetes.io/x'), []);
  assert.deepEqual(users(s, 'prefix.anything.io/x'), ['mid']);
  assert.deepEqual(users(s, 'team-dev.io/x'), ['part']);
});

test('Docker Hub images use docker.io keys, else index.docker.io; legacy .dockercfg and several secrets', () => {
  const hub = [cfg({ 'https://index.docker.io/v1/': 'hub' })];
  assert.deepEqual(users(hub, 'busybox'), ['hub']);
  assert.deepEqual(users(hub, 'user/app'), ['hub']);
  assert.deepEqual(users(hub, 'docker.io/library/busybox:1'), ['hub']);
  assert.deepEqual(users(hub, 'quay.io/app'), []);
  const both = [cfg({ 'docker.io': 'dio' }), JSON.stringify({ 'index.docker.io': { username: 'legacy', password: 'x' } })];
  assert.deepEqual(users(both, 'busybox'), ['dio'], 'a docker.io key matches first, so the fallback is unused');
  assert.deepEqual(users(['not json', '{"auths": 3}', cfg({ 'q.io': 'q' })], 'q.io/a'), ['q']);
  assert.deepEqual(users([cfg({ 'q.io': 'q' })], 'BAD REF'), []);
});
