// Facts about the host the runtime reads: its own capabilities, device nodes (privileged
// containers), and the size of a writable layer.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { capabilitiesFromMask } from './capabilities.js';
import type { HostDevice } from './oci-spec.js';

/** Bytes of regular files under `dir` (the writable layer). */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const s = await stat(path.join((e as any).parentPath ?? (e as any).path, e.name)).catch(() => undefined);
    if (s) total += s.size;
  }
  return total;
}

/** The bounding set of this process, read once. */
let capabilities: Promise<string[]> | undefined;
export function ownCapabilities(): Promise<string[]> {
  capabilities ??= readFile('/proc/self/status', 'utf8').then((s) => capabilitiesFromMask(/^CapBnd:\s*([0-9a-f]+)/m.exec(s)?.[1] ?? '0'));
  return capabilities;
}

/** The host's device nodes directly under /dev, for privileged containers (containerd WithDevices). */
export async function hostDevices(): Promise<HostDevice[]> {
  const out: HostDevice[] = [];
  for (const name of await readdir('/dev').catch(() => [] as string[])) {
    const file = path.join('/dev', name);
    const s = await stat(file).catch(() => undefined);
    if (!s || !(s.isCharacterDevice() || s.isBlockDevice())) continue;
    out.push({
      path: file, type: s.isCharacterDevice() ? 'c' : 'b', major: Math.floor(s.rdev / 256) & 0xfff, minor: (s.rdev & 0xff) | ((s.rdev >> 12) & 0xfff00),
      fileMode: s.mode & 0o777, uid: s.uid, gid: s.gid,
    });
  }
  return out;
}
