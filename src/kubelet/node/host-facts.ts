// Pure parsers for the host facts a kubelet reports about its node: the text of /proc, /sys and
// /etc files in, numbers and names out. The thin readers that fetch the text live in
// host-readers.ts; everything here is tested with fixture text.

/** Number of CPUs in a kernel cpu list (`/sys/devices/system/cpu/online`: `0-3,6,8-9`). */
export function parseCpuList(text: string): number {
  let n = 0;
  for (const part of text.trim().split(',')) {
    if (!part) continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`malformed cpu list "${text.trim()}"`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`malformed cpu list "${text.trim()}"`);
    n += hi - lo + 1;
  }
  return n;
}

export interface MemInfo {
  /** MemTotal in bytes (the node's memory capacity, as cadvisor's MemoryCapacity). */
  totalBytes: number;
  /** MemAvailable in bytes (falls back to MemFree + Cached + Buffers on old kernels). */
  availableBytes: number;
}

/** `/proc/meminfo` → total and available bytes. Throws when MemTotal is missing. */
export function parseMeminfo(text: string): MemInfo {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]));
  }
  const total = kb.get('MemTotal');
  if (total === undefined) throw new Error('no MemTotal in /proc/meminfo');
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Cached') ?? 0) + (kb.get('Buffers') ?? 0);
  return { totalBytes: total * 1024, availableBytes: available * 1024 };
}

/** `/etc/os-release` → PRETTY_NAME (unquoted), or `Linux` when absent, as upstream's osImage. */
export function parseOsRelease(text: string): string {
  for (const line of text.split('\n')) {
    const m = /^PRETTY_NAME=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[1]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    return v.replace(/\\(["'\\$`])/g, '$1');
  }
  return 'Linux';
}

/**
 * A hugepage size directory of /sys/kernel/mm/hugepages (`hugepages-2048kB`) → the resource
 * name suffix upstream uses (`2Mi`, `1Gi`: the largest binary unit that divides the size).
 */
export function hugepageSizeName(dirName: string): string | undefined {
  const m = /^hugepages-(\d+)kB$/.exec(dirName);
  if (!m) return undefined;
  const bytes = Number(m[1]) * 1024;
  const units: [string, number][] = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [u, size] of units) if (bytes % size === 0) return `${bytes / size}${u}`;
  return `${bytes}`;
}

/** Bytes of one hugepage size directory's pages (`nr_hugepages` × page size). */
export function hugepageBytes(dirName: string, nrHugepages: string): number {
  const m = /^hugepages-(\d+)kB$/.exec(dirName);
  if (!m) return 0;
  const n = Number(nrHugepages.trim());
  return Number.isFinite(n) && n > 0 ? n * Number(m[1]) * 1024 : 0;
}

/**
 * `/proc/loadavg` (`0.10 0.05 0.01 2/169 7085`) → the number of threads that exist now
 * (the `169`), the kernel's count that upstream reads through sysinfo(2) as running processes.
 */
export function parseLoadavgThreads(text: string): number {
  const m = /^\S+\s+\S+\s+\S+\s+\d+\/(\d+)\s/.exec(text.trim() + ' ');
  if (!m) throw new Error(`malformed /proc/loadavg "${text.trim()}"`);
  return Number(m[1]);
}

/** The kernel's process id ceiling: the smaller of pid_max and threads-max, as upstream's pidlimit. */
export function maxPID(pidMax: string, threadsMax?: string): number {
  const a = Number(pidMax.trim());
  const b = threadsMax === undefined ? Number.POSITIVE_INFINITY : Number(threadsMax.trim());
  const v = Math.min(Number.isFinite(a) && a > 0 ? a : Number.POSITIVE_INFINITY, Number.isFinite(b) && b > 0 ? b : Number.POSITIVE_INFINITY);
  if (!Number.isFinite(v)) throw new Error(`malformed pid_max "${pidMax.trim()}"`);
  return v;
}

/** Node.js `process.arch` → Go's GOARCH, which Nodes report (`kubernetes.io/arch`, nodeInfo.architecture). */
export function goArch(nodeArch: string = process.arch): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

/** Node.js `process.platform` → Go's GOOS. */
export function goOS(platform: string = process.platform): string {
  return platform === 'win32' ? 'windows' : platform;
}

/**
 * The node's InternalIP: `--node-ip` when given, else the first non-internal IPv4 address of
 * the host's interfaces (as upstream's fallback when no cloud provider knows better).
 */
export function pickNodeIP(interfaces: Record<string, { address: string; family: string | number; internal: boolean }[] | undefined>, flag?: string): string | undefined {
  if (flag) return flag;
  for (const name of Object.keys(interfaces)) {
    for (const a of interfaces[name] ?? []) {
      if (!a.internal && (a.family === 'IPv4' || a.family === 4)) return a.address;
    }
  }
  return undefined;
}
