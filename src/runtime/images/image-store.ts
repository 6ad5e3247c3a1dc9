// The node's image store: the ImageService port over a content-addressed directory.
//
//   <root>/images.json          the index (store-index.ts), replaced atomically
//   <root>/blobs/sha256/<hex>   image configs and manifests, by digest
//   <root>/layers/<hex>/        unpacked layers by chain ID (overlayfs lowerdirs)
//   <root>/tmp/<pid>.<rand>/    this process's work in progress; a dead process's is removed
//
// Contracts: an image enters the index only after every layer is in place (a crash mid-pull
// leaves at most unreferenced layers, which the next garbage collection removes); concurrent
// pulls of one reference in this process share one pull; index updates are serialised in this
// process and, through a lock file, between processes, and re-read the index first, so a CLI run
// beside the kubelet sees and keeps its images.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthConfig, ImageInfo, ImageService } from '../runtime.js';
import { ImagePullError } from '../runtime.js';
import { importArchive } from './archive-import.js';
import { DigestTap, digestHex } from './digest.js';
import { withFileLock } from './file-lock.js';
import { DEFAULT_GC_POLICY, planImageGC, type GCPolicy } from './gc-policy.js';
import type { ConfigFields } from './image-config.js';
import { LayerStore } from './layer-store.js';
import { hostPlatform, type Platform } from './platform.js';
import { fetchImage } from './pull.js';
import { formatReference, parseReference, repositoryName } from './reference.js';
import { TokenCache } from './registry-auth.js';
import { claimNames, findImage, readIndex, writeFileAtomic, writeIndex, type ImageRecord, type StoreIndex } from './store-index.js';

/** Where a node keeps its image store: `<data-dir>/agent/image-store`. */
export function imageStoreRoot(dataDir: string): string {
  return join(dataDir, 'agent', 'image-store');
}

export interface ImageStoreOptions {
  /** `<data-dir>/agent/image-store`. */
  root: string;
  /** Platform to pick from multi-platform images (default: this host's). */
  platform?: Platform;
  now?: () => number;
}

/** An image whose layers are all unpacked, ready to enter the index. */
export interface PreparedImage {
  id: string;
  config: Buffer;
  fields: ConfigFields;
  chainIds: string[];
  diffIds: string[];
  unpackedBytes: number[];
  size: number;
  repoTags: string[];
  repoDigests: string[];
  /** Unpins the layers from the sweep; called once the image is registered (or given up). */
  release?: () => void;
}

export interface GCResult {
  deleted: string[];
  /** Bytes GC had to free to reach the low threshold (0 below the high one). */
  amountToFree: number;
  /** Sizes of the deleted images; below amountToFree the kubelet reports upstream's "Failed to garbage collect required amount of images. Attempted to free %d bytes, but only found %d bytes eligible to free." */
  freedBytes: number;
  layersRemoved: number;
}

async function fileDigest(path: string): Promise<string> {
  const tap = new DigestTap();
  for await (const _ of createReadStream(path).pipe(tap)) {
    /* hashing */
  }
  return tap.digest();
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM';
  }
}

export class ImageStore implements ImageService {
  readonly root: string;
  readonly layers: LayerStore;
  private readonly platform: Platform;
  private readonly now: () => number;
  private readonly tokens: TokenCache;
  private readonly pulls = new Map<string, Promise<string>>();
  private lock: Promise<unknown> = Promise.resolve();
  private tmp: Promise<string> | undefined;

  constructor(options: ImageStoreOptions) {
    this.root = options.root;
    this.platform = options.platform ?? hostPlatform();
    this.now = options.now ?? Date.now;
    this.tokens = new TokenCache(this.now);
    this.layers = new LayerStore(this.root, () => this.tmpDir());
  }

  private get indexPath(): string {
    return join(this.root, 'images.json');
  }

  /** This process's temp directory, made on first use after clearing those of dead processes. */
  tmpDir(): Promise<string> {
    this.tmp ??= (async () => {
      const base = join(this.root, 'tmp');
      await mkdir(base, { recursive: true });
      for (const name of await readdir(base)) {
        const pid = Number(name.split('.')[0]);
        if (!Number.isInteger(pid) || !pidAlive(pid)) await rm(join(base, name), { recursive: true, force: true });
      }
      const dir = join(base, `${process.pid}.${randomBytes(4).toString('hex')}`);
      await mkdir(dir);
      return dir;
    })();
    return this.tmp;
  }

  /** Runs `fn` on a fresh read of the index, one at a time; writes the index back when `fn` returns true as `changed`. */
  private update<T>(fn: (index: StoreIndex) => Promise<{ changed: boolean; value: T }> | { changed: boolean; value: T }): Promise<T> {
    const run = this.lock.then(async () => {
      await mkdir(this.root, { recursive: true });
      return withFileLock(join(this.root, 'images.lock'), async () => {
        const index = await readIndex(this.indexPath);
        const { changed, value } = await fn(index);
        if (changed) await writeIndex(this.indexPath, index);
        return value;
      });
    });
    this.lock = run.catch(() => {});
    return run;
  }

