// Importing image tarballs: docker-archive (`docker save`: manifest.json, config JSON, layer
// tars) and oci-archive (an OCI image layout in a tar), as k3s imports the air-gap tarballs in
// `<data-dir>/agent/images/`. The archive is extracted into the store's temp directory, every
// blob is verified, the layers go through the layer store, and each image is registered.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, realpath, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import type { ImageInfo } from '../runtime.js';
import { ImagePullError } from '../runtime.js';
import { chainIds as chainIdsOf, digestHex, sha256, verifyDigest } from './digest.js';
import { parseImageConfig } from './image-config.js';
import type { ImageStore, PreparedImage } from './image-store.js';
import { checkImageManifest, layerCompression, manifestKind, sniffCompression } from './media-types.js';
import { selectPlatform, type Platform } from './platform.js';
import { formatReference, parseReference, repositoryName } from './reference.js';
import { normaliseEntryPath } from './whiteout.js';

async function head(path: string, n = 8): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Extracts regular files, directories and symlinks of a (possibly gzip) tar into `dest`. */
async function extractArchive(path: string, dest: string): Promise<void> {
  const compression = sniffCompression(await head(path), `archive ${path}`);
  const extract = tarStream.extract();
  const input: Readable = compression === 'gzip' ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract as any);
  for await (const entry of extract) {
    const h = entry.header;
    let failed: unknown;
    entry.once('error', (err) => (failed = err));
    const rel = normaliseEntryPath(h.name);
    const abs = join(dest, rel);
    if (h.type === 'directory') {
      await mkdir(abs, { recursive: true });
      entry.resume();
    } else if (h.type === 'file' || h.type === 'contiguous-file') {
      await mkdir(dirname(abs), { recursive: true });
      await new Promise<void>((resolve, reject) => {
        if (failed) {
          reject(failed);
          return;
        }
        const ws = createWriteStream(abs);
        ws.on('error', reject);
        ws.on('close', () => resolve());
        entry.on('error', (err) => {
          ws.destroy();
          reject(err);
        });
        entry.pipe(ws);
      });
    } else if (h.type === 'symlink') {
      // docker save links a layer shared by two images to the first copy.
      await mkdir(dirname(abs), { recursive: true });
      await symlink(h.linkname, abs);
      entry.resume();
    } else {
      entry.resume();
    }
  }
}

/** A path inside the extracted archive, symlinks followed, refusing anything outside it. */
async function inside(root: string, rel: string): Promise<string> {
  const real = await realpath(join(root, normaliseEntryPath(rel))).catch(() => {
    throw new ImagePullError(`archive is missing "${rel}"`, 'Invalid');
  });
  const realRoot = await realpath(root);
  if (!real.startsWith(`${realRoot}/`)) throw new ImagePullError(`archive entry "${rel}" points outside the archive`, 'Invalid');
  return real;
}

interface LayerFile { path: string; compression: 'gzip' | 'none'; digest?: string; size: number }

async function prepare(store: ImageStore, what: string, config: Buffer, layers: LayerFile[], repoTags: string[], repoDigests: string[]): Promise<PreparedImage> {
  const parsed = parseImageConfig(config, what);
  if (parsed.diffIds.length !== layers.length) throw new ImagePullError(`${what}: ${layers.length} layers but the config lists ${parsed.diffIds.length}`, 'Invalid');
  const chainIds = chainIdsOf(parsed.diffIds);
  const unpin = store.layers.pin(chainIds);
  const unpackedBytes: number[] = [];
  try {
    for (const [i, l] of layers.entries()) {
      unpackedBytes[i] = await store.layers.ensure(chainIds[i]!, parsed.diffIds[i]!, {
        open: async () => createReadStream(l.path), compression: l.compression, digest: l.digest, what: `${what} layer ${i + 1}`,
      });
    }
  } catch (err) {
    unpin();
    throw err;
  }
  return {
    id: sha256(config), config, fields: parsed.fields, chainIds, diffIds: parsed.diffIds, unpackedBytes,
    size: layers.reduce((n, l) => n + l.size, 0), repoTags, repoDigests, release: unpin,
  };
}

