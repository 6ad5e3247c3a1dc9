// Images and registries for tests, from Debian's packages only: busybox images built with umoci
// from busybox-static, Debian's docker-registry on a free loopback port (optionally behind token
// auth from a token server here, signing JWTs with a key whose self-signed certificate the
// registry trusts), pushes and archives with skopeo. Everything started is stopped and removed by
// `stop()`/`cleanup()`, and, should a test forget, when the test process exits.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createHash, KeyObject, randomBytes, sign, type webcrypto as WebCrypto } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile, copyFile, chmod } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import { x509, webcrypto } from '../../src/apiserver/pki/x509.js';
import { poll } from './poll.js';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A temp dir removed by `remove()` or, failing that, when the process exits. */
async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  dirs.add(path);
  return { path, remove: async () => {
    await rm(path, { recursive: true, force: true });
    dirs.delete(path);
  } };
}

/** One entry of an extra layer, in tar header terms (a whiteout is a file named `.wh.<name>`). */
export interface LayerEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  body?: string | Buffer;
  mode?: number;
  linkname?: string;
  uid?: number;
  gid?: number;
}

export interface BusyboxImageOptions {
  tag?: string;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  /** Extra files in the base layer: path in the image → content. */
  files?: Record<string, string | Buffer>;
  /** Layers stacked on the base, lowest first. */
  layers?: LayerEntry[][];
}

export interface BuiltImage {
  /** The OCI layout directory. */
  layout: string;
  tag: string;
  /** `oci:<layout>:<tag>`, what skopeo copies from. */
  ref: string;
  cleanup(): Promise<void>;
}

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args, { maxBuffer: 16 << 20 })).stdout;
  } catch (err: any) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function tarGz(entries: LayerEntry[]): Promise<{ gz: Buffer; diffId: string }> {
  const pack = tarStream.pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    pack.entry({
      name: e.name, type, mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644), linkname: e.linkname, uid: e.uid ?? 0, gid: e.gid ?? 0,
      mtime: new Date('2024-01-01T00:00:00Z'),
    }, type === 'file' ? (e.body ?? '') : '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  const tar = Buffer.concat(chunks);
  return { gz: gzipSync(tar), diffId: `sha256:${sha(tar)}` };
}

/** Appends a gzip layer to the image `tag` of an OCI layout, rewriting config, manifest and index. */
export async function appendLayer(layout: string, tag: string, entries: LayerEntry[]): Promise<void> {
  const blob = (d: string) => join(layout, 'blobs', 'sha256', d.replace('sha256:', ''));
  const put = async (b: Buffer) => {
    await writeFile(blob(sha(b)), b);
    return { digest: `sha256:${sha(b)}`, size: b.length };
  };
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
  const desc = index.manifests.find((m: any) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!desc) throw new Error(`no image tagged ${tag} in ${layout}`);
  const manifest = JSON.parse(await readFile(blob(desc.digest), 'utf8'));
  const config = JSON.parse(await readFile(blob(manifest.config.digest), 'utf8'));
  const { gz, diffId } = await tarGz(entries);
  const layer = await put(gz);
  manifest.layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer });
  config.rootfs.diff_ids.push(diffId);
  (config.history ??= []).push({ created: '2024-01-01T00:00:00Z', created_by: 'capstan test layer' });
  manifest.config = { ...manifest.config, ...(await put(Buffer.from(JSON.stringify(config)))) };
  Object.assign(desc, await put(Buffer.from(JSON.stringify(manifest))));
  await writeFile(join(layout, 'index.json'), JSON.stringify(index));
}

