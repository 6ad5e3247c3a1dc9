// Thin readers of the host facts: read the files, hand the text to host-facts.ts. Each call
// re-reads (the status loop samples every period). `root` prefixes every path, so tests can
// point at a fixture tree; production passes ''.
import { readdir, readFile, statfs } from 'node:fs/promises';
import { availableParallelism, hostname, networkInterfaces, release } from 'node:os';
import { join } from 'node:path';
import { hugepageBytes, hugepageSizeName, maxPID, parseCpuList, parseLoadavgThreads, parseMeminfo, parseOsRelease } from './host-facts.js';
import type { FsSignals } from './node-conditions.js';

/** The node's identity, read once at start. */
export interface HostIdentity {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  hostname: string;
}

/** One sample of what changes: capacity inputs and the eviction signals. */
export interface HostSample {
  cpus: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  nodefs: FsSignals;
  hugepages: Record<string, number>;
  pidMax: number;
  threads: number;
}

async function text(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function readHostIdentity(root = ''): Promise<HostIdentity> {
  const [machineID, uuid, bootID, osRelease] = await Promise.all([
    text(join(root, '/etc/machine-id')), text(join(root, '/sys/class/dmi/id/product_uuid')),
    text(join(root, '/proc/sys/kernel/random/boot_id')), text(join(root, '/etc/os-release')),
  ]);
  return {
    machineID: machineID?.trim() ?? '',
    // Readable only by root and absent on VMs without DMI: upstream reports empty then.
    systemUUID: uuid?.trim() ?? '',
    bootID: bootID?.trim() ?? '',
    kernelVersion: release(),
    osImage: parseOsRelease(osRelease ?? ''),
    hostname: hostname().toLowerCase(),
  };
}

/** Filesystem signals of the filesystem holding `path` (statfs(2)). */
export async function readFsSignals(path: string): Promise<FsSignals> {
  const s = await statfs(path);
  return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, inodes: s.files, inodesFree: s.ffree };
}

export async function readHostSample(dataDir: string, root = ''): Promise<HostSample> {
  const [online, meminfo, pidMax, threadsMax, loadavg, nodefs, hugepages] = await Promise.all([
    text(join(root, '/sys/devices/system/cpu/online')), readFile(join(root, '/proc/meminfo'), 'utf8'),
    text(join(root, '/proc/sys/kernel/pid_max')), text(join(root, '/proc/sys/kernel/threads-max')),
    readFile(join(root, '/proc/loadavg'), 'utf8'), readFsSignals(dataDir), readHugepages(root),
  ]);
  const mem = parseMeminfo(meminfo);
  return {
    cpus: online ? parseCpuList(online) : availableParallelism(),
    memoryTotalBytes: mem.totalBytes,
    memoryAvailableBytes: mem.availableBytes,
    nodefs,
    hugepages,
    pidMax: maxPID(pidMax ?? '32768', threadsMax),
    threads: parseLoadavgThreads(loadavg),
  };
}

async function readHugepages(root: string): Promise<Record<string, number>> {
  const dir = join(root, '/sys/kernel/mm/hugepages');
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return {};
  }
  const out: Record<string, number> = {};
  for (const e of entries) {
    const size = hugepageSizeName(e);
    if (!size) continue;
    out[size] = hugepageBytes(e, (await text(join(dir, e, 'nr_hugepages'))) ?? '0');
  }
  return out;
}

/** The host's interfaces, for pickNodeIP. */
export function hostInterfaces(): ReturnType<typeof networkInterfaces> {
  return networkInterfaces();
}
