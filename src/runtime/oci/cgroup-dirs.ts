// Cgroup directories the runtime leaves behind: runc removes a container's own cgroup on delete,
// but the pod-level parent it created on the way (`/kubepods/besteffort/pod<uid>`) stays. These
// helpers find the mounted hierarchies (v1 controllers, the unified v2 tree) and remove a
// directory from each once it is empty; a non-empty or missing directory is left alone, so they are
// safe while another sandbox of the same pod still runs.
import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import { listDirs } from './state-files.js';

export const CGROUP_ROOT = '/sys/fs/cgroup';

/** The hierarchies under /sys/fs/cgroup, the v1 controllers first (their named trees last). */
export async function cgroupHierarchies(root = CGROUP_ROOT): Promise<string[]> {
  const dirs = await listDirs(root);
  const named = ['unified', 'systemd'].filter((h) => dirs.includes(h));
  return dirs.filter((h) => !named.includes(h)).concat(named);
}

/**
 * Removes `relPath` (e.g. `/kubepods/besteffort/pod<uid>`) from every hierarchy where it exists
 * and is empty. On pure cgroup v2 the root itself is the hierarchy.
 */
export async function removeEmptyCgroup(relPath: string, root = CGROUP_ROOT): Promise<void> {
  const rel = relPath.replace(/^\/+/, '');
  if (!rel || rel.split('/').includes('..')) return;
  const hierarchies = await cgroupHierarchies(root);
  const dirs = [path.join(root, rel), ...hierarchies.map((h) => path.join(root, h, rel))];
  for (const dir of dirs) await rmdir(dir).catch(() => undefined);
}
