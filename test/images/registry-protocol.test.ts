// The pull protocol against a small scripted registry on loopback: Basic auth, a manifest list
// resolved to this host's platform, the Accept header, zstd layers and server errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import { ImagePullError } from '../../src/runtime/index.js';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { hostPlatform } from '../../src/runtime/images/platform.js';

const digest = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function tar(files: Record<string, string>): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

const blobs = new Map<string, Buffer>();
const manifests = new Map<string, { type: string; body: Buffer }>();
const seen: { url: string; accept?: string; authorization?: string }[] = [];
let server: Server;
let host: string;
let root: string;

function put(b: Buffer): { digest: string; size: number } {
  blobs.set(digest(b), b);
  return { digest: digest(b), size: b.length };
}

function image(marker: string, layerType = 'application/vnd.oci.image.layer.v1.tar+gzip'): Buffer {
  const layerTar = blobs.get('tar:' + marker)!;
  const config = Buffer.from(JSON.stringify({ architecture: 'x', os: 'linux', config: { Cmd: [marker] }, rootfs: { type: 'layers', diff_ids: [digest(layerTar)] } }));
  return Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...put(config) },
    layers: [{ mediaType: layerType, ...put(gzipSync(layerTar)) }],
  }));
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'capstan-protocol-'));
  const here = hostPlatform();
  for (const m of ['mine', 'other']) blobs.set('tar:' + m, await tar({ 'which.txt': m }));
  const mine = image('mine');
  const other = image('other');
  manifests.set(digest(mine), { type: 'application/vnd.oci.image.manifest.v1+json', body: mine });
  manifests.set(digest(other), { type: 'application/vnd.oci.image.manifest.v1+json', body: other });
  const list = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(other), size: other.length, platform: { os: 'linux', architecture: here.architecture === 's390x' ? 'amd64' : 's390x' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(mine), size: mine.length, platform: { ...here } },
    ],
  }));
  manifests.set('multi', { type: 'application/vnd.docker.distribution.manifest.list.v2+json', body: list });
  const zstd = image('mine', 'application/vnd.oci.image.layer.v1.tar+zstd');
  manifests.set('zstd', { type: 'application/vnd.oci.image.manifest.v1+json', body: zstd });
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url!, accept: req.headers.accept, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Basic ${Buffer.from('alice:pw').toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const m = /^\/v2\/team\/app\/(manifests|blobs)\/(.+)$/.exec(req.url!);
    if (m?.[2] === 'broken') {
      res.writeHead(500).end();
      return;
    }
    const found = m?.[1] === 'manifests' ? manifests.get(m[2]!) : m ? { type: 'application/octet-stream', body: blobs.get(m[2]!) } : undefined;
    if (!found?.body) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': found.type }).end(found.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
});

after(async () => {
  await new Promise((r) => server?.close(r));
  await rm(root, { recursive: true, force: true });
});

test('Basic auth and a manifest list: the host platform\'s image is pulled, named by the list digest', async () => {
  const store = new ImageStore({ root: join(root, 'a') });
  await assert.rejects(store.pullImage(`${host}/team/app:multi`), (e: any) => e.reason === 'Unauthorized' && /username and password/.test(e.message));
  await assert.rejects(store.pullImage(`${host}/team/app:multi`, [{ username: 'alice', password: 'no' }]), (e: any) => e.reason === 'Unauthorized');
  seen.length = 0;
  const id = await store.pullImage(`${host}/team/app:multi`, [{ username: 'alice', password: 'pw' }]);
  const info = (await store.imageStatus(id))!;
  assert.deepEqual(info.cmd, ['mine']);
  assert.equal(await readFile(join(info.layerDirs[0]!, 'which.txt'), 'utf8'), 'mine');
  assert.deepEqual(info.repoDigests, [`${host}/team/app@${digest(manifests.get('multi')!.body)}`]);
  const first = seen.find((s) => s.url.endsWith('/manifests/multi'))!;
  assert.match(first.accept!, /application\/vnd\.oci\.image\.index\.v1\+json.*manifest\.list\.v2\+json.*oci\.image\.manifest\.v1\+json.*manifest\.v2\+json/);
});

test('zstd layers are Unsupported before any layer is fetched; server errors are Unreachable; unknown tags NotFound', async () => {
  const store = new ImageStore({ root: join(root, 'b') });
  const creds = [{ username: 'alice', password: 'pw' }];
  seen.length = 0;
  await assert.rejects(store.pullImage(`${host}/team/app:zstd`, creds), (e: unknown) => e instanceof ImagePullError && e.reason === 'Unsupported' && /zstd/.test(e.message));
  assert.ok(!seen.some((s) => s.url.includes('/blobs/')), 'nothing was downloaded');
  await assert.rejects(store.pullImage(`${host}/team/app:broken`, creds), (e: any) => e.reason === 'Unreachable' && /HTTP 500/.test(e.message));
  await assert.rejects(store.pullImage(`${host}/team/app:gone`, creds), (e: any) => e.reason === 'NotFound' && /MANIFEST_UNKNOWN/.test(e.message));
});

test('concurrent pulls of one image, and of two tags sharing a layer, fetch each blob once', async () => {
  const store = new ImageStore({ root: join(root, 'c') });
  const creds = [{ username: 'alice', password: 'pw' }];
  manifests.set('alias', manifests.get('multi')!);
  seen.length = 0;
  const ids = await Promise.all([
    store.pullImage(`${host}/team/app:multi`, creds), store.pullImage(`${host}/team/app:multi`, creds), store.pullImage(`${host}/team/app:alias`, creds),
  ]);
  assert.equal(new Set(ids).size, 1);
  const layerGets = seen.filter((s) => s.url.includes('/blobs/') && s.authorization).map((s) => s.url);
  const counts = new Map<string, number>();
  for (const u of layerGets) counts.set(u, (counts.get(u) ?? 0) + 1);
  // Layers are the gzip blobs; configs are JSON.
  const layerUrls = [...counts.entries()].filter(([u]) => blobs.get(u.split('/').pop()!)?.[0] === 0x1f);
  assert.equal(layerUrls.length, 1, JSON.stringify([...counts]));
  assert.equal(layerUrls[0]![1], 1, 'the layer was downloaded once for three pulls');
  assert.deepEqual((await store.imageStatus(ids[0]!))!.repoTags.sort(), [`${host}/team/app:alias`, `${host}/team/app:multi`]);
});
