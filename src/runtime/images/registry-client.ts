// A Distribution API (registry v2) client for one repository and one credential: manifests and
// blobs, with the auth handshake of registry-auth.ts. Loopback registries are spoken to over plain
// HTTP, as Docker treats them as insecure; every other registry over HTTPS.
import { Readable } from 'node:stream';
import type { AuthConfig } from '../runtime.js';
import { ImagePullError } from '../runtime.js';
import { authorize, describeFetchError, parseChallenge, type TokenCache } from './registry-auth.js';
import { digestHex, sha256, verifyDigest } from './digest.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { isLoopbackHost, registryHost, type ImageReference } from './reference.js';

const MAX_MANIFEST_BYTES = 4 << 20;

export interface FetchedManifest {
  body: Buffer;
  contentType?: string;
  /** The digest of `body` (verified against the request's or the registry's digest). */
  digest: string;
}

export class RegistryClient {
  private readonly base: string;
  private readonly repo: string;
  private authorization: string | undefined;

  constructor(
    private readonly ref: ImageReference,
    private readonly auth: AuthConfig | undefined,
    private readonly tokens: TokenCache,
  ) {
    const host = registryHost(ref.domain);
    this.base = `${isLoopbackHost(host) ? 'http' : 'https'}://${host}/v2/${ref.path}`;
    this.repo = `${ref.domain}/${ref.path}`;
  }

  /** GET with the auth handshake: one retry after answering a 401's challenge. */
  private async get(url: string, accept?: string): Promise<Response> {
    const send = async () => {
      const headers: Record<string, string> = {};
      if (accept) headers.accept = accept;
      if (this.authorization) headers.authorization = this.authorization;
      try {
        return await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(60_000) });
      } catch (err) {
        throw new ImagePullError(`cannot reach registry ${registryHost(this.ref.domain)}: ${describeFetchError(err)}`, 'Unreachable');
      }
    };
    let res = await send();
    if (res.status === 401) {
      const header = res.headers.get('www-authenticate');
      await res.body?.cancel();
      const challenge = header ? parseChallenge(header) : undefined;
      if (!challenge) throw new ImagePullError(`registry ${registryHost(this.ref.domain)} refused access to ${this.repo} without saying how to authenticate`, 'Unauthorized');
      this.authorization = await authorize(challenge, `repository:${this.ref.path}:pull`, this.auth, this.tokens, this.repo);
      res = await send();
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new ImagePullError(`pull access denied for ${this.repo}, repository does not exist or may require authorization`, 'Unauthorized');
      }
    }
    return res;
  }

  private async failure(res: Response, what: string): Promise<ImagePullError> {
    const text = await res.text().catch(() => '');
    let code = '';
    try {
      code = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.map((e) => `${e.code}: ${e.message}`).join('; ') ?? '';
    } catch {
      /* not a registry error body */
    }
    const detail = code ? ` (${code})` : '';
    if (res.status === 404) return new ImagePullError(`${what}: not found${detail}`, 'NotFound');
    if (res.status === 403) return new ImagePullError(`pull access denied for ${this.repo}${detail}`, 'Unauthorized');
    if (res.status >= 500 || res.status === 429) return new ImagePullError(`${what}: registry answered HTTP ${res.status}${detail}`, 'Unreachable');
    return new ImagePullError(`${what}: registry answered HTTP ${res.status}${detail}`, 'Invalid');
  }

  /** A manifest by tag or digest; a digest request's body is checked against it. */
  async manifest(reference: string): Promise<FetchedManifest> {
    const byDigest = reference.startsWith('sha256:');
    if (byDigest) digestHex(reference);
    const what = `failed to resolve reference "${this.repo}${byDigest ? '@' : ':'}${reference}"`;
    const res = await this.get(`${this.base}/manifests/${reference}`, MANIFEST_ACCEPT);
    if (!res.ok) throw await this.failure(res, what);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_MANIFEST_BYTES) throw new ImagePullError(`${what}: manifest is larger than ${MAX_MANIFEST_BYTES} bytes`, 'Invalid');
    const digest = sha256(body);
    if (byDigest) verifyDigest(`manifest ${reference}`, reference, digest);
    else {
      const claimed = res.headers.get('docker-content-digest');
      if (claimed) verifyDigest(`manifest ${this.repo}:${reference}`, claimed, digest);
    }
    return { body, contentType: res.headers.get('content-type') ?? undefined, digest };
  }

  /** A blob's bytes as they arrive; the caller verifies the digest as it reads. */
  async blob(digest: string): Promise<Readable> {
    digestHex(digest);
    const res = await this.get(`${this.base}/blobs/${digest}`);
    if (!res.ok) throw await this.failure(res, `blob ${digest} of ${this.repo}`);
    if (!res.body) throw new ImagePullError(`blob ${digest} of ${this.repo}: empty response`, 'Invalid');
    return Readable.fromWeb(res.body as any);
  }

  /** A small blob (an image config) read whole and verified. */
  async smallBlob(digest: string, limit = 8 << 20): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of await this.blob(digest)) {
      n += (c as Buffer).length;
      if (n > limit) throw new ImagePullError(`blob ${digest} of ${this.repo} is larger than ${limit} bytes`, 'Invalid');
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks);
    verifyDigest(`blob ${digest} of ${this.repo}`, digest, sha256(body));
    return body;
  }
}
