// The node join token, in k3s's format: `K10<sha256 hex of the CA bundle PEM>::server:<secret>`.
// The hash lets a joining agent trust the CA it downloads unauthenticated (GET /cacerts); the
// secret authenticates it to the node credentials endpoint. Written on the server's first start
// to `<data-dir>/server/token` and `<data-dir>/token` (mode 0600) and kept across restarts.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { readIfExists, writeFileAtomic } from '../pki/files.js';

export const TOKEN_PREFIX = 'K10';

export interface JoinToken {
  /** sha256 hex of the CA PEM; absent in a short (secret-only) token. */
  caHash?: string;
  username: string;
  secret: string;
}

/** sha256 hex of the CA bundle exactly as served by /cacerts. */
export function caCertHash(caPem: string): string {
  return createHash('sha256').update(caPem, 'utf8').digest('hex');
}

export function formatJoinToken(caPem: string, secret: string, username = 'server'): string {
  return `${TOKEN_PREFIX}${caCertHash(caPem)}::${username}:${secret}`;
}

/**
 * Parses a full token (`K10<hash>::<user>:<secret>`) or a short one (the secret alone, as k3s
 * accepts). Throws a readable error for anything else.
 */
export function parseJoinToken(token: string): JoinToken {
  const t = token.trim();
  if (t.startsWith(TOKEN_PREFIX)) {
    const m = /^K10([0-9a-f]{64})::([^:]+):(.+)$/.exec(t);
    if (!m) throw new Error('invalid token: want K10<sha256 of the CA>::<user>:<secret>');
    return { caHash: m[1], username: m[2]!, secret: m[3]! };
  }
  if (!t || /[\s:]/.test(t)) throw new Error('invalid token: want K10<sha256 of the CA>::<user>:<secret> or the secret alone');
  return { username: 'server', secret: t };
}

/** True when the CA PEM matches the token's hash (always true for a short token: nothing to check). */
export function caMatchesToken(token: JoinToken, caPem: string): boolean {
  if (!token.caHash) return true;
  const a = Buffer.from(token.caHash, 'hex');
  const b = Buffer.from(caCertHash(caPem), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time comparison of two secrets. */
export function secretsEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/**
 * The server's token: the secret is created once and kept in `<data-dir>/server/token`; the
 * token is rewritten (both files) when the CA hash in it no longer matches. Called once at
 * server start, before the listener accepts agents.
 */
export async function loadOrCreateJoinToken(dataDir: string, caPem: string): Promise<{ token: string; secret: string; path: string }> {
  const path = join(dataDir, 'server', 'token');
  const existing = (await readIfExists(path))?.trim();
  let secret: string;
  if (existing) {
    secret = parseJoinToken(existing).secret;
  } else {
    secret = randomBytes(32).toString('hex');
  }
  const token = formatJoinToken(caPem, secret);
  if (existing !== token) await writeFileAtomic(path, `${token}\n`, 0o600);
  const alias = join(dataDir, 'token');
  if ((await readIfExists(alias))?.trim() !== token) await writeFileAtomic(alias, `${token}\n`, 0o600);
  return { token, secret, path };
}
