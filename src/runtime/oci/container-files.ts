// Where a container's pieces live, and reading what conmon left behind when it ended.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ContainerPaths {
  /** The bundle directory: record, config.json, rootfs mount point, conmon's FIFOs and socket. */
  dir: string;
  record: string;
  rootfs: string;
  upper: string;
  work: string;
  persist: string;
}

export function containerPaths(root: string, id: string): ContainerPaths {
  const dir = path.join(root, 'containers', id);
  return {
    dir, record: path.join(dir, 'container.json'), rootfs: path.join(dir, 'rootfs'),
    upper: path.join(dir, 'upper'), work: path.join(dir, 'work'), persist: path.join(dir, 'persist'),
  };
}

/** The exit conmon recorded: code, when (the exit file's mtime), and whether the kernel OOM-killed it. */
export async function readExit(p: ContainerPaths): Promise<{ exitCode: number; finishedAt: number; oomKilled: boolean } | undefined> {
  const file = path.join(p.persist, 'exit');
  let text: string;
  let mtime: number;
  try {
    text = await readFile(file, 'utf8');
    mtime = (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
  const exitCode = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(exitCode)) return undefined;
  const oomKilled = await stat(path.join(p.persist, 'oom')).then(() => true, () => false);
  return { exitCode, finishedAt: Math.floor(mtime), oomKilled };
}

/** Upstream's terminated reasons: OOMKilled wins, then Completed for 0, else Error. */
export function terminationReason(exitCode: number, oomKilled: boolean): string {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}

/** Parses `SIGTERM`, `TERM`, `15` (an image's StopSignal) to a Node signal name or number. */
export function parseSignal(sig: string | undefined): NodeJS.Signals | number {
  if (!sig) return 'SIGTERM';
  const s = sig.trim().toUpperCase();
  if (/^\d+$/.test(s)) return Number(s);
  return (s.startsWith('SIG') ? s : `SIG${s}`) as NodeJS.Signals;
}
