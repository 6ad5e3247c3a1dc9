// Image references as Docker normalises them: `busybox` is `docker.io/library/busybox:latest`,
// whose registry API lives at `registry-1.docker.io`; `host:port/name:tag` and `name@sha256:…`
// keep their registry. Pure; the store and the registry client key everything by `fullName`.
import { ImagePullError } from '../runtime.js';

export const DEFAULT_DOMAIN = 'docker.io';
/** The host that serves docker.io's registry API. */
export const DEFAULT_REGISTRY_HOST = 'registry-1.docker.io';

export interface ImageReference {
  /** `docker.io`, `127.0.0.1:5000`, `ghcr.io`. */
  domain: string;
  /** `library/busybox`. */
  path: string;
  /** Absent when only a digest was given. */
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

/**
 * Parses and normalises a reference; a reference with neither tag nor digest gets `latest`.
 * Throws ImagePullError('Invalid') with the reason a user can fix.
 */
export function parseReference(ref: string): ImageReference {
  const invalid = (why: string) => new ImagePullError(`invalid image reference "${ref}": ${why}`, 'Invalid');
  if (ref === '' || ref !== ref.trim()) throw invalid('empty or surrounded by spaces');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(`digest "${digest}" is not sha256:<64 lowercase hex>`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(`tag "${tag}" is not valid`);
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[') || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (!DOMAIN.test(domain)) throw invalid(`registry "${domain}" is not a host[:port]`);
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  for (const c of path.split('/')) {
    if (!COMPONENT.test(c)) throw invalid(`repository name "${path}" must be lowercase letters, digits and separators`);
  }
  if (path.length + domain.length + 1 > 255) throw invalid('repository name is longer than 255 characters');
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { domain, path, tag, digest };
}

/** `docker.io/library/busybox`. */
export function repositoryName(r: ImageReference): string {
  return `${r.domain}/${r.path}`;
}

/** The normalised reference: `docker.io/library/busybox:latest`, `host/x@sha256:…`, or both parts. */
export function formatReference(r: ImageReference): string {
  return `${repositoryName(r)}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`;
}

/** The host the registry API is reached at (docker.io is served by registry-1.docker.io). */
export function registryHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? DEFAULT_REGISTRY_HOST : domain;
}

/** Whether a registry host is on loopback, which Docker speaks to over plain HTTP. */
export function isLoopbackHost(host: string): boolean {
  let h = host;
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']'));
  else if (h.includes(':')) h = h.slice(0, h.lastIndexOf(':'));
  h = h.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
