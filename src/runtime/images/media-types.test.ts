import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkImageManifest, layerCompression, manifestKind, sniffCompression } from './media-types.js';
import { chainIds, digestHex, sha256 } from './digest.js';

const D = 'sha256:' + '0'.repeat(64);

test('layer media types decide decompression; zstd is Unsupported with a way out', () => {
  assert.equal(layerCompression('application/vnd.docker.image.rootfs.diff.tar.gzip', D), 'gzip');
  assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+gzip', D), 'gzip');
  assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar', D), 'none');
  assert.throws(() => layerCompression('application/vnd.oci.image.layer.v1.tar+zstd', D), (e: any) => e.reason === 'Unsupported' && /zstd.*gzip/.test(e.message));
  assert.throws(() => layerCompression('application/vnd.example.weird', D), (e: any) => e.reason === 'Unsupported');
  assert.equal(sniffCompression(Buffer.from([0x1f, 0x8b, 8, 0]), 'x'), 'gzip');
  assert.equal(sniffCompression(Buffer.from('ustar'), 'x'), 'none');
  assert.throws(() => sniffCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), 'x'), /zstd/);
});

test('manifests are told apart by media type or shape; schema 1 and artifacts are refused', () => {
  assert.equal(manifestKind('application/vnd.docker.distribution.manifest.list.v2+json', {}), 'index');
  assert.equal(manifestKind(undefined, { mediaType: 'application/vnd.oci.image.manifest.v1+json' }), 'manifest');
  assert.equal(manifestKind('application/json', { manifests: [] }), 'index');
  assert.equal(manifestKind(undefined, { config: {}, layers: [] }), 'manifest');
  assert.throws(() => manifestKind('application/vnd.docker.distribution.manifest.v1+prettyjws', {}), /schema 1/);
  assert.throws(() => checkImageManifest({ config: { digest: D, mediaType: 'application/vnd.cncf.helm.config.v1+json' }, layers: [] }, D), (e: any) => e.reason === 'Unsupported');
  assert.throws(() => checkImageManifest({ layers: [] }, D), (e: any) => e.reason === 'Invalid');
});

test('chain IDs follow the OCI image spec; digests other than sha256 are refused', () => {
  const a = sha256('a');
  const b = sha256('b');
  assert.deepEqual(chainIds([a, b]), [a, sha256(`${a} ${b}`)]);
  assert.throws(() => digestHex('sha512:abc'), (e: any) => e.reason === 'Invalid');
  assert.throws(() => digestHex('sha256:../../etc'), (e: any) => e.reason === 'Invalid');
});
