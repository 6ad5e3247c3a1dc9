import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReference, isLoopbackHost, parseReference, registryHost } from './reference.js';

const D = 'sha256:' + 'a'.repeat(64);

test('references normalise as Docker does', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['user/app:v1', 'docker.io/user/app:v1'],
    ['index.docker.io/user/app', 'docker.io/user/app:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['127.0.0.1:5000/busybox:t', '127.0.0.1:5000/busybox:t'],
    ['localhost/a/b/c', 'localhost/a/b/c:latest'],
    ['ghcr.io/org/img', 'ghcr.io/org/img:latest'],
    ['[::1]:5000/x:y', '[::1]:5000/x:y'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`],
    [`reg.io:443/a/b:c@${D}`, `reg.io:443/a/b:c@${D}`],
  ];
  for (const [input, want] of cases) assert.equal(formatReference(parseReference(input)), want, input);
});

test('bad references are Invalid with the offending part named', () => {
  for (const [input, why] of [
    ['', /empty/], ['Busybox', /lowercase/], ['busybox:', /tag ""/], ['busybox@sha256:abc', /digest/],
    ['a//b', /lowercase/], ['host:port/x', /registry/], ['busybox:bad tag', /tag/],
  ] as [string, RegExp][]) {
    assert.throws(() => parseReference(input), (e: any) => e.reason === 'Invalid' && why.test(e.message), input);
  }
});

test('docker.io is served by registry-1.docker.io; loopback hosts are recognised', () => {
  assert.equal(registryHost('docker.io'), 'registry-1.docker.io');
  assert.equal(registryHost('127.0.0.1:5000'), '127.0.0.1:5000');
  for (const h of ['127.0.0.1:5000', '127.3.2.1', 'localhost:80', 'LOCALHOST', '[::1]:5000', '[::1]']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['docker.io', '10.0.0.1:5000', 'localhost.example.com', '128.0.0.1']) assert.ok(!isLoopbackHost(h), h);
});
