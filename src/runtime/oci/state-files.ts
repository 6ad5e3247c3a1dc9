// On-disk state of sandboxes and containers: one JSON record per object, replaced atomically
// (write a temporary file, then rename) so a kubelet killed mid-write leaves the old record or the
// new one, never half of either. Nothing about a sandbox or container lives only in memory: a
// new OciRuntime over the same root reads everything back from here.
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '../runtime.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: 'ready' | 'notready';
  createdAt: number;
  ips: string[];
  /** Bind-mounted namespace files (absent when the host's is shared). */
  netnsPath?: string;
  ipcnsPath?: string;
  utsnsPath?: string;
  /** shareProcessNamespace: the holder process whose PID namespace the containers join. */
  pidHolder?: { pid: number; startTime: string };
  hostPid?: boolean;
  hostname: string;
  shmPath?: string;
  /** The network port was asked to attach the namespace (so stop asks it to detach). */
  networkAttached?: boolean;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  /** `runc` or `crun`: the OCI runtime that created it (and must manage it). */
  runtime: string;
  config: ContainerConfig;
  imageRef: string;
  stopSignal?: string;
  createdAt: number;
  startedAt?: number;
  /** Only when conmon ended without an exit file; otherwise read from conmon's files on each status. */
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
  logPath: string;
  cgroupsPath: string;
  /** The container's init process and its /proc start time (guards against PID reuse). */
  pid?: number;
  pidStartTime?: string;
  conmonPid?: number;
}

export async function writeRecord(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, file);
}

export async function readRecord<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (e: any) {
    if (e.code === 'ENOENT' || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** Subdirectory names of `dir` (none if it does not exist). */
export async function listDirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (e: any) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
}

/** The fields of /proc/<pid>/stat after the command name; `undefined` if the process is gone. */
export async function procStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return undefined;
    return rest[19];
  } catch {
    return undefined;
  }
}

/** True while the process that had `startTime` still lives (not a zombie, not a reused PID). */
export async function processAlive(pid: number | undefined, startTime: string | undefined): Promise<boolean> {
  if (!pid) return false;
  const now = await procStartTime(pid);
  return now !== undefined && (startTime === undefined || now === startTime);
}

/** True while `pid` is the conmon of container `id` (its command line names the id). */
export async function conmonAlive(pid: number | undefined, id: string): Promise<boolean> {
  if (!pid) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes(id) && (await procStartTime(pid)) !== undefined;
}
