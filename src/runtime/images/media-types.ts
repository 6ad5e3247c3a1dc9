// Media types of the Distribution API and the OCI image spec, and what the store does with each.
import { ImagePullError } from '../runtime.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_SCHEMA1 = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];
export const CONFIG_TYPES = ['application/vnd.docker.container.image.v1+json', 'application/vnd.oci.image.config.v1+json'];

/** The Accept header of a manifest request: indexes first, then single-platform manifests. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');

export type Compression = 'gzip' | 'none';

/** How a layer of this media type is decompressed; zstd and foreign layers are Unsupported. */
export function layerCompression(mediaType: string, digest: string): Compression {
  switch (mediaType) {
    case 'application/vnd.docker.image.rootfs.diff.tar.gzip':
    case 'application/vnd.oci.image.layer.v1.tar+gzip':
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip':
      return 'gzip';
    case 'application/vnd.oci.image.layer.v1.tar':
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar':
    case 'application/vnd.docker.image.rootfs.diff.tar':
      return 'none';
    case 'application/vnd.oci.image.layer.v1.tar+zstd':
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd':
      throw new ImagePullError(`layer ${digest} is zstd-compressed (${mediaType}), which this node cannot decompress; publish the image with gzip layers`, 'Unsupported');
    default:
      throw new ImagePullError(`layer ${digest} has unsupported media type "${mediaType}"`, 'Unsupported');
  }
}

/** Compression of a layer file by its first bytes (archives do not always say). */
export function sniffCompression(head: Buffer, what: string): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) throw new ImagePullError(`${what} is zstd-compressed, which this node cannot decompress`, 'Unsupported');
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'BZh') throw new ImagePullError(`${what} is bzip2-compressed, which this node cannot decompress`, 'Unsupported');
  return 'none';
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion?: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** The kind of a manifest body, from its Content-Type or its own mediaType or shape. */
export function manifestKind(contentType: string | undefined, body: any): 'index' | 'manifest' {
  const type = (body && typeof body.mediaType === 'string' ? body.mediaType : undefined) ?? contentType?.split(';')[0]?.trim();
  if (type && DOCKER_SCHEMA1.includes(type)) throw new ImagePullError('the image uses Docker schema 1 manifests, which are deprecated and not supported; push it again with a current client', 'Unsupported');
  if (type === OCI_INDEX || type === DOCKER_MANIFEST_LIST) return 'index';
  if (type === OCI_MANIFEST || type === DOCKER_MANIFEST) return 'manifest';
  if (body && Array.isArray(body.manifests)) return 'index';
  if (body && body.config && Array.isArray(body.layers)) return 'manifest';
  throw new ImagePullError(`unsupported manifest media type "${type ?? 'none'}"`, 'Unsupported');
}

/** Checks an image manifest's shape; throws Invalid or Unsupported with what is wrong. */
export function checkImageManifest(m: any, digest: string): ImageManifest {
  if (!m || typeof m !== 'object' || !m.config || typeof m.config.digest !== 'string' || !Array.isArray(m.layers)) {
    throw new ImagePullError(`manifest ${digest} is not an image manifest`, 'Invalid');
  }
  if (m.config.mediaType && !CONFIG_TYPES.includes(m.config.mediaType)) {
    throw new ImagePullError(`manifest ${digest} is not a container image (config media type "${m.config.mediaType}")`, 'Unsupported');
  }
  for (const l of m.layers) if (!l || typeof l.digest !== 'string') throw new ImagePullError(`manifest ${digest} has a layer without a digest`, 'Invalid');
  return m as ImageManifest;
}