/** An OCI image layout holding busybox-static with its applet symlinks, plus what `options` adds. */
export async function buildBusyboxImage(options: BusyboxImageOptions = {}): Promise<BuiltImage> {
  const tag = options.tag ?? 'latest';
  const { path: work, remove } = await tempDir('capstan-image-');
  const layout = join(work, 'layout');
  const bundle = join(work, 'bundle');
  const image = `${layout}:${tag}`;
  try {
    await sh('umoci', ['init', '--layout', layout]);
    await sh('umoci', ['new', '--image', image]);
    await sh('umoci', ['unpack', '--image', image, bundle]);
    const rootfs = join(bundle, 'rootfs');
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await copyFile(BUSYBOX, join(rootfs, 'bin/busybox'));
    await chmod(join(rootfs, 'bin/busybox'), 0o755);
    for (const applet of (await sh(BUSYBOX, ['--list-full'])).split('\n').filter(Boolean)) {
      if (applet === 'bin/busybox') continue;
      await mkdir(join(rootfs, dirname(applet)), { recursive: true });
      await symlink('/bin/busybox', join(rootfs, applet)).catch((err) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
    for (const d of ['tmp', 'etc', 'root', 'proc', 'sys', 'dev']) await mkdir(join(rootfs, d), { recursive: true });
    await chmod(join(rootfs, 'tmp'), 0o1777);
    await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    for (const [path, content] of Object.entries(options.files ?? {})) {
      await mkdir(join(rootfs, dirname(path)), { recursive: true });
      await writeFile(join(rootfs, path), content);
    }
    await sh('umoci', ['repack', '--image', image, bundle]);
    for (const layer of options.layers ?? []) await appendLayer(layout, tag, layer);
    const cfg: string[] = ['config', '--image', image];
    for (const e of options.entrypoint ?? []) cfg.push('--config.entrypoint', e);
    for (const c of options.cmd ?? ['sh']) cfg.push('--config.cmd', c);
    for (const e of options.env ?? ['PATH=/usr/sbin:/usr/bin:/sbin:/bin']) cfg.push('--config.env', e);
    if (options.workingDir) cfg.push('--config.workingdir', options.workingDir);
    if (options.user) cfg.push('--config.user', options.user);
    await sh('umoci', cfg);
    await sh('umoci', ['gc', '--layout', layout]);
    await rm(bundle, { recursive: true, force: true });
  } catch (err) {
    await remove();
    throw err;
  }
  return { layout, tag, ref: `oci:${layout}:${tag}`, cleanup: remove };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Copies an image (`oci:<dir>:<tag>` or any skopeo source) to `<host>/<nameTag>`; returns that reference. */
  push(localRef: string, nameTag: string): Promise<string>;
  /** The registry's storage root (docker/registry/v2/… under it), for tests that corrupt blobs. */
  storage: string;
  /** Tokens the token server handed out (0 without auth). */
  tokensIssued(): number;
  stop(): Promise<void>;
}

const SERVICE = 'capstan-test-registry';
const ISSUER = 'capstan-test-token-issuer';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

async function startTokenServer(dir: string, creds: { username: string; password: string }): Promise<{ server: Server; realm: string; certPath: string; issued: () => number }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as WebCrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=capstan-test-token-signer',
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 86_400_000),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const certPath = join(dir, 'token-signer.crt');
  await writeFile(certPath, cert.toString('pem'));
  const key = KeyObject.from(keys.privateKey);
  const x5c = Buffer.from(cert.rawData).toString('base64');
  let issued = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : undefined;
    if (given !== undefined && given !== `${creds.username}:${creds.password}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    // Anonymous callers get a token that grants nothing, as Docker Hub's token service does.
    const access = given === undefined ? [] : url.searchParams.getAll('scope').flatMap((s) => {
      const [type, ...rest] = s.split(':');
      const actions = rest.pop()!.split(',');
      return [{ type, name: rest.join(':'), actions }];
    });
    const t = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', x5c: [x5c] }));
    const claims = b64url(JSON.stringify({ iss: ISSUER, sub: given ? creds.username : '', aud: SERVICE, exp: t + 300, nbf: t - 10, iat: t, jti: randomBytes(8).toString('hex'), access }));
    const sig = sign('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    issued++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${head}.${claims}.${b64url(sig)}`, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { server, realm: `http://127.0.0.1:${port}/token`, certPath, issued: () => issued };
}

/**
 * Debian's docker-registry on a free loopback port, in a temp dir; with `auth`, behind token auth.
 * The port is chosen before the registry binds it, so a start that loses the port to another
 * test is retried on a new one.
 */
export async function startRegistry(options: { auth?: { username: string; password: string } } = {}): Promise<TestRegistry> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRegistryOnce(options);
    } catch (err) {
      if (attempt >= 3 || !/address already in use/.test((err as Error).message)) throw err;
    }
  }
}

async function startRegistryOnce(options: { auth?: { username: string; password: string } }): Promise<TestRegistry> {
  const { path: dir, remove } = await tempDir('capstan-registry-');
  let child: ChildProcess | undefined;
  let token: Awaited<ReturnType<typeof startTokenServer>> | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (child) live.delete(child);
    if (token) await new Promise((r) => token!.server.close(r));
    await remove();
  };
  try {
    if (options.auth) token = await startTokenServer(dir, options.auth);
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = [
      'version: 0.1',
      'log:', '  level: error', '  accesslog:', '    disabled: true',
      'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, '  delete:', '    enabled: true',
      'http:', `  addr: ${host}`, `  secret: ${randomBytes(16).toString('hex')}`,
      ...(token ? ['auth:', '  token:', `    realm: ${token.realm}`, `    service: ${SERVICE}`, `    issuer: ${ISSUER}`, `    rootcertbundle: ${token.certPath}`] : []),
    ].join('\n');
    await writeFile(join(dir, 'config.yml'), `${config}\n`);
    child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    // Ready once /v2/ answers (200, or 401 behind auth); an early exit (lost port) fails at once.
    await poll(`registry on ${host}`, async () => {
      if (child!.exitCode !== null) return 'exited';
      return (await fetch(`http://${host}/v2/`)).status;
    }, (s) => s === 200 || s === 401 || s === 'exited', 30_000, 50);
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    const auth = options.auth;
    return {
      host,
      storage: join(dir, 'data'),
      async push(localRef, nameTag) {
        const dest = `${host}/${nameTag}`;
        await sh('skopeo', ['copy', '--insecure-policy', '--dest-tls-verify=false', ...(auth ? ['--dest-creds', `${auth.username}:${auth.password}`] : []), localRef, `docker://${dest}`]);
        return dest;
      },
      tokensIssued: () => token?.issued() ?? 0,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Writes `localRef` (e.g. `oci:<dir>:<tag>`) as a docker-archive (`docker save`) or oci-archive tarball named `name`. */
export async function saveArchive(kind: 'docker-archive' | 'oci-archive', localRef: string, path: string, name = 'example.com/capstan/test:latest'): Promise<void> {
  await rm(path, { force: true });
  await sh('skopeo', ['copy', '--insecure-policy', localRef, `${kind}:${path}:${name}`]);
}
