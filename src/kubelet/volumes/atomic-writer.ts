// Upstream's AtomicWriter (pkg/volume/util/atomic_writer.go) for configMap, secret, downwardAPI
// and projected volumes. The payload lives in a `..<timestamp>.<random>` directory; `..data` is a
// symlink to it, swapped by rename(2) so a reader resolving `..data` sees the old or the new
// payload, never a mix; each top-level name is a symlink `name → ..data/name`.
//
// Contract: one writer per target directory at a time (the volume manager serialises per pod).
// Writing an unchanged payload does nothing and returns false.
import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, rename, rm, symlink, chmod, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (e.g. 0o644). */
  mode: number;
}

export type Payload = Map<string, FileProjection>;

const DATA_DIR = '..data';
const DATA_DIR_TMP = '..data_tmp';
const MAX_PATH = 4096;
const MAX_SEGMENT = 255;

/** Upstream validatePath: relative, no `..` element, not starting with `..`, bounded lengths. */
export function validatePayloadPath(p: string): string | undefined {
  if (p.length > MAX_PATH) return `payload path ${p} is too long`;
  if (path.isAbsolute(p)) return `invalid path: ${p} must be relative path`;
  if (p.split('/').includes('..')) return `invalid path: ${p} must not contain '..'`;
  if (p.startsWith('..')) return `invalid path: ${p} must not start with '..'`;
  if (p.split('/').some((s) => s.length > MAX_SEGMENT)) return `payload path ${p} contains a segment that is too long`;
  return undefined;
}

/** Upstream cleanPayload: paths cleaned (`a//b/` → `a/b`), each validated. */
export function cleanPayload(payload: Payload): Payload {
  const out: Payload = new Map();
  for (const [p, f] of payload) {
    const err = validatePayloadPath(p);
    if (err) throw new Error(err);
    out.set(path.posix.normalize(p).replace(/\/+$/, ''), f);
  }
  return out;
}

function tsDirPrefix(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

async function exists(p: string): Promise<boolean> {
  try { await lstat(p); return true; } catch { return false; }
}

/** Every regular file under `dir`, relative, with its content and mode. */
async function readTree(dir: string, rel = ''): Promise<Map<string, { data: Buffer; mode: number }>> {
  const out = new Map<string, { data: Buffer; mode: number }>();
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await readTree(dir, r)) out.set(k, v);
    else if (e.isFile()) out.set(r, { data: await readFile(path.join(dir, r)), mode: (await stat(path.join(dir, r))).mode & 0o7777 });
  }
  return out;
}

async function payloadMatches(tsDir: string, payload: Payload, modeMask: number): Promise<boolean> {
  let current: Map<string, { data: Buffer; mode: number }>;
  try { current = await readTree(tsDir); } catch { return false; }
  if (current.size !== payload.size) return false;
  for (const [p, f] of payload) {
    const c = current.get(p);
    if (!c || !c.data.equals(f.data) || (c.mode & ~modeMask) !== (f.mode & ~modeMask)) return false;
  }
  return true;
}

export interface AtomicWriteOptions {
  /** Called on the new timestamped directory before it becomes visible (e.g. fsGroup ownership). */
  setPerms?: (tsDir: string) => Promise<void>;
  /** Mode bits setPerms may add, ignored when comparing with the current payload. */
  permsMask?: number;
  now?: Date;
}

/** Writes `payload` into `targetDir` (created if missing); true when the visible content changed. */
export async function writeAtomic(targetDir: string, payload: Payload, opts: AtomicWriteOptions = {}): Promise<boolean> {
  const clean = cleanPayload(payload);
  await mkdir(targetDir, { recursive: true });
  const dataLink = path.join(targetDir, DATA_DIR);
  let oldTs: string | undefined;
  try { oldTs = await readlink(dataLink); } catch { oldTs = undefined; }
  if (oldTs !== undefined && await payloadMatches(path.join(targetDir, oldTs), clean, opts.permsMask ?? 0)) return false;

  const tsDir = await mkdtemp(path.join(targetDir, tsDirPrefix(opts.now ?? new Date())));
  const tsName = path.basename(tsDir);
  try {
    await chmod(tsDir, 0o755);
    for (const [p, f] of clean) {
      const file = path.join(tsDir, p);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
      await writeFile(file, f.data, { mode: f.mode });
      await chmod(file, f.mode);
    }
    await opts.setPerms?.(tsDir);
    const tmpLink = path.join(targetDir, DATA_DIR_TMP);
    await rm(tmpLink, { force: true });
    await symlink(tsName, tmpLink);
    await rename(tmpLink, dataLink);
  } catch (err) {
    await rm(tsDir, { recursive: true, force: true });
    throw err;
  }

  const visible = new Set([...clean.keys()].map((p) => p.split('/')[0]!));
  for (const name of visible) {
    const link = path.join(targetDir, name);
    if (!await exists(link)) await symlink(path.join(DATA_DIR, name), link);
  }
  for (const name of await readdir(targetDir)) {
    if (name.startsWith('..') || visible.has(name)) continue;
    const link = path.join(targetDir, name);
    try {
      if ((await readlink(link)).startsWith(`${DATA_DIR}/`)) await rm(link, { force: true });
    } catch { /* not one of ours */ }
  }
  if (oldTs !== undefined && oldTs !== tsName && oldTs.startsWith('..') && !oldTs.includes('/')) {
    await rm(path.join(targetDir, oldTs), { recursive: true, force: true });
  }
  return true;
}
