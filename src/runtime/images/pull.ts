// One pull from a registry with one credential: resolve the reference to a manifest (through an
// index for this platform), fetch and verify the config, and unpack every layer not yet present,
// verifying each blob's digest and diffID while it streams. The store registers the result.
import type { AuthConfig } from '../runtime.js';
import { ImagePullError } from '../runtime.js';
import { chainIds as chainIdsOf } from './digest.js';
import { parseImageConfig } from './image-config.js';
import type { PreparedImage } from './image-store.js';
import type { LayerStore } from './layer-store.js';
import { checkImageManifest, layerCompression, manifestKind } from './media-types.js';
import { formatPlatform, selectPlatform, type Platform } from './platform.js';
import { formatReference, repositoryName, type ImageReference } from './reference.js';
import type { TokenCache } from './registry-auth.js';
import { RegistryClient } from './registry-client.js';

/** Layers downloaded at once per pull, as containerd's default max concurrent downloads (3). */
const LAYER_CONCURRENCY = 3;

function parseJson(body: Buffer, what: string): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ImagePullError(`${what} is not JSON`, 'Invalid');
  }
}

/** Runs `fn` over `items` with at most `limit` at once; rejects with the first failure after all settle. */
export async function forEachLimit<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

export async function fetchImage(opts: { ref: ImageReference; auth?: AuthConfig; tokens: TokenCache; platform: Platform; layers: LayerStore }): Promise<PreparedImage> {
  const { ref, platform, layers } = opts;
  const repo = repositoryName(ref);
  const name = formatReference(ref);
  const client = new RegistryClient(ref, opts.auth, opts.tokens);
  const top = await client.manifest(ref.digest ?? ref.tag!);
  let manifestBody = top;
  let json = parseJson(top.body, `manifest of ${name}`);
  if (manifestKind(top.contentType, json) === 'index') {
    const entry = selectPlatform(Array.isArray(json.manifests) ? json.manifests : [], platform);
    if (!entry) throw new ImagePullError(`no match for platform ${formatPlatform(platform)} in the manifest list of ${name}`, 'Unsupported');
    manifestBody = await client.manifest(entry.digest);
    json = parseJson(manifestBody.body, `manifest ${entry.digest} of ${name}`);
    if (manifestKind(manifestBody.contentType, json) !== 'manifest') throw new ImagePullError(`manifest ${entry.digest} of ${name} is a nested index`, 'Unsupported');
  }
  const manifest = checkImageManifest(json, manifestBody.digest);
  // Fail on an unsupported layer before downloading anything.
  const compressions = manifest.layers.map((l) => layerCompression(l.mediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip', l.digest));
  const config = await client.smallBlob(manifest.config.digest);
  const parsed = parseImageConfig(config, `${name} (config ${manifest.config.digest})`);
  if (parsed.diffIds.length !== manifest.layers.length) {
    throw new ImagePullError(`${name}: manifest has ${manifest.layers.length} layers but the config lists ${parsed.diffIds.length}`, 'Invalid');
  }
  const chainIds = chainIdsOf(parsed.diffIds);
  const unpackedBytes: number[] = [];
  const unpin = layers.pin(chainIds);
  try {
    await forEachLimit(manifest.layers, LAYER_CONCURRENCY, async (layer, i) => {
      unpackedBytes[i] = await layers.ensure(chainIds[i]!, parsed.diffIds[i]!, {
        open: () => client.blob(layer.digest), compression: compressions[i]!, digest: layer.digest, what: `layer ${layer.digest} of ${repo}`,
      });
    });
  } catch (err) {
    unpin();
    throw err;
  }
  return {
    release: unpin,
    id: manifest.config.digest,
    config,
    fields: parsed.fields,
    chainIds,
    diffIds: parsed.diffIds,
    unpackedBytes,
    size: manifest.layers.reduce((n, l) => n + (l.size ?? 0), 0),
    repoTags: ref.tag !== undefined ? [`${repo}:${ref.tag}`] : [],
    repoDigests: [`${repo}@${top.digest}`],
  };
}
