// sha256 digests of blobs as they stream past, and the checks every blob passes before use.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ImagePullError } from '../runtime.js';

export const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Hex part of a sha256 digest; throws Invalid (and so blocks path tricks) for anything else. */
export function digestHex(digest: string): string {
  if (!DIGEST_RE.test(digest)) throw new ImagePullError(`unsupported or malformed digest "${digest}" (only sha256 is supported)`, 'Invalid');
  return digest.slice('sha256:'.length);
}

/** A pass-through that hashes what flows through it. */
export class DigestTap extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  /** Valid once the stream has ended. */
  digest(): string {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }
}

export function verifyDigest(what: string, want: string, got: string): void {
  if (want !== got) throw new ImagePullError(`${what}: digest mismatch, expected ${want} but the content is ${got}`, 'Invalid');
}

/** chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)) (OCI image spec). */
export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : sha256(`${out[out.length - 1]} ${d}`));
  return out;
}
