// The kubelet's ContainerLogManager: keeps each running container's log under `maxSize` bytes
// per file and `maxFiles` files (current included), compressing all but the newest rotated file.
// `planRotation` decides (pure); `ContainerLogManager` looks at the files and carries the plan
// out. Order as upstream: drop leftovers and excess files, compress, then rename the current
// file and ask the runtime to reopen it (renamed back if the runtime cannot).
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ContainerRuntime } from '../../runtime/index.js';
import { rotatedFilesOf, rotationStamp } from './log-files.js';

export const DEFAULT_MAX_LOG_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MAX_LOG_FILES = 5;

export type RotationAction =
  | { kind: 'remove'; path: string }
  | { kind: 'compress'; path: string }
  | { kind: 'rotate'; from: string; to: string };

export interface RotationInput {
  /** Absolute path of the current log file. */
  current: string;
  /** Its size in bytes. */
  size: number;
  /** Names in its directory. */
  names: string[];
  maxSize: number;
  maxFiles: number;
  now: Date;
}

/** Pure: what to do with one container's log files (nothing while the current file is small). */
export function planRotation(input: RotationInput): RotationAction[] {
  if (input.size < input.maxSize) return [];
  const dir = dirname(input.current);
  const base = basename(input.current);
  const actions: RotationAction[] = [];
  // Leftovers of an interrupted compression, and originals whose .gz already exists.
  const names = new Set(input.names);
  for (const n of input.names) {
    if (n.startsWith(`${base}.`) && n.endsWith('.tmp')) actions.push({ kind: 'remove', path: join(dir, n) });
  }
  let rotated = rotatedFilesOf(base, input.names, dir).filter((f) => {
    if (!f.compressed && names.has(`${basename(f.path)}.gz`)) {
      actions.push({ kind: 'remove', path: f.path });
      return false;
    }
    return true;
  });
  // Room for the file about to be rotated: at most maxFiles-2 older ones stay.
  const keep = Math.max(0, input.maxFiles - 2);
  while (rotated.length > keep) {
    actions.push({ kind: 'remove', path: rotated[0]!.path });
    rotated = rotated.slice(1);
  }
  for (const f of rotated) if (!f.compressed) actions.push({ kind: 'compress', path: f.path });
  actions.push({ kind: 'rotate', from: input.current, to: `${input.current}.${rotationStamp(input.now)}` });
  return actions;
}

export interface ContainerLogManagerOptions {
  runtime: Pick<ContainerRuntime, 'listContainers' | 'reopenContainerLog'>;
  maxSize?: number;
  maxFiles?: number;
  /** Period of the check; default 10 s as upstream. */
  periodMs?: number;
  now?: () => Date;
  onError?: (containerId: string, err: unknown) => void;
}

export class ContainerLogManager {
  constructor(private readonly o: ContainerLogManagerOptions) {}

  /** Runs the periodic check until the signal aborts; resolves after the last pass finished. */
  async start(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.rotateAll().catch(() => undefined);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.o.periodMs ?? 10_000);
        signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
    }
  }

  /** One pass over the running containers. Safe to call concurrently with readers of the logs. */
  async rotateAll(): Promise<void> {
    const containers = await this.o.runtime.listContainers();
    for (const c of containers) {
      if (c.state !== 'running' || !c.logPath) continue;
      try {
        await this.rotateOne(c.id, c.logPath);
      } catch (e) {
        this.o.onError?.(c.id, e);
      }
    }
  }

  async rotateOne(containerId: string, logPath: string): Promise<void> {
    const st = await stat(logPath).catch(() => undefined);
    if (!st) {
      // The file went away (removed by hand): the runtime writes a new one after reopening.
      await this.o.runtime.reopenContainerLog(containerId);
      return;
    }
    const names = await readdir(dirname(logPath));
    const plan = planRotation({
      current: logPath, size: st.size, names, maxSize: this.o.maxSize ?? DEFAULT_MAX_LOG_SIZE,
      maxFiles: this.o.maxFiles ?? DEFAULT_MAX_LOG_FILES, now: (this.o.now ?? (() => new Date()))(),
    });
    for (const a of plan) {
      if (a.kind === 'remove') await rm(a.path, { force: true });
      else if (a.kind === 'compress') await compress(a.path);
      else {
        await rename(a.from, a.to);
        try {
          await this.o.runtime.reopenContainerLog(containerId);
        } catch (e) {
          await rename(a.to, a.from).catch(() => undefined);
          throw e;
        }
      }
    }
  }
}

/** `<file>` → `<file>.gz` through `<file>.gz.tmp`, so a crash never leaves a half-written .gz. */
async function compress(path: string): Promise<void> {
  const tmp = `${path}.gz.tmp`;
  await pipeline(createReadStream(path), createGzip(), createWriteStream(tmp));
  await rename(tmp, `${path}.gz`);
  await rm(path, { force: true });
}
