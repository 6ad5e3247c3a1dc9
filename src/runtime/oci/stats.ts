// Resource usage of a container from its v1 cgroups (cpu and cpuacct are separate hierarchies on
// these hosts): cpuacct.usage, memory.usage_in_bytes, and the working set the kubelet reports,
// usage minus total_inactive_file (never below 0), as cAdvisor computes it.
import { readFile } from 'node:fs/promises';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Parses memory.stat's `key value` lines. */
export function parseMemoryStat(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v !== undefined) out[k] = Number(v);
  }
  return out;
}

export function workingSet(usage: number, stat: Record<string, number>): number {
  const inactive = stat.total_inactive_file ?? stat.inactive_file ?? 0;
  return Math.max(0, usage - inactive);
}

/** Reads the container's cgroup files; undefined when its cgroup is gone (not running). */
export async function readContainerStats(cgroupsPath: string, root = CGROUP_ROOT): Promise<{
  cpuUsageCoreNanoSeconds: number; memoryWorkingSetBytes: number; memoryUsageBytes: number; memoryRssBytes: number;
} | undefined> {
  try {
    const [cpu, usage, stat] = await Promise.all([
      readFile(`${root}/cpuacct${cgroupsPath}/cpuacct.usage`, 'utf8'),
      readFile(`${root}/memory${cgroupsPath}/memory.usage_in_bytes`, 'utf8'),
      readFile(`${root}/memory${cgroupsPath}/memory.stat`, 'utf8'),
    ]);
    const mem = parseMemoryStat(stat);
    const u = Number(usage.trim());
    return {
      cpuUsageCoreNanoSeconds: Number(cpu.trim()), memoryUsageBytes: u, memoryWorkingSetBytes: workingSet(u, mem),
      memoryRssBytes: mem.total_rss ?? mem.rss ?? 0,
    };
  } catch {
    return undefined;
  }
}
