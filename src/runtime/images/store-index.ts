// The image store's index (`images.json`): which images exist, their names, config and layers.
// Written whole and atomically (temp file, fsync, rename, fsync of the directory), so a crash
// leaves either the old or the new index, never a torn one; an image is in the index only once
// every layer it names is unpacked.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface ImageRecord {
  /** The config digest. */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Compressed layer bytes. */
  size: number;
  /** Lowest first. */
  chainIds: string[];
  user?: string;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  stopSignal?: string;
  /** ms; when the store first had it. */
  firstDetected: number;
  /** ms; when a container last used it (0: never), for image GC. */
  lastUsed: number;
}

export interface LayerRecord {
  diffId: string;
  /** Bytes of file contents unpacked. */
  unpackedBytes: number;
}

export interface StoreIndex {
  version: 1;
  images: Record<string, ImageRecord>;
  layers: Record<string, LayerRecord>;
  /** Archives imported from an images directory: path → size and mtime seen, and the file's digest. */
  imported: Record<string, { size: number; mtimeMs: number; digest: string }>;
}

export function emptyIndex(): StoreIndex {
  return { version: 1, images: {}, layers: {}, imported: {} };
}

export async function readIndex(path: string): Promise<StoreIndex> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err: any) {
    if (err.code === 'ENOENT') return emptyIndex();
    throw err;
  }
  const parsed = JSON.parse(text) as StoreIndex;
  if (parsed.version !== 1) throw new Error(`image store index ${path} has unknown version ${String(parsed.version)}`);
  return { ...emptyIndex(), ...parsed };
}

/** Durable replace of `path` with `data`. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function writeIndex(path: string, index: StoreIndex): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(index, null, 1)}\n`);
}

/** Gives every name in `names` to image `id` alone, as a tag moves when pushed again. */
export function claimNames(index: StoreIndex, id: string, tags: string[], digests: string[]): void {
  for (const rec of Object.values(index.images)) {
    if (rec.id === id) continue;
    rec.repoTags = rec.repoTags.filter((t) => !tags.includes(t));
  }
  const rec = index.images[id]!;
  for (const t of tags) if (!rec.repoTags.includes(t)) rec.repoTags.push(t);
  for (const d of digests) if (!rec.repoDigests.includes(d)) rec.repoDigests.push(d);
}

/** The image a reference names: an id (`sha256:…` or bare hex), a normalised tag or `repo@digest`. */
export function findImage(index: StoreIndex, normalised: { id?: string; tag?: string; digest?: string }): ImageRecord | undefined {
  if (normalised.id) return index.images[normalised.id];
  for (const rec of Object.values(index.images)) {
    if (normalised.digest && rec.repoDigests.includes(normalised.digest)) return rec;
    if (!normalised.digest && normalised.tag && rec.repoTags.includes(normalised.tag)) return rec;
  }
  return undefined;
}
