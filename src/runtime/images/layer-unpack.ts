// Unpacks one layer tar into a directory that stacks as an overlayfs lowerdir: whiteouts become
// 0/0 character devices, opaque markers the trusted.overlay.opaque xattr (setfattr, from the
// `attr` package; mknod from coreutils). Ownership, modes (setuid included), mtimes, symlinks,
// hardlinks, devices, fifos and SCHILY.xattr PAX records are kept. Symlinks met on the way to an
// entry resolve inside the layer root, as a chroot would; no entry lands outside it.
//
// Called by the image store on a fresh temp directory that it renames into place only when this
// resolves, so a failed or interrupted unpack never leaves a half layer under a chain ID.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { lstat, link, lchown, lutimes, mkdir, readlink, rm, symlink, chmod, utimes } from 'node:fs/promises';
import { once } from 'node:events';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import tarStream from 'tar-stream';
import { ImagePullError } from '../runtime.js';
import { classifyEntry, normaliseEntryPath, OPAQUE_XATTR } from './whiteout.js';

const run = promisify(execFile);
const MAX_SYMLINK_HOPS = 40;

async function lstatOrUndefined(p: string) {
  try {
    return await lstat(p);
  } catch (err: any) {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Resolves the parent directories of `rel` inside `root`, following symlinks as if `root` were
 * `/`, and creates missing ones. Returns the absolute path for the final component (not followed).
 */
async function resolveInRoot(root: string, rel: string, create: boolean): Promise<string> {
  const pending = rel === '' ? [] : rel.split('/');
  const last = pending.pop();
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const c = pending.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      done.pop();
      continue;
    }
    const abs = join(root, ...done, c);
    const st = await lstatOrUndefined(abs);
    if (st?.isSymbolicLink()) {
      if (++hops > MAX_SYMLINK_HOPS) throw new ImagePullError(`layer entry "${rel}": too many levels of symbolic links`, 'Invalid');
      const target = await readlink(abs);
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...target.split('/'));
      continue;
    }
    if (!st) {
      if (!create) throw new ImagePullError(`layer entry "${rel}": parent "${[...done, c].join('/')}" does not exist`, 'Invalid');
      await mkdir(abs, { mode: 0o755 });
    } else if (!st.isDirectory()) {
      throw new ImagePullError(`layer entry "${rel}": parent "${[...done, c].join('/')}" is not a directory`, 'Invalid');
    }
    done.push(c);
  }
  return last === undefined ? root : join(root, ...done, last);
}

async function mknod(path: string, type: 'c' | 'b' | 'p', major = 0, minor = 0): Promise<void> {
  await run('mknod', type === 'p' ? [path, 'p'] : [path, type, String(major), String(minor)]);
}

async function setXattr(path: string, name: string, value: Buffer): Promise<void> {
  try {
    await run('setfattr', ['-h', '-n', name, '-v', `0x${value.toString('hex')}`, path]);
  } catch (err: any) {
    throw new ImagePullError(`cannot set xattr ${name} on ${path} (is the "attr" package installed and the filesystem xattr-capable?): ${err.stderr || err.message}`, 'Unsupported');
  }
}

/** Copies a file entry's body (a streamx stream, which node's pipeline does not watch for errors). */
function writeEntry(entry: Readable, errored: Promise<never>, abs: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = createWriteStream(abs, { mode: 0o600 });
    errored.catch((err) => {
      ws.destroy();
      reject(err);
    });
    ws.on('error', reject);
    ws.on('close', () => resolve());
    entry.pipe(ws);
  });
}

/** Removes what is at `abs` unless both it and the new entry are directories. */
async function clearFor(abs: string, isDir: boolean): Promise<void> {
  const st = await lstatOrUndefined(abs);
  if (!st || (isDir && st.isDirectory())) return;
  await rm(abs, { recursive: true, force: true });
}

