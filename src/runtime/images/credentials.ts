// Which registry credentials of a pod's imagePullSecrets apply to an image: the kubelet's
// credentialprovider keyring. Keys may carry a scheme, a port, a path prefix and `*.` globs per
// host label; every matching key's credentials are returned, most specific key first, and the
// `index.docker.io` entry serves Docker Hub images when nothing else matched. Pure.
import type { AuthConfig } from '../runtime.js';
import { parseReference, repositoryName } from './reference.js';

interface Entry { username?: string; password?: string; auth?: string; identitytoken?: string; registrytoken?: string }

function toAuth(e: Entry): AuthConfig {
  let { username, password } = e;
  if (e.auth) {
    const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0) {
      username = decoded.slice(0, i);
      password = decoded.slice(i + 1);
    }
  }
  const out: AuthConfig = {};
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  if (e.auth) out.auth = e.auth;
  if (e.identitytoken) out.identityToken = e.identitytoken;
  if (e.registrytoken) out.registryToken = e.registrytoken;
  return out;
}

interface Key { host: string; port: string; path: string; text: string }

/** `https://host:port/v1/path` → host, port, path, as upstream's parseSchemelessURL after Add's rewriting. */
function parseKey(location: string): Key | undefined {
  const value = /^https?:\/\//.test(location) ? location : `https://${location}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  let path = decodeURIComponent(url.pathname);
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  if (path === '/') path = '';
  // Glob characters would be percent-encoded by URL; keep the host as written.
  const hostPort = value.replace(/^https?:\/\//, '').split('/')[0]!;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) return undefined;
  return { host: m[1]!.toLowerCase(), port: m[2] ?? '', path, text: m[1]!.toLowerCase() + (m[2] ? `:${m[2]}` : '') + path };
}

function globPart(glob: string, part: string): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) return false;
      let cls = glob.slice(i + 1, end);
      if (cls.startsWith('^')) cls = '\\^' + cls.slice(1);
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(part);
}

/** upstream URLsMatch: same number of host labels, each glob-matched, same port, path prefix. */
function keyMatches(key: Key, target: Key): boolean {
  if (key.port !== target.port) return false;
  const g = key.host.split('.');
  const t = target.host.split('.');
  if (g.length !== t.length) return false;
  for (let i = 0; i < g.length; i++) if (!globPart(g[i]!, t[i]!)) return false;
  return target.path.startsWith(key.path);
}

function isDefaultRegistryMatch(image: string): boolean {
  const [first, ...rest] = image.split('/');
  if (!first) return false;
  if (rest.length === 0) return true;
  return first === 'docker.io' || first === 'index.docker.io' || (!/[.:]/.test(first) && first !== 'localhost');
}

/**
 * The credentials to try, in order, for pulling `image`, from the contents of the pod's pull
 * secrets (`.dockerconfigjson` `{auths: {...}}` or legacy `.dockercfg` `{...}`). Unparseable
 * secrets are skipped, as the kubelet logs and skips them.
 */
export function credentialsForImage(dockerConfigJsons: string[], image: string): AuthConfig[] {
  const byKey = new Map<string, { key: Key; creds: AuthConfig[] }>();
  for (const text of dockerConfigJsons) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    const obj = parsed as Record<string, unknown>;
    const auths = (typeof obj.auths === 'object' && obj.auths !== null ? obj.auths : obj) as Record<string, unknown>;
    for (const [location, entry] of Object.entries(auths)) {
      if (typeof entry !== 'object' || entry === null) continue;
      const key = parseKey(location);
      if (!key) continue;
      const slot = byKey.get(key.text) ?? { key, creds: [] };
      slot.creds.push(toAuth(entry as Entry));
      byKey.set(key.text, slot);
    }
  }
  let repo: string;
  try {
    repo = repositoryName(parseReference(image));
  } catch {
    return [];
  }
  const target = parseKey(repo)!;
  // Reverse lexical order of the keys, as upstream sorts its index: longer paths first.
  const keys = [...byKey.keys()].sort().reverse();
  const out: AuthConfig[] = [];
  for (const k of keys) {
    const slot = byKey.get(k)!;
    if (keyMatches(slot.key, target)) out.push(...slot.creds);
  }
  if (out.length === 0 && isDefaultRegistryMatch(repo)) out.push(...(byKey.get('index.docker.io')?.creds ?? []));
  return out;
}
