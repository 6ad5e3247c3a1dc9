// Unpacked layers keyed by chain ID (`layers/<hex>/`), each unpacked once and shared by every
// image that has it. A layer is unpacked into a private temp directory and renamed into place
// only after its compressed digest and its diffID both verified, so a directory under `layers/`
// is always complete. Concurrent requests for one chain ID in this process share one unpack.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DigestTap, digestHex, verifyDigest } from './digest.js';
import { unpackLayer } from './layer-unpack.js';
import type { Compression } from './media-types.js';

export interface LayerSource {
  /** Opens the (possibly compressed) layer bytes; called at most once per ensure that unpacks. */
  open(): Promise<Readable>;
  compression: Compression;
  /** Digest of the bytes `open` yields (the blob digest), when known. */
  digest?: string;
  /** For messages: `layer sha256:… of docker.io/library/busybox`. */
  what: string;
}

export class LayerStore {
  private readonly inFlight = new Map<string, Promise<number>>();
  /** Chain IDs some operation of this process is about to reference; the sweep keeps them. */
  private readonly pinned = new Map<string, number>();

  constructor(private readonly root: string, private readonly tmpDir: () => Promise<string>) {}

  dir(chainId: string): string {
    return join(this.root, 'layers', digestHex(chainId));
  }

  async has(chainId: string): Promise<boolean> {
    return stat(this.dir(chainId)).then((s) => s.isDirectory(), () => false);
  }

  pin(chainIds: string[]): () => void {
    for (const c of chainIds) this.pinned.set(c, (this.pinned.get(c) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const c of chainIds) {
        const n = (this.pinned.get(c) ?? 1) - 1;
        if (n <= 0) this.pinned.delete(c);
        else this.pinned.set(c, n);
      }
    };
  }

  /**
   * Makes sure the layer with `chainId` (whose uncompressed digest is `diffId`) is unpacked.
   * Resolves with the bytes of file contents it holds when this call unpacked it, else 0.
   */
  ensure(chainId: string, diffId: string, source: LayerSource): Promise<number> {
    const running = this.inFlight.get(chainId);
    if (running) return running.then(() => 0);
    const p = (async () => {
      if (await this.has(chainId)) return 0;
      const tmp = join(await this.tmpDir(), `layer-${randomBytes(6).toString('hex')}`);
      await mkdir(tmp, { recursive: true });
      try {
        const input = await source.open();
        const compressedTap = new DigestTap();
        const diffTap = new DigestTap();
        const stages: NodeJS.ReadWriteStream[] = [compressedTap];
        if (source.compression === 'gzip') stages.push(createGunzip());
        stages.push(diffTap);
        const out = (pipeline as any)(input, ...stages, () => {}) as Readable;
        const bytes = await unpackLayer(out, tmp);
        if (source.digest) verifyDigest(source.what, source.digest, compressedTap.digest());
        verifyDigest(`${source.what} (uncompressed)`, diffId, diffTap.digest());
        await mkdir(join(this.root, 'layers'), { recursive: true });
        try {
          await rename(tmp, this.dir(chainId));
        } catch (err: any) {
          // Another process finished the same layer first: theirs is as good as ours.
          if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
        }
        return bytes;
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    })();
    this.inFlight.set(chainId, p);
    p.finally(() => this.inFlight.delete(chainId)).catch(() => {});
    return p;
  }

  /** Removes layers not in `keep`, not pinned and not being unpacked; returns the chain IDs removed. */
  async sweep(keep: Set<string>): Promise<string[]> {
    const names = await readdir(join(this.root, 'layers')).catch(() => [] as string[]);
    const removed: string[] = [];
    for (const hex of names) {
      const id = `sha256:${hex}`;
      if (keep.has(id) || this.pinned.has(id) || this.inFlight.has(id)) continue;
      await rm(join(this.root, 'layers', hex), { recursive: true, force: true });
      removed.push(id);
    }
    return removed;
  }
}