/** Unpacks an uncompressed tar stream into `dest` (an existing, empty directory); resolves with the bytes of file contents written. */
export async function unpackLayer(source: Readable, dest: string): Promise<number> {
  const extract = tarStream.extract();
  let bytes = 0;
  const dirTimes: { abs: string; mtime: Date }[] = [];
  const consume = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      // The body may fail (truncated tar) while this loop awaits: listen from the start.
      const errored = new Promise<never>((_, reject) => entry.once('error', reject));
      errored.catch(() => {});
      const action = classifyEntry(h.name);
      if (action.kind === 'skip') {
        entry.resume();
        continue;
      }
      if (action.kind === 'opaque') {
        entry.resume();
        const dir = await resolveInRoot(dest, action.dir === '' ? '' : `${action.dir}/x`, true).then((p) => (action.dir === '' ? dest : posix.dirname(p)));
        await setXattr(dir, OPAQUE_XATTR, Buffer.from('y'));
        continue;
      }
      if (action.kind === 'whiteout') {
        entry.resume();
        const abs = await resolveInRoot(dest, action.path, true);
        await clearFor(abs, false);
        await mknod(abs, 'c', 0, 0);
        continue;
      }
      const abs = action.path === '' ? dest : await resolveInRoot(dest, action.path, true);
      const mode = h.mode & 0o7777;
      switch (h.type) {
        case 'directory':
          await clearFor(abs, true);
          await mkdir(abs, { recursive: true });
          entry.resume();
          break;
        case 'file':
        case 'contiguous-file':
          await clearFor(abs, false);
          await writeEntry(entry as unknown as Readable, errored, abs);
          bytes += h.size;
          break;
        case 'symlink':
          entry.resume();
          await clearFor(abs, false);
          await symlink(h.linkname, abs);
          break;
        case 'link': {
          entry.resume();
          const target = await resolveInRoot(dest, normaliseEntryPath(h.linkname), false);
          await clearFor(abs, false);
          await link(target, abs);
          break;
        }
        case 'character-device':
        case 'block-device':
          entry.resume();
          await clearFor(abs, false);
          await mknod(abs, h.type === 'character-device' ? 'c' : 'b', h.devmajor, h.devminor);
          break;
        case 'fifo':
          entry.resume();
          await clearFor(abs, false);
          await mknod(abs, 'p');
          break;
        default:
          entry.resume();
          throw new ImagePullError(`layer entry "${h.name}" has unsupported type ${String(h.type)}`, 'Unsupported');
      }
      if (h.type === 'link') continue; // a hardlink shares the target's inode and metadata
      await lchown(abs, h.uid, h.gid);
      const pax = (h.pax ?? {}) as Record<string, string>;
      for (const [k, v] of Object.entries(pax)) {
        if (k.startsWith('SCHILY.xattr.') && h.type !== 'symlink') await setXattr(abs, k.slice('SCHILY.xattr.'.length), Buffer.from(v, 'latin1'));
      }
      if (h.type === 'symlink') {
        await lutimes(abs, h.mtime, h.mtime);
        continue;
      }
      await chmod(abs, mode);
      if (h.type === 'directory') dirTimes.push({ abs, mtime: h.mtime });
      else await utimes(abs, h.mtime, h.mtime);
    }
  })();
  const feed = (async () => {
    for await (const chunk of source) {
      if (!extract.write(chunk)) await once(extract as any, 'drain');
    }
    (extract as unknown as { end(): void }).end();
  })();
  consume.catch(() => {});
  feed.catch(() => {});
  try {
    await Promise.all([consume, feed]);
  } catch (err) {
    extract.destroy();
    source.destroy();
    if (err instanceof ImagePullError) throw err;
    throw new ImagePullError(`cannot unpack layer: ${(err as Error).message}`, 'Invalid');
  }
  // Children were written after their directories: set directory mtimes last, deepest first.
  for (const d of dirTimes.reverse()) await utimes(d.abs, d.mtime, d.mtime);
  return bytes;
}
