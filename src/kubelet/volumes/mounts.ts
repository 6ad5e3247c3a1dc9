// tmpfs mounts of memory-backed volumes and the mount table. Linux only, root only; the `mount`
// and `umount` binaries do the work (util-linux, present on every node).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Unescapes mountinfo's octal escapes (`\040` is a space). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points of this process's mount namespace (from /proc/self/mountinfo). */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').filter((l) => l !== '').map((l) => unescape(l.split(' ')[4]!));
}

export async function isMountPoint(dir: string): Promise<boolean> {
  return (await mountPoints()).includes(dir);
}

/** Mounts a tmpfs on `dir` (idempotent: an existing mount point is left alone). */
export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  if (await isMountPoint(dir)) return;
  const args = ['-t', 'tmpfs'];
  if (sizeBytes !== undefined && sizeBytes > 0) args.push('-o', `size=${sizeBytes}`);
  args.push('tmpfs', dir);
  await run('mount', args);
}

/** Unmounts every mount point at or under `root`, deepest first. Throws if one stays mounted. */
export async function unmountUnder(root: string): Promise<void> {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const under = () => mountPoints().then((m) => m.filter((p) => p === root || p.startsWith(prefix)));
  for (const p of (await under()).sort((a, b) => b.length - a.length)) {
    await run('umount', [p]);
  }
  const left = await under();
  if (left.length > 0) throw new Error(`mount points remain under ${root}: ${left.join(', ')}`);
}
