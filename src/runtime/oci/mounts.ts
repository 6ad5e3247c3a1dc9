// Mounts the runtime makes on the host: a container's overlay rootfs, the bind-mounted namespace
// files of a sandbox, the pod's /dev/shm. Unmounting is idempotent (a path that is not a mount
// point, or does not exist, succeeds), so teardown can be retried after a crash.
import { readFile } from 'node:fs/promises';
import { runProgram } from './exec-file.js';

/** The overlayfs mount options of a rootfs: layerDirs lowest first, so lowerdir lists them reversed. */
export function overlayOptions(layerDirs: string[], upper: string, work: string): string {
  if (layerDirs.length === 0) throw new Error('image has no layers');
  return `lowerdir=${[...layerDirs].reverse().join(':')},upperdir=${upper},workdir=${work}`;
}

/** Mount points at or under `prefix`, deepest first, from /proc/self/mountinfo. */
export async function mountsUnder(prefix: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const p = prefix.replace(/\/+$/, '');
  const out: string[] = [];
  for (const line of info.split('\n')) {
    const f = line.split(' ');
    if (f.length < 5) continue;
    const mp = f[4]!.replace(/\\040/g, ' ');
    if (mp === p || mp.startsWith(`${p}/`)) out.push(mp);
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Lazily unmounts `target` and everything under it, if mounted. */
export async function unmountAll(target: string): Promise<void> {
  for (const mp of await mountsUnder(target)) {
    const r = await runProgram('umount', ['-l', mp]);
    if (r.code !== 0 && !/not mounted|no mount point|not found/i.test(r.stderr.toString())) {
      throw new Error(`umount ${mp}: ${r.stderr.toString().trim()}`);
    }
  }
}
