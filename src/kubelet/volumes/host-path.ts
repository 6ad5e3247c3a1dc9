// hostPath type checks (upstream pkg/volume/hostpath checkType / checkTypeInternal), with
// upstream's messages. Creates the path for DirectoryOrCreate (0755) and FileOrCreate (0644).
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] as const;

async function statOf(p: string): Promise<Stats | undefined> {
  try { return await stat(p); } catch { return undefined; }
}

/** Resolves when `p` matches `type`; throws upstream's `hostPath type check failed: …` otherwise. */
export async function checkHostPathType(p: string, type: string | undefined): Promise<void> {
  if (p.split('/').includes('..')) throw new Error(`invalid HostPath \`${p}\`: must not contain '..'`);
  if (type === undefined || type === '') return;
  let st = await statOf(p);
  const fail = (what: string) => new Error(`hostPath type check failed: ${p} is not ${what}`);
  switch (type) {
    case 'DirectoryOrCreate':
      if (!st) { await mkdir(p, { recursive: true, mode: 0o755 }); return; }
      if (!st.isDirectory()) throw fail('a directory');
      return;
    case 'Directory':
      if (!st?.isDirectory()) throw fail('a directory');
      return;
    case 'FileOrCreate':
      if (!st) {
        const fh = await open(p, 'a', 0o644);
        await fh.close();
        st = await statOf(p);
        return;
      }
      if (!st.isFile()) throw fail('a file');
      return;
    case 'File':
      if (!st?.isFile()) throw fail('a file');
      return;
    case 'Socket':
      if (!st?.isSocket()) throw fail('a socket file');
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw fail('a character device');
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw fail('a block device');
      return;
    default:
      throw new Error(`${type} is an invalid volume type`);
  }
}
