// killAll: ends everything OciRuntime started under one root and run directory, for
// `capstan killall` and for tests' cleanup. Works from the on-disk records alone (no OciRuntime
// object, no running kubelet): containers' processes and conmons are killed, runtime state and
// cgroups removed, rootfs and namespace mounts unmounted, the sandboxes' networks detached through
// the port when one is given, and finally the state directories removed. Safe to run twice.
import { readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { PodNetwork } from '../runtime.js';
import { runProgram } from './exec-file.js';
import { containerPaths } from './container-files.js';
import { unmountAll } from './mounts.js';
import { which } from './oci-cli.js';
import { sandboxPaths } from './sandbox-setup.js';
import { conmonAlive, listDirs, processAlive, readRecord, type ContainerRecord, type SandboxRecord } from './state-files.js';
import { CGROUP_ROOT, cgroupHierarchies, removeEmptyCgroup } from './cgroup-dirs.js';

export interface KillAllOptions {
  root: string;
  runDir: string;
  /** Detaches each sandbox's network (CNI DEL) before its namespace goes. */
  network?: PodNetwork;
}

export interface KillAllReport {
  containers: number;
  sandboxes: number;
  errors: string[];
}

function kill(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid) return;
  try { process.kill(pid, signal); } catch { /* gone */ }
}

/** Kills every process in the container's cgroup, then removes the cgroup in every hierarchy. */
async function removeCgroup(cgroupsPath: string): Promise<void> {
  const procs = await readFile(path.join(CGROUP_ROOT, 'pids', cgroupsPath, 'cgroup.procs'), 'utf8').catch(() => '');
  for (const pid of procs.split('\n').filter(Boolean)) kill(Number(pid));
  for (const h of await cgroupHierarchies()) {
    const dir = path.join(CGROUP_ROOT, h, cgroupsPath);
    for (let i = 0; i < 50; i++) {
      try {
        await rmdir(dir);
        break;
      } catch (e: any) {
        if (e.code === 'ENOENT') break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}

export async function killAll(opts: KillAllOptions): Promise<KillAllReport> {
  const report: KillAllReport = { containers: 0, sandboxes: 0, errors: [] };
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try { await fn(); } catch (e: any) { report.errors.push(`${what}: ${e?.message ?? e}`); }
  };
  const runtimes: { name: string; bin: string }[] = [];
  for (const name of ['runc', 'crun']) {
    const bin = await which(name).catch(() => undefined);
    if (bin) runtimes.push({ name, bin });
  }
  for (const id of await listDirs(path.join(opts.root, 'containers'))) {
    const p = containerPaths(opts.root, id);
    const rec = await readRecord<ContainerRecord>(p.record);
    report.containers++;
    if (rec && await processAlive(rec.pid, rec.pidStartTime)) kill(rec.pid);
    const conmonPid = Number((await readFile(path.join(p.dir, 'conmon.pid'), 'utf8').catch(() => '')).trim());
    for (const pid of new Set([rec?.conmonPid, conmonPid])) if (await conmonAlive(pid, id)) kill(pid);
    for (const rt of runtimes) {
      await runProgram(rt.bin, [`--root=${path.join(opts.runDir, rt.name)}`, 'delete', '--force', id]).catch(() => undefined);
    }
    if (rec) {
      await attempt(`cgroup ${rec.cgroupsPath}`, () => removeCgroup(rec.cgroupsPath));
    }
    await attempt(`rootfs of ${id}`, () => unmountAll(p.rootfs));
  }
  for (const id of await listDirs(path.join(opts.root, 'sandboxes'))) {
    const sp = sandboxPaths(opts.root, opts.runDir, id);
    const rec = await readRecord<SandboxRecord>(path.join(sp.dir, 'sandbox.json'));
    report.sandboxes++;
    if (rec?.networkAttached && rec.netnsPath && opts.network) {
      await attempt(`network of ${id}`, () => opts.network!.tearDown({
        sandboxId: id, name: rec.config.name, namespace: rec.config.namespace, uid: rec.config.uid,
        netnsPath: rec.netnsPath!, portMappings: rec.config.portMappings,
      }));
    }
    if (rec?.pidHolder && await processAlive(rec.pidHolder.pid, rec.pidHolder.startTime)) kill(rec.pidHolder.pid);
    // The pod-level cgroup the kubelet gave (kubepods/…/pod<uid>), once its containers' are gone.
    if (rec?.config.cgroupParent) await removeEmptyCgroup(rec.config.cgroupParent);
  }
  // The default parent is ours (removed once empty); a kubelet-given parent (kubepods…) is the kubelet's.
  for (const h of await cgroupHierarchies()) await rmdir(path.join(CGROUP_ROOT, h, 'capstan')).catch(() => {});
  await attempt('mounts under the run directory', () => unmountAll(opts.runDir));
  await attempt('mounts under the root', () => unmountAll(opts.root));
  await attempt('run directory', () => rm(opts.runDir, { recursive: true, force: true }));
  await attempt('root', () => rm(opts.root, { recursive: true, force: true }));
  return report;
}