function normaliseTag(name: string, what: string): string {
  const ref = parseReference(name);
  if (ref.digest) throw new ImagePullError(`${what}: image name "${name}" has a digest, not a tag`, 'Invalid');
  return formatReference(ref);
}

async function dockerArchive(store: ImageStore, root: string, what: string): Promise<PreparedImage[]> {
  const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as { Config: string; RepoTags?: string[] | null; Layers: string[] }[];
  if (!Array.isArray(manifest)) throw new ImagePullError(`${what}: manifest.json is not a list`, 'Invalid');
  const out: PreparedImage[] = [];
  for (const m of manifest) {
    const config = await readFile(await inside(root, m.Config));
    const layers: LayerFile[] = [];
    for (const l of m.Layers ?? []) {
      const path = await inside(root, l);
      layers.push({ path, compression: sniffCompression(await head(path), `${what} layer ${l}`), size: (await stat(path)).size });
    }
    out.push(await prepare(store, what, config, layers, (m.RepoTags ?? []).map((t) => normaliseTag(t, what)), []));
  }
  return out;
}

async function ociArchive(store: ImageStore, root: string, what: string, platform: Platform): Promise<PreparedImage[]> {
  const blob = async (digest: string) => {
    const body = await readFile(await inside(root, `blobs/sha256/${digestHex(digest)}`));
    verifyDigest(`${what} blob ${digest}`, digest, sha256(body));
    return body;
  };
  const index = JSON.parse(await readFile(join(root, 'index.json'), 'utf8')) as { manifests?: { digest: string; mediaType?: string; annotations?: Record<string, string> }[] };
  const out: PreparedImage[] = [];
  for (const desc of index.manifests ?? []) {
    const name = desc.annotations?.['io.containerd.image.name'] ?? desc.annotations?.['org.opencontainers.image.ref.name'];
    // A bare tag (`latest`) names nothing by itself; a full reference names the image.
    const tag = name && /[/:]/.test(name) ? normaliseTag(name, what) : undefined;
    let body = await blob(desc.digest);
    let json = JSON.parse(body.toString('utf8'));
    let digest = desc.digest;
    if (manifestKind(desc.mediaType, json) === 'index') {
      const entry = selectPlatform(json.manifests ?? [], platform);
      if (!entry) continue;
      digest = entry.digest;
      body = await blob(digest);
      json = JSON.parse(body.toString('utf8'));
    }
    const manifest = checkImageManifest(json, digest);
    const config = await blob(manifest.config.digest);
    const layers: LayerFile[] = [];
    for (const l of manifest.layers) {
      layers.push({
        path: await inside(root, `blobs/sha256/${digestHex(l.digest)}`), compression: layerCompression(l.mediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip', l.digest),
        digest: l.digest, size: l.size ?? 0,
      });
    }
    const repoDigests = tag ? [`${repositoryName(parseReference(tag))}@${desc.digest}`] : [];
    out.push(await prepare(store, what, config, layers, tag ? [tag] : [], repoDigests));
  }
  return out;
}

/** Imports every image of a docker-archive or oci-archive tarball (gzip allowed); resolves with them as registered. */
export async function importArchive(store: ImageStore, path: string, platform: Platform): Promise<ImageInfo[]> {
  const what = `archive ${path}`;
  const tmp = join(await store.tmpDir(), `archive-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    try {
      await extractArchive(path, tmp);
    } catch (err) {
      if (err instanceof ImagePullError) throw err;
      throw new ImagePullError(`${what} cannot be read: ${(err as Error).message}`, 'Invalid');
    }
    const has = (f: string) => stat(join(tmp, f)).then(() => true, () => false);
    let prepared: PreparedImage[];
    if (await has('manifest.json')) prepared = await dockerArchive(store, tmp, what);
    else if (await has('index.json')) prepared = await ociArchive(store, tmp, what, platform);
    else throw new ImagePullError(`${what} is neither a docker-archive (manifest.json) nor an oci-archive (index.json)`, 'Invalid');
    const infos: ImageInfo[] = [];
    try {
      for (const p of prepared) infos.push(await store.register(p));
    } finally {
      for (const p of prepared) p.release?.();
    }
    return infos;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
