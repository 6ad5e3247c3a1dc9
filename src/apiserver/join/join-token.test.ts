import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caCertHash, caMatchesToken, formatJoinToken, loadOrCreateJoinToken, parseJoinToken, secretsEqual } from './join-token.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('token format is K10<sha256 of the CA PEM>::server:<secret>', () => {
  const hash = createHash('sha256').update(CA).digest('hex');
  assert.equal(caCertHash(CA), hash);
  const t = formatJoinToken(CA, 'abc');
  assert.equal(t, `K10${hash}::server:abc`);
  assert.deepEqual(parseJoinToken(t), { caHash: hash, username: 'server', secret: 'abc' });
  // The secret may itself contain colons after the user.
  assert.equal(parseJoinToken(`K10${hash}::node:a:b`).secret, 'a:b');
  assert.deepEqual(parseJoinToken(' shortsecret\n'), { username: 'server', secret: 'shortsecret' });
  assert.throws(() => parseJoinToken('K10abc::server:x'), /invalid token/);
  assert.throws(() => parseJoinToken(''), /invalid token/);
  assert.throws(() => parseJoinToken('a b'), /invalid token/);
});

test('the CA is accepted only when its hash matches the token', () => {
  const t = parseJoinToken(formatJoinToken(CA, 's'));
  assert.equal(caMatchesToken(t, CA), true);
  assert.equal(caMatchesToken(t, CA.replace('MIIB', 'MIIC')), false);
  assert.equal(caMatchesToken(parseJoinToken('s'), 'anything'), true);
  assert.equal(secretsEqual('s', 's'), true);
  assert.equal(secretsEqual('s', 't'), false);
  assert.equal(secretsEqual('s', 's2'), false);
});

test('loadOrCreateJoinToken writes both files 0600 and keeps the secret across restarts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-token-'));
  try {
    const first = await loadOrCreateJoinToken(dir, CA);
    assert.match(first.token, /^K10[0-9a-f]{64}::server:[0-9a-f]{64}$/);
    for (const p of [join(dir, 'server', 'token'), join(dir, 'token')]) {
      assert.equal((await readFile(p, 'utf8')).trim(), first.token);
      assert.equal((await stat(p)).mode & 0o777, 0o600);
    }
    const again = await loadOrCreateJoinToken(dir, CA);
    assert.equal(again.token, first.token);
    // A new CA changes the hash, not the secret.
    const other = await loadOrCreateJoinToken(dir, CA + '\n');
    assert.equal(other.secret, first.secret);
    assert.notEqual(other.token, first.token);
    assert.equal((await readFile(join(dir, 'token'), 'utf8')).trim(), other.token);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