  private read(): Promise<StoreIndex> {
    return readIndex(this.indexPath);
  }

  private info(rec: ImageRecord): ImageInfo {
    const { id, repoTags, repoDigests, size, user, entrypoint, cmd, env, workingDir, stopSignal } = rec;
    const out: ImageInfo = { id, repoTags: [...repoTags], repoDigests: [...repoDigests], size, layerDirs: rec.chainIds.map((c) => this.layers.dir(c)) };
    Object.assign(out, Object.fromEntries(Object.entries({ user, entrypoint, cmd, env, workingDir, stopSignal }).filter(([, v]) => v !== undefined)));
    return out;
  }

  /** Writes a config blob and enters the image into the index with its names. */
  async register(img: PreparedImage): Promise<ImageInfo> {
    const blobs = join(this.root, 'blobs', 'sha256');
    await mkdir(blobs, { recursive: true });
    await writeFileAtomic(join(blobs, digestHex(img.id)), img.config);
    return this.update((index) => {
      const existing = index.images[img.id];
      const rec: ImageRecord = existing ?? {
        id: img.id, repoTags: [], repoDigests: [], size: img.size, chainIds: img.chainIds, ...img.fields, firstDetected: this.now(), lastUsed: 0,
      };
      index.images[img.id] = rec;
      img.chainIds.forEach((c, i) => (index.layers[c] ??= { diffId: img.diffIds[i]!, unpackedBytes: img.unpackedBytes[i] ?? 0 }));
      claimNames(index, img.id, img.repoTags, img.repoDigests);
      return { changed: true, value: this.info(rec) };
    });
  }

  pullImage(image: string, auth: AuthConfig[] = []): Promise<string> {
    let ref;
    try {
      ref = parseReference(image);
    } catch (err) {
      return Promise.reject(err);
    }
    // Pulls with different credentials do not share a result (one may be refused where the other
    // is not); they still share layer downloads through the layer store.
    const name = formatReference(ref);
    const key = `${name}\n${createHash('sha256').update(JSON.stringify(auth)).digest('hex')}`;
    const running = this.pulls.get(key);
    if (running) return running;
    const p = this.pull(name, auth);
    this.pulls.set(key, p);
    p.finally(() => this.pulls.delete(key)).catch(() => {});
    return p;
  }

  private async pull(image: string, auth: AuthConfig[]): Promise<string> {
    const ref = parseReference(image);
    const repo = repositoryName(ref);
    if (ref.digest) {
      const present = findImage(await this.read(), { digest: `${repo}@${ref.digest}` });
      if (present && (await this.layersPresent(present))) {
        if (ref.tag) await this.addNames(present.id, [`${repo}:${ref.tag}`]);
        return present.id;
      }
    }
    const candidates: (AuthConfig | undefined)[] = auth.length > 0 ? auth : [undefined];
    let last: unknown;
    for (const cred of candidates) {
      try {
        const img = await fetchImage({ ref, auth: cred, tokens: this.tokens, platform: this.platform, layers: this.layers });
        try {
          return (await this.register(img)).id;
        } finally {
          img.release?.();
        }
      } catch (err) {
        last = err;
        if (!(err instanceof ImagePullError && err.reason === 'Unauthorized')) throw err;
      }
    }
    throw last;
  }

  private async layersPresent(rec: ImageRecord): Promise<boolean> {
    for (const c of rec.chainIds) if (!(await this.layers.has(c))) return false;
    return true;
  }

  /** Gives more names to a present image (a tag pulled by `name:tag@digest`). */
  private addNames(id: string, tags: string[]): Promise<void> {
    return this.update((index) => {
      if (!index.images[id]) return { changed: false, value: undefined };
      claimNames(index, id, tags, []);
      return { changed: true, value: undefined };
    });
  }

  /** How a reference names an image in the index. */
  private lookupKey(image: string): { id?: string; tag?: string; digest?: string } {
    if (/^(sha256:)?[0-9a-f]{64}$/.test(image)) return { id: image.startsWith('sha256:') ? image : `sha256:${image}` };
    const ref = parseReference(image);
    const repo = repositoryName(ref);
    return ref.digest ? { digest: `${repo}@${ref.digest}` } : { tag: `${repo}:${ref.tag}` };
  }

  /** Imports a docker-archive or oci-archive tarball (`docker save`, `skopeo copy … oci-archive:`). */
  importArchive(path: string): Promise<ImageInfo[]> {
    return importArchive(this, path, this.platform);
  }

