// Registry authentication as the Docker client does it: a 401 carries a WWW-Authenticate
// challenge; `Basic` gets the credentials directly, `Bearer realm=…,service=…,scope=…` sends them
// as Basic to the realm (or an identity token as an OAuth2 refresh token) for a token, cached per
// realm, service, scope and credential until it expires.
import { createHash } from 'node:crypto';
import type { AuthConfig } from '../runtime.js';
import { ImagePullError } from '../runtime.js';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a WWW-Authenticate header (`Bearer realm="x",service="y"`). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2]!)) !== null) {
    if (p[0] === '') break;
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  }
  return { scheme: m[1]!.toLowerCase(), params };
}

/** `user:password` of a credential, from username/password or the base64 `auth`. */
export function basicCredentials(auth: AuthConfig | undefined): { username: string; password: string } | undefined {
  if (!auth) return undefined;
  if (auth.username !== undefined || auth.password !== undefined) return { username: auth.username ?? '', password: auth.password ?? '' };
  if (auth.auth) {
    const s = Buffer.from(auth.auth, 'base64').toString('utf8');
    const i = s.indexOf(':');
    if (i >= 0) return { username: s.slice(0, i), password: s.slice(i + 1) };
  }
  return undefined;
}

function basicHeader(c: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/** Tokens by realm, service, scope and credential; shared by every pull of one store. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const t = this.tokens.get(key);
    if (!t) return undefined;
    if (t.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return t.token;
  }

  set(key: string, token: string, expiresInSeconds: number): void {
    // Refresh a little early so a token does not expire between the check and the request.
    this.tokens.set(key, { token, expiresAt: this.now() + Math.max(1, expiresInSeconds - 5) * 1000 });
  }
}

function credentialId(auth: AuthConfig | undefined): string {
  return createHash('sha256').update(JSON.stringify(auth ?? null)).digest('hex').slice(0, 16);
}

/**
 * The Authorization header answering `challenge` for `scope`, fetching a token when needed.
 * Throws ImagePullError Unauthorized when the realm refuses the credentials.
 */
export async function authorize(challenge: Challenge, scope: string, auth: AuthConfig | undefined, cache: TokenCache, repo: string): Promise<string | undefined> {
  const creds = basicCredentials(auth);
  if (challenge.scheme === 'basic') {
    if (!creds) throw new ImagePullError(`pull access denied for ${repo}: the registry wants a username and password (add an imagePullSecret)`, 'Unauthorized');
    return basicHeader(creds);
  }
  if (challenge.scheme !== 'bearer') throw new ImagePullError(`registry for ${repo} asks for unsupported authentication scheme "${challenge.scheme}"`, 'Unsupported');
  if (auth?.registryToken) return `Bearer ${auth.registryToken}`;
  const realm = challenge.params.realm;
  if (!realm) throw new ImagePullError(`registry for ${repo} sent a Bearer challenge without a realm`, 'Invalid');
  const service = challenge.params.service ?? '';
  const wantScope = challenge.params.scope ?? scope;
  const key = `${realm}\n${service}\n${wantScope}\n${credentialId(auth)}`;
  const cached = cache.get(key);
  if (cached) return `Bearer ${cached}`;
  let res: Response;
  try {
    if (auth?.identityToken) {
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.identityToken, service, scope: wantScope, client_id: 'capstan' });
      res = await fetch(realm, { method: 'POST', body, signal: AbortSignal.timeout(30_000) });
    } else {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      url.searchParams.set('scope', wantScope);
      res = await fetch(url, { headers: creds ? { authorization: basicHeader(creds) } : {}, signal: AbortSignal.timeout(30_000) });
    }
  } catch (err) {
    throw new ImagePullError(`cannot reach the token service ${realm} for ${repo}: ${describeFetchError(err)}`, 'Unreachable');
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    const who = creds ? `user "${creds.username}"` : 'anonymous access';
    throw new ImagePullError(`pull access denied for ${repo}: ${realm} refused ${who} (HTTP ${res.status}); check the imagePullSecret`, 'Unauthorized');
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new ImagePullError(`token service ${realm} answered HTTP ${res.status} for ${repo}`, 'Unreachable');
  }
  let json: { token?: string; access_token?: string; expires_in?: number };
  try {
    json = (await res.json()) as typeof json;
  } catch {
    throw new ImagePullError(`token service ${realm} sent a body that is not JSON`, 'Invalid');
  }
  const token = json.token ?? json.access_token;
  if (!token) throw new ImagePullError(`token service ${realm} sent no token`, 'Invalid');
  cache.set(key, token, typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 60);
  return `Bearer ${token}`;
}

/** A fetch failure's cause in words (`connect ECONNREFUSED 127.0.0.1:5000`). */
export function describeFetchError(err: unknown): string {
  const e = err as { cause?: { message?: string; code?: string }; message?: string; name?: string };
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.cause?.message ?? e?.cause?.code ?? e?.message ?? String(err);
}
