// fsGroup ownership of a volume (upstream volume.SetVolumeOwnership): every entry's group becomes
// fsGroup; files gain rw-rw---- (r--r----- for read-only volumes), directories also setgid and
// group exec. Symlinks get their group changed, never their mode. Idempotent.
import { lchown, chmod, lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

/** The bits SetVolumeOwnership may add, for payload comparisons. */
export const OWNERSHIP_MODE_MASK = RW_MASK | EXEC_MASK | SETGID;

export async function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const visit = async (p: string): Promise<void> => {
    const st = await lstat(p);
    await lchown(p, -1, fsGroup);
    if (st.isSymbolicLink()) return;
    let mask = readOnly ? RO_MASK : RW_MASK;
    if (st.isDirectory()) mask |= SETGID | EXEC_MASK;
    await chmod(p, (st.mode & 0o7777) | mask);
    if (st.isDirectory()) for (const e of await readdir(p)) await visit(path.join(p, e));
  };
  await visit(dir);
}

/** Upstream OnRootMismatch: the volume root already has fsGroup as its group (and the setgid bit). */
export async function ownershipMatches(dir: string, fsGroup: number): Promise<boolean> {
  const st = await stat(dir);
  return st.gid === fsGroup && (st.mode & SETGID) !== 0;
}
