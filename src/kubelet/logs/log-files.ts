// Where a container's log lives and how rotated files are named (upstream ContainerLogManager):
// the current file `<dir>/<restartCount>.log`, rotated ones `<file>.<YYYYMMDD-HHMMSS>`, older
// rotated ones compressed as `<file>.<stamp>.gz`. Names sort by stamp, oldest first.
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `<logs>/pods/<ns>_<pod>_<uid>`: the directory of a pod's container logs. */
export function podLogDirectory(logsRoot: string, namespace: string, pod: string, uid: string): string {
  return join(logsRoot, 'pods', `${namespace}_${pod}_${uid}`);
}

/** `<podDir>/<container>/<restartCount>.log`. */
export function containerLogPath(podDir: string, container: string, restartCount: number): string {
  return join(podDir, container, `${restartCount}.log`);
}

/** Go's layout `20060102-150405` in UTC: the suffix of a rotated file. */
export function rotationStamp(t: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}-${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}`;
}

export interface RotatedFile {
  path: string;
  stamp: string;
  compressed: boolean;
}

const ROTATED = /^\.(\d{8}-\d{6})(\.gz)?$/;

/** Pure: which names of a directory are rotated files of `current` (a base name), oldest first. */
export function rotatedFilesOf(current: string, names: string[], dir: string): RotatedFile[] {
  const out: RotatedFile[] = [];
  for (const n of names) {
    if (!n.startsWith(current) || n === current) continue;
    const m = ROTATED.exec(n.slice(current.length));
    if (!m) continue;
    out.push({ path: join(dir, n), stamp: m[1]!, compressed: !!m[2] });
  }
  return out.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : Number(b.compressed) - Number(a.compressed)));
}

/** The rotated files of the log at `path`, oldest first (none if the directory is gone). */
export async function listRotatedFiles(path: string): Promise<RotatedFile[]> {
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return rotatedFilesOf(basename(path), names, dir);
}
