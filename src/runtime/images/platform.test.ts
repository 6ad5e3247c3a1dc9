import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostPlatform, selectPlatform, type IndexEntry } from './platform.js';

const e = (digest: string, os: string, architecture: string, variant?: string): IndexEntry =>
  ({ digest, platform: { os, architecture, ...(variant ? { variant } : {}) } });

const INDEX = [
  e('amd', 'linux', 'amd64'), e('arm5', 'linux', 'arm', 'v5'), e('arm6', 'linux', 'arm', 'v6'), e('arm64', 'linux', 'arm64', 'v8'),
  e('win', 'windows', 'amd64'), { digest: 'att', platform: { os: 'unknown', architecture: 'unknown' } },
];

test('the entry for the host OS and architecture is picked', () => {
  assert.equal(selectPlatform(INDEX, { os: 'linux', architecture: 'amd64' })?.digest, 'amd');
  assert.equal(selectPlatform(INDEX, { os: 'windows', architecture: 'amd64' })?.digest, 'win');
  assert.equal(selectPlatform(INDEX, { os: 'linux', architecture: 'arm64' })?.digest, 'arm64', 'arm64 means arm64/v8');
  assert.equal(selectPlatform(INDEX, { os: 'linux', architecture: 'arm64', variant: 'v8' })?.digest, 'arm64');
});

test('arm prefers its own variant, then the highest lower one; nothing fits is undefined', () => {
  assert.equal(selectPlatform(INDEX, { os: 'linux', architecture: 'arm', variant: 'v6' })?.digest, 'arm6');
  assert.equal(selectPlatform(INDEX, { os: 'linux', architecture: 'arm', variant: 'v7' })?.digest, 'arm6');
  assert.equal(selectPlatform(INDEX, { os: 'linux', architecture: 'arm', variant: 'v4' }), undefined);
  assert.equal(selectPlatform(INDEX, { os: 'linux', architecture: 's390x' }), undefined);
  assert.equal(selectPlatform([e('plain', 'linux', 'arm')], { os: 'linux', architecture: 'arm', variant: 'v7' })?.digest, 'plain');
});

test('the host platform is named as image indexes name it', () => {
  const p = hostPlatform();
  assert.equal(p.os, 'linux');
  assert.ok(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64'].includes(p.architecture), p.architecture);
});