  /**
   * Imports every `*.tar`, `*.tar.gz` and `*.tgz` in `dir` (k3s's air-gap images directory),
   * skipping files imported before with the same size and mtime, or the same content. Never
   * throws for one bad file: its error is returned and the others are still imported.
   */
  async importDirectory(dir: string): Promise<{ images: ImageInfo[]; skipped: string[]; errors: { file: string; message: string }[] }> {
    const out = { images: [] as ImageInfo[], skipped: [] as string[], errors: [] as { file: string; message: string }[] };
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (err: any) {
      if (err.code === 'ENOENT') return out;
      throw err;
    }
    for (const name of names) {
      if (!/\.(tar|tar\.gz|tgz)$/.test(name)) continue;
      const file = join(dir, name);
      try {
        const st = await stat(file);
        if (!st.isFile()) continue;
        const seen = (await this.read()).imported[file];
        if (seen && seen.size === st.size && seen.mtimeMs === st.mtimeMs) {
          out.skipped.push(file);
          continue;
        }
        const digest = await fileDigest(file);
        const mark = () => this.update((index) => {
          index.imported[file] = { size: st.size, mtimeMs: st.mtimeMs, digest };
          return { changed: true, value: undefined };
        });
        if (seen && seen.digest === digest) {
          await mark();
          out.skipped.push(file);
          continue;
        }
        out.images.push(...(await this.importArchive(file)));
        await mark();
      } catch (err) {
        out.errors.push({ file, message: (err as Error).message });
      }
    }
    return out;
  }

  async imageStatus(image: string): Promise<ImageInfo | undefined> {
    let key;
    try {
      key = this.lookupKey(image);
    } catch {
      return undefined;
    }
    const rec = findImage(await this.read(), key);
    return rec ? this.info(rec) : undefined;
  }

  async listImages(): Promise<ImageInfo[]> {
    const index = await this.read();
    return Object.values(index.images).sort((a, b) => a.firstDetected - b.firstDetected || (a.id < b.id ? -1 : 1)).map((r) => this.info(r));
  }

  /** Removes the image a reference names (all its names, as CRI RemoveImage) and the layers no other image uses. */
  async removeImage(image: string): Promise<void> {
    let key;
    try {
      key = this.lookupKey(image);
    } catch {
      return;
    }
    await this.update(async (index) => {
      const rec = findImage(index, key);
      if (!rec) return { changed: false, value: undefined };
      delete index.images[rec.id];
      await this.dropUnreferenced(index);
      await rm(join(this.root, 'blobs', 'sha256', digestHex(rec.id)), { force: true });
      return { changed: true, value: undefined };
    });
  }

  /** Removes layers no image of `index` references (also leftovers of a crash); updates index.layers. */
  private async dropUnreferenced(index: StoreIndex): Promise<number> {
    const keep = new Set(Object.values(index.images).flatMap((r) => r.chainIds));
    for (const c of Object.keys(index.layers)) if (!keep.has(c)) delete index.layers[c];
    return (await this.layers.sweep(keep)).length;
  }

  async imageFsInfo(): Promise<{ usedBytes: number; capacityBytes: number; availableBytes: number }> {
    await mkdir(this.root, { recursive: true });
    const fs = await statfs(this.root);
    const index = await this.read();
    const usedBytes = Object.values(index.layers).reduce((n, l) => n + l.unpackedBytes, 0);
    return { usedBytes, capacityBytes: fs.blocks * fs.bsize, availableBytes: fs.bavail * fs.bsize };
  }

  /**
   * Image GC, called periodically by the kubelet: images in `inUse` (ids or references of
   * containers present on the node) are marked used now; then, if the filesystem is past the
   * high threshold, unused images go least recently used first; unreferenced layers are removed.
   */
  async garbageCollect(options: { inUse: Set<string>; policy?: Partial<GCPolicy>; fsInfo?: { capacityBytes: number; availableBytes: number } }): Promise<GCResult> {
    const policy = { ...DEFAULT_GC_POLICY, ...options.policy };
    const fs = options.fsInfo ?? (await this.imageFsInfo());
    return this.update(async (index) => {
      const now = this.now();
      const used = new Set<string>();
      for (const ref of options.inUse) {
        let key;
        try {
          key = this.lookupKey(ref);
        } catch {
          continue;
        }
        const rec = findImage(index, key);
        if (rec) {
          rec.lastUsed = now;
          used.add(rec.id);
        }
      }
      const plan = planImageGC(fs, Object.values(index.images).map((r) => ({ id: r.id, size: r.size, lastUsed: r.lastUsed, firstDetected: r.firstDetected, inUse: used.has(r.id) })), policy, now);
      for (const id of plan.delete) {
        delete index.images[id];
        await rm(join(this.root, 'blobs', 'sha256', digestHex(id)), { force: true });
      }
      const layersRemoved = await this.dropUnreferenced(index);
      return { changed: true, value: { deleted: plan.delete, amountToFree: plan.amountToFree, freedBytes: plan.freed, layersRemoved } };
    });
  }
}
