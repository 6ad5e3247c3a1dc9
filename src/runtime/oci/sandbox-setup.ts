// A sandbox without a pause container: its namespaces are kept alive by bind-mounting them on
// files under the run directory (`unshare --net=FILE --ipc=FILE --uts=FILE`), which also sets the
// pod's hostname (and brings `lo` up when no pod network does) inside them. shareProcessNamespace needs a PID namespace with
// a live init, so a holder process (`unshare --pid --fork sleep infinity`) is started for it; the
// containers join `/proc/<holder>/ns/pid`. Gap: that holder does not reap orphaned zombies the
// way the pause container does.
//
// Called by OciRuntime.runPodSandbox / stopPodSandbox; teardown is idempotent.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mustRun } from './exec-file.js';
import { unmountAll } from './mounts.js';
import { renderHostsFile, renderResolvConf } from './sandbox-files.js';
import { procStartTime, processAlive, type SandboxRecord } from './state-files.js';

export interface SandboxPaths {
  /** `<root>/sandboxes/<id>`: the record and the shared files. */
  dir: string;
  netns: string;
  ipcns: string;
  utsns: string;
  shm: string;
}

export function sandboxPaths(root: string, runDir: string, id: string): SandboxPaths {
  return {
    dir: path.join(root, 'sandboxes', id),
    netns: path.join(runDir, 'netns', id),
    ipcns: path.join(runDir, 'ipcns', id),
    utsns: path.join(runDir, 'utsns', id),
    shm: path.join(runDir, 'shm', id),
  };
}

/** The pod's /dev/shm (64 MiB, as the pause container's). */
const SHM_OPTIONS = 'nosuid,nodev,noexec,mode=1777,size=67108864';

/**
 * Creates the namespaces the options ask for and the pod's /dev/shm; fills the record's ns and
 * shm paths. `loopbackUp`: bring `lo` up in a new network namespace (when no pod network attaches it).
 */
export async function createNamespaces(rec: SandboxRecord, p: SandboxPaths, options: { loopbackUp: boolean } = { loopbackUp: true }): Promise<void> {
  const ns = rec.config.namespaceOptions ?? {};
  const args: string[] = [];
  const own = async (file: string) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '');
    return file;
  };
  if (ns.network !== 'node') {
    rec.netnsPath = await own(p.netns);
    rec.utsnsPath = await own(p.utsns);
    args.push(`--net=${rec.netnsPath}`, `--uts=${rec.utsnsPath}`);
  }
  if (ns.ipc !== 'node') {
    rec.ipcnsPath = await own(p.ipcns);
    args.push(`--ipc=${rec.ipcnsPath}`);
    await mkdir(p.shm, { recursive: true });
  }
  if (args.length) {
    // One program started from the kubelet (forking it is what costs, in a burst): unshare runs a
    // shell that writes the hostname into the new UTS namespace through /proc (what hostname(1)
    // does), brings `lo` up only when no pod network will (CNI's loopback plugin does otherwise),
    // and mounts the pod's /dev/shm — in the host's mount namespace, which unshare keeps.
    const steps: string[] = [];
    if (rec.netnsPath) steps.push('printf %s "$1" > /proc/sys/kernel/hostname');
    if (rec.netnsPath && options.loopbackUp) steps.push('ip link set lo up');
    if (rec.ipcnsPath) steps.push(`mount -t tmpfs -o ${SHM_OPTIONS} shm "$2"`);
    await mustRun('unshare', [...args, 'sh', '-c', steps.join(' && ') || 'true', 'sh', rec.hostname, p.shm]);
  }
  // hostIPC: the host's /dev/shm, as upstream.
  rec.shmPath = rec.ipcnsPath ? p.shm : '/dev/shm';
  if (ns.pid === 'pod') rec.pidHolder = await startPidHolder();
  rec.hostPid = ns.pid === 'node';
}

async function startPidHolder(): Promise<{ pid: number; startTime: string }> {
  const child = spawn('unshare', ['--pid', '--fork', '--kill-child', 'sleep', 'infinity'], { detached: true, stdio: 'ignore' });
  child.unref();
  const unsharePid = child.pid!;
  // The holder is unshare's only child, PID 1 of the new namespace.
  for (let i = 0; i < 500; i++) {
    const children = await readFile(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').catch(() => '');
    const pid = Number(children.trim().split(' ')[0]);
    if (pid) {
      const startTime = await procStartTime(pid);
      if (startTime) return { pid, startTime };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the PID namespace holder did not start');
}

/** The PID namespace containers of this sandbox join, if it shares one. */
export function pidnsPath(rec: SandboxRecord): string | undefined {
  return rec.pidHolder ? `/proc/${rec.pidHolder.pid}/ns/pid` : undefined;
}

/**
 * Writes resolv.conf and hostname: what does not depend on the pod's addresses, so it may run
 * while the pod network is attached.
 */
export async function prepareSandboxFiles(rec: SandboxRecord, p: SandboxPaths): Promise<void> {
  await mkdir(p.dir, { recursive: true });
  const hostNetwork = !rec.netnsPath;
  const resolv = path.join(p.dir, 'resolv.conf');
  if (rec.config.dnsConfig) await writeFile(resolv, renderResolvConf(rec.config.dnsConfig));
  else await copyFile('/etc/resolv.conf', resolv).catch(() => writeFile(resolv, ''));
  await writeFile(path.join(p.dir, 'hostname'), `${hostNetwork ? os.hostname() : rec.hostname}\n`);
}

/** Writes the pod's hosts file; after the pod network is attached (it lists the pod's addresses). */
export async function writeHostsFile(rec: SandboxRecord, p: SandboxPaths): Promise<void> {
  await mkdir(p.dir, { recursive: true });
  const hosts = path.join(p.dir, 'hosts');
  if (!rec.netnsPath) await copyFile('/etc/hosts', hosts).catch(() => writeFile(hosts, renderHostsFile([], rec.hostname)));
  else await writeFile(hosts, renderHostsFile(rec.ips, rec.hostname));
}

/** Ends the PID holder, unmounts the namespaces and /dev/shm. Idempotent. */
export async function releaseNamespaces(rec: SandboxRecord, p: SandboxPaths): Promise<void> {
  if (rec.pidHolder && await processAlive(rec.pidHolder.pid, rec.pidHolder.startTime)) {
    try { process.kill(rec.pidHolder.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  for (const file of [p.netns, p.ipcns, p.utsns, p.shm]) {
    await unmountAll(file);
    await rm(file, { recursive: true, force: true });
  }
}

/** The files a container bind-mounts from its sandbox. */
export function sandboxFilePaths(p: SandboxPaths): { resolvConfPath: string; hostsPath: string; hostnamePath: string } {
  return { resolvConfPath: path.join(p.dir, 'resolv.conf'), hostsPath: path.join(p.dir, 'hosts'), hostnamePath: path.join(p.dir, 'hostname') };
}
