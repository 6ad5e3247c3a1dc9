// A lock file between processes sharing one image store (the kubelet and a `capstan image` run):
// created exclusively with the holder's pid in it; a lock whose holder is dead is taken over.
// Held only for the read-modify-write of the index, never across downloads.
import { open, readFile, rm } from 'node:fs/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM';
  }
}

/** Runs `fn` holding the lock at `path`; waits (polling) while a live process holds it. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(String(process.pid));
      } finally {
        await fh.close();
      }
      break;
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // An empty file is a holder between create and write: wait for it like any other.
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`image store lock ${path} is held by process ${holder || 'unknown'} for more than ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
