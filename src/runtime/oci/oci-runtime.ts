// OciRuntime: the ContainerRuntime port over conmon and runc (or crun), for real nodes.
// Sandboxes are bind-mounted namespaces (sandbox-setup.ts); containers are OCI bundles on an
// overlay rootfs, each watched by its own conmon (conmon.ts). Every fact about a sandbox or
// container is on disk under `root` (state-files.ts), so a new OciRuntime over the same root —
// after the kubelet restarted — sees the same sandboxes and containers, with the same PIDs.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type {
  ContainerConfig, ContainerRuntime, ContainerStats, ContainerStatus, ExecOptions, ExecSyncResult, ImageInfo, ImageService,
  PodNetwork, PodSandboxConfig, PodSandboxStatus, RuntimeVersion, StreamSession,
} from '../runtime.js';
import { sandboxOfPod } from '../runtime.js';
import { conmonControl, launchConmon } from './conmon.js';
import { containerPaths, parseSignal, readExit, terminationReason, type ContainerPaths } from './container-files.js';
import { overlayOptions, unmountAll } from './mounts.js';
import { OciCli, type OciRuntimeName } from './oci-cli.js';
import { buildOciSpec, containerCgroupsPath } from './oci-spec.js';
import { dirBytes, hostDevices, ownCapabilities } from './host-info.js';
import { parseGroup, parsePasswd, resolveUser } from './passwd.js';
import { createNamespaces, pidnsPath, prepareSandboxFiles, releaseNamespaces, sandboxFilePaths, sandboxPaths, writeHostsFile } from './sandbox-setup.js';
import { sandboxHostname } from './sandbox-files.js';
import { conmonAlive, processAlive, procStartTime, type ContainerRecord, type SandboxRecord } from './state-files.js';
import { RecordStore } from './record-store.js';
import { removeEmptyCgroup } from './cgroup-dirs.js';
import { readContainerStats } from './stats.js';
import { attachContainer, execInteractive, execSync, portForward } from './streams.js';

export interface OciRuntimeOptions {
  /** State directory (records, bundles, rootfs mounts), e.g. `<data-dir>/agent/containers`. */
  root: string;
  /** Namespace files, conmon sockets and the OCI runtime's own state, e.g. `/run/capstan`. */
  runDir: string;
  /** The OCI runtime binary; default runc. */
  runtime?: OciRuntimeName;
  images: Pick<ImageService, 'imageStatus'>;
  /** Attaches pod network namespaces (CNI); without it a pod has loopback only. */
  network?: PodNetwork;
  /** The clock of created/started times (default Date.now); exit times come from conmon's exit file. */
  now?: () => number;
}

function newId(): string {
  return randomBytes(32).toString('hex');
}

/** Accepts `runc://<id>`, `crun://<id>` or a bare id. */
export function bareId(id: string): string {
  const i = id.indexOf('://');
  return i >= 0 ? id.slice(i + 3) : id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for every step, then throws the first failure: cleanup after it never races a step still running. */
async function allSettledOrThrow(steps: Promise<unknown>[]): Promise<void> {
  for (const r of await Promise.allSettled(steps)) if (r.status === 'rejected') throw r.reason;
}

export class OciRuntime implements ContainerRuntime {
  private readonly root: string;
  private readonly runDir: string;
  private readonly runtimeName: OciRuntimeName;
  private readonly images: Pick<ImageService, 'imageStatus'>;
  private readonly network?: PodNetwork;
  private readonly now: () => number;
  private cli?: Promise<OciCli>;
  private runtimeVersion = 'unknown';
  private readonly sandboxRecords: RecordStore<SandboxRecord>;
  private readonly containerRecords: RecordStore<ContainerRecord>;

  constructor(opts: OciRuntimeOptions) {
    // conmon's attach socket is <runDir>/sockets/<64-hex id>/attach; a Unix socket path has 107 bytes.
    if (path.resolve(opts.runDir, 'sockets').length + 72 > 107) throw new Error(`runDir ${opts.runDir} is too long for attach socket paths (at most 27 bytes)`);
    this.root = opts.root;
    this.runDir = opts.runDir;
    this.runtimeName = opts.runtime ?? 'runc';
    this.images = opts.images;
    this.network = opts.network;
    this.now = opts.now ?? Date.now;
    this.sandboxRecords = new RecordStore(path.join(this.root, 'sandboxes'), 'sandbox.json');
    this.containerRecords = new RecordStore(path.join(this.root, 'containers'), 'container.json');
  }

  /** Resolves the binary and directories once; `version()` is exact after this. */
  async init(): Promise<void> {
    const cli = await this.oci();
    this.runtimeVersion = await cli.version().catch(() => 'unknown');
  }

  private oci(): Promise<OciCli> {
    this.cli ??= (async () => {
      await mkdir(path.join(this.root, 'sandboxes'), { recursive: true });
      await mkdir(path.join(this.root, 'containers'), { recursive: true });
      await mkdir(path.join(this.root, 'exits'), { recursive: true });
      await mkdir(path.join(this.runDir, 'sockets'), { recursive: true });
      return OciCli.open(this.runtimeName, this.runDir);
    })();
    return this.cli;
  }

  version(): RuntimeVersion {
    if (this.runtimeVersion === 'unknown') {
      const out = spawnSync(this.runtimeName, ['--version'], { encoding: 'utf8' }).stdout ?? '';
      this.runtimeVersion = /version\s+(\S+)/.exec(out)?.[1] ?? 'unknown';
    }
    return { runtimeName: this.runtimeName, runtimeVersion: this.runtimeVersion };
  }

  // ---- sandboxes ----

  private async sandbox(id: string): Promise<SandboxRecord | undefined> {
    return this.sandboxRecords.get(bareId(id));
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    await this.oci();
    const id = newId();
    const p = sandboxPaths(this.root, this.runDir, id);
    const rec: SandboxRecord = {
      id, config: structuredClone(config), state: 'ready', createdAt: this.now(), ips: [],
      hostname: sandboxHostname(config.name, config.hostname),
    };
    // Persisted first, so a crash half-way leaves a record killAll and stop/remove can clean up.
    await this.sandboxRecords.put({ ...rec, state: 'notready' });
    try {
      await createNamespaces(rec, p, { loopbackUp: !this.network });
      const attach = rec.netnsPath !== undefined && this.network !== undefined;
      // Recorded before the ADD starts, so a crash during it still leads to a DEL.
      if (attach) rec.networkAttached = true;
      await this.sandboxRecords.put({ ...rec, state: 'notready' });
      // The pod network and the files that do not need its addresses, side by side; both settle
      // before a failure is handled, so the teardown never races a running ADD.
      await allSettledOrThrow([
        attach ? this.network!.setUp({
          sandboxId: id, name: config.name, namespace: config.namespace, uid: config.uid, netnsPath: rec.netnsPath!,
          portMappings: config.portMappings,
        }).then(({ ips }) => { rec.ips = ips; }) : Promise.resolve(),
        prepareSandboxFiles(rec, p),
      ]);
      await writeHostsFile(rec, p);
      await this.sandboxRecords.put(rec);
      return id;
    } catch (e) {
      await this.tearDownSandbox(rec).catch(() => {});
      await rm(p.dir, { recursive: true, force: true });
      this.sandboxRecords.forget(id);
      throw e;
    }
  }

  private async tearDownSandbox(rec: SandboxRecord): Promise<void> {
    const p = sandboxPaths(this.root, this.runDir, rec.id);
    if (rec.networkAttached && rec.netnsPath && this.network) {
      await this.network.tearDown({
        sandboxId: rec.id, name: rec.config.name, namespace: rec.config.namespace, uid: rec.config.uid,
        netnsPath: rec.netnsPath, portMappings: rec.config.portMappings,
      });
      rec.networkAttached = false;
    }
    await releaseNamespaces(rec, p);
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const rec = await this.sandbox(sandboxId);
    if (!rec) return;
    for (const c of await this.records(rec.id)) await this.stopContainer(c.id, 0);
    const wasAttached = rec.networkAttached;
    await this.tearDownSandbox(rec);
    if (rec.state !== 'notready' || wasAttached) await this.sandboxRecords.put({ ...rec, state: 'notready' });
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const rec = await this.sandbox(sandboxId);
    if (!rec) return;
    await this.stopPodSandbox(rec.id);
    for (const c of await this.records(rec.id)) await this.removeContainer(c.id);
    await rm(sandboxPaths(this.root, this.runDir, rec.id).dir, { recursive: true, force: true });
    this.sandboxRecords.forget(rec.id);
    // runc removed the containers' cgroups; the pod-level parent it made on the way is ours to remove.
    if (rec.config.cgroupParent) await removeEmptyCgroup(rec.config.cgroupParent);
  }

  private sandboxStatus(rec: SandboxRecord): PodSandboxStatus {
    // A ready sandbox whose namespace file is gone (the run directory is a tmpfs: the host rebooted) is not ready.
    const state = rec.state === 'ready' && rec.netnsPath && !existsSync(rec.netnsPath) ? 'notready' : rec.state;
    return {
      id: rec.id, config: rec.config, state, createdAt: rec.createdAt,
      ...(rec.ips[0] ? { ip: rec.ips[0] } : {}), ...(rec.netnsPath ? { netnsPath: rec.netnsPath } : {}),
    };
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined> {
    const rec = await this.sandbox(sandboxId);
    return rec && this.sandboxStatus(rec);
  }

  async listPodSandbox(filter: { podUid?: string } = {}): Promise<PodSandboxStatus[]> {
    const { podUid } = filter;
    const recs = await this.sandboxRecords.list(podUid === undefined ? undefined : (rec) => sandboxOfPod(rec.config, podUid));
    const out = recs.map((rec) => this.sandboxStatus(rec));
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  // ---- containers ----

  private async record(id: string): Promise<ContainerRecord | undefined> {
    return this.containerRecords.get(bareId(id));
  }

  private async records(sandboxId?: string): Promise<ContainerRecord[]> {
    const out = await this.containerRecords.list(sandboxId ? (rec) => rec.sandboxId === sandboxId : undefined);
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  private async readImageFile(image: ImageInfo, file: string): Promise<string> {
    for (const dir of [...image.layerDirs].reverse()) {
      try {
        return await readFile(path.join(dir, file), 'utf8');
      } catch {
        // a lower layer may have it
      }
    }
    return '';
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const cli = await this.oci();
    const sb = await this.sandbox(sandboxId);
    if (!sb || this.sandboxStatus(sb).state !== 'ready') throw new Error(`sandbox ${sandboxId} is not ready`);
    const image = await this.images.imageStatus(config.imageRef ?? config.image);
    if (!image) throw new Error(`image ${config.imageRef ?? config.image} is not present`);
    const id = newId();
    const p = containerPaths(this.root, id);
    const sc = config.securityContext ?? {};
    const [passwd, group] = await Promise.all([this.readImageFile(image, 'etc/passwd'), this.readImageFile(image, 'etc/group')]);
    const user = resolveUser({
      runAsUser: sc.runAsUser, runAsGroup: sc.runAsGroup, runAsUsername: sc.runAsUsername, imageUser: image.user,
      supplementalGroups: sc.supplementalGroups, passwd: parsePasswd(passwd), groups: parseGroup(group),
    });
    const sp = sandboxPaths(this.root, this.runDir, sb.id);
    const logPath = sb.config.logDirectory && config.logPath
      ? path.join(sb.config.logDirectory, config.logPath)
      : path.join(p.dir, 'console.log');
    const rec: ContainerRecord = {
      id, sandboxId: sb.id, runtime: cli.name, config: structuredClone(config), imageRef: image.id,
      stopSignal: image.stopSignal, createdAt: this.now(), logPath,
      cgroupsPath: containerCgroupsPath(sb.config.cgroupParent, id),
    };
    await Promise.all([p.rootfs, p.upper, p.work, p.persist, path.dirname(logPath)].map((d) => mkdir(d, { recursive: true })));
    await this.containerRecords.put(rec);
    try {
      const spec = buildOciSpec({
        containerId: id, config, image, user, rootfsPath: p.rootfs,
        hostDevices: sc.privileged ? await hostDevices() : undefined,
        availableCapabilities: await ownCapabilities(),
        sandbox: {
          netnsPath: sb.netnsPath, ipcnsPath: sb.ipcnsPath, utsnsPath: sb.utsnsPath, pidnsPath: pidnsPath(sb),
          hostPid: sb.hostPid, ...sandboxFilePaths(sp), shmPath: sb.shmPath, cgroupParent: sb.config.cgroupParent,
          sysctls: sb.config.sysctls,
        },
      });
      await writeFile(path.join(p.dir, 'config.json'), JSON.stringify(spec));
      const { pid } = await launchConmon({
        id, name: config.name, runtimeBinary: cli.binary, runtimeStateRoot: cli.stateRoot, tty: config.tty,
        stdin: config.stdin, stdinOnce: config.stdinOnce,
        rootfsOverlay: { options: overlayOptions(image.layerDirs, p.upper, p.work), target: p.rootfs },
        files: {
          bundle: p.dir, persistDir: p.persist, exitDir: path.join(this.root, 'exits'),
          socketDir: path.join(this.runDir, 'sockets'), conmonPidFile: path.join(p.dir, 'conmon.pid'),
          pidFile: path.join(p.dir, 'pid'), logPath,
        },
      });
      rec.pid = pid;
      rec.pidStartTime = await procStartTime(pid);
      rec.conmonPid = Number((await readFile(path.join(p.dir, 'conmon.pid'), 'utf8').catch(() => '0')).trim()) || undefined;
      await this.containerRecords.put(rec);
      return `${cli.name}://${id}`;
    } catch (e) {
      await this.destroyContainer(rec, p).catch(() => {});
      throw e;
    }
  }

  async startContainer(containerId: string): Promise<void> {
    const rec = await this.record(containerId);
    if (!rec) throw new Error(`container ${containerId} not found`);
    const cli = await this.oci();
    // Taken before the start: a short-lived process may exit (and conmon stamp its exit) before `start` returns.
    const startedAt = this.now();
    await cli.start(rec.id);
    rec.startedAt = startedAt;
    await this.containerRecords.put(rec);
  }

  /**
   * Fills the record's finish fields (in memory) from conmon's exit and oom files, which stay until
   * removeContainer. Status reads never write the record, so they cannot race startContainer's write.
   */
  private async observeExit(rec: ContainerRecord): Promise<boolean> {
    if (rec.finishedAt !== undefined) return true;
    const exit = await readExit(containerPaths(this.root, rec.id));
    if (!exit) return false;
    rec.finishedAt = exit.finishedAt;
    rec.exitCode = exit.exitCode;
    rec.reason = terminationReason(exit.exitCode, exit.oomKilled);
    return true;
  }

  private async stateOf(rec: ContainerRecord): Promise<ContainerStatus['state']> {
    if (await this.observeExit(rec)) return 'exited';
    if (!rec.pid) {
      // The kubelet stopped between conmon's start and the record's update: conmon's pid file knows.
      const pid = Number((await readFile(path.join(containerPaths(this.root, rec.id).dir, 'pid'), 'utf8').catch(() => '')).trim());
      if (!pid) return 'unknown';
      rec.pid = pid;
    }
    if (await processAlive(rec.pid, rec.pidStartTime)) return rec.startedAt ? 'running' : 'created';
    // The process is gone; conmon writes the exit file right after it reaps it.
    if (await conmonAlive(rec.conmonPid, rec.id)) return rec.startedAt ? 'running' : 'created';
    if (await this.observeExit(rec)) return 'exited';
    // conmon is gone without an exit file (killed, or the host rebooted): record the loss once.
    const current = (await this.containerRecords.get(rec.id)) ?? rec;
    Object.assign(rec, current, {
      finishedAt: current.finishedAt ?? this.now(), exitCode: current.exitCode ?? 255, reason: current.reason ?? 'Error',
      message: current.message ?? 'the container monitor ended without recording an exit code',
    });
    await this.containerRecords.put(rec);
    return 'exited';
  }

  private async status(rec: ContainerRecord): Promise<ContainerStatus> {
    const state = await this.stateOf(rec);
    const c = rec.config;
    return {
      id: `${rec.runtime}://${rec.id}`, sandboxId: rec.sandboxId, name: c.name, attempt: c.attempt, image: c.image,
      imageRef: rec.imageRef, state, createdAt: rec.createdAt,
      ...(rec.startedAt !== undefined ? { startedAt: rec.startedAt } : {}),
      ...(state === 'exited' ? { finishedAt: rec.finishedAt, exitCode: rec.exitCode, reason: rec.reason } : {}),
      ...(state === 'exited' && rec.message ? { message: rec.message } : {}),
      logPath: rec.logPath,
      ...(state === 'running' || state === 'created' ? { pid: rec.pid } : {}),
      labels: { ...(c.labels ?? {}) }, annotations: { ...(c.annotations ?? {}) },
    };
  }

  async containerStatus(containerId: string): Promise<ContainerStatus | undefined> {
    const rec = await this.record(containerId);
    return rec && this.status(rec);
  }

  async listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const rec of await this.records(filter?.sandboxId)) out.push(await this.status(rec));
    return out;
  }

  /** Waits until conmon recorded the exit, or `deadline` passes. */
  private async waitExit(rec: ContainerRecord, deadline: number, signal?: AbortSignal): Promise<boolean> {
    let delay = 5;
    while (!signal?.aborted) {
      if (await this.observeExit(rec)) return true;
      if (!(await processAlive(rec.pid, rec.pidStartTime)) && !(await conmonAlive(rec.conmonPid, rec.id))) {
        await this.stateOf(rec);
        return true;
      }
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, signal ? 250 : 50);
    }
    return false;
  }

  /** Signals the container's processes: the init process, and with SIGKILL every process in its cgroup. */
  private async signal(rec: ContainerRecord, sig: NodeJS.Signals | number): Promise<void> {
    if (await processAlive(rec.pid, rec.pidStartTime)) {
      try { process.kill(rec.pid!, sig); } catch { /* exited meanwhile */ }
    }
    if (sig === 'SIGKILL' || sig === 9) {
      const procs = await readFile(`/sys/fs/cgroup/pids${rec.cgroupsPath}/cgroup.procs`, 'utf8').catch(() => '');
      for (const pid of procs.split('\n').filter(Boolean)) {
        try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
      }
    }
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const rec = await this.record(containerId);
    if (!rec) return;
    const state = await this.stateOf(rec);
    if (state === 'exited' || state === 'unknown') return;
    if (state === 'running' && timeoutSeconds > 0) {
      await this.signal(rec, parseSignal(rec.stopSignal));
      if (await this.waitExit(rec, Date.now() + timeoutSeconds * 1000)) return;
    }
    await this.signal(rec, 'SIGKILL');
    if (!(await this.waitExit(rec, Date.now() + 10_000))) throw new Error(`container ${rec.id} did not exit after SIGKILL`);
  }

  private async destroyContainer(rec: ContainerRecord, p: ContainerPaths): Promise<void> {
    const cli = await this.oci();
    if (await processAlive(rec.pid, rec.pidStartTime)) await this.signal(rec, 'SIGKILL');
    await cli.delete(rec.id);
    if (await conmonAlive(rec.conmonPid, rec.id)) {
      // conmon ends by itself once the container is gone; give it a moment, then end it.
      for (let i = 0; i < 100 && await conmonAlive(rec.conmonPid, rec.id); i++) await sleep(10);
      if (await conmonAlive(rec.conmonPid, rec.id)) {
        try { process.kill(rec.conmonPid!, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    await unmountAll(p.rootfs);
    await rm(path.join(this.runDir, 'sockets', rec.id), { force: true });
    await rm(path.join(this.root, 'exits', rec.id), { force: true });
    await rm(p.dir, { recursive: true, force: true });
    this.containerRecords.forget(rec.id);
  }

  async removeContainer(containerId: string): Promise<void> {
    const rec = await this.record(containerId);
    if (!rec) return;
    await this.stopContainer(rec.id, 0);
    await this.destroyContainer(rec, containerPaths(this.root, rec.id));
  }

  private async running(containerId: string): Promise<{ rec: ContainerRecord; cli: OciCli }> {
    const rec = await this.record(containerId);
    if (!rec) throw new Error(`container ${containerId} not found`);
    if ((await this.stateOf(rec)) !== 'running') throw new Error(`container ${containerId} is not running`);
    return { rec, cli: await this.oci() };
  }

  async execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult> {
    const { rec, cli } = await this.running(containerId);
    return execSync(cli, rec.id, cmd, timeoutMs);
  }

  async exec(containerId: string, options: ExecOptions): Promise<StreamSession> {
    const { rec, cli } = await this.running(containerId);
    return execInteractive(cli, rec.id, options);
  }

  async attach(containerId: string, options: { stdin?: boolean; tty?: boolean }): Promise<StreamSession> {
    const { rec } = await this.running(containerId);
    const p = containerPaths(this.root, rec.id);
    return attachContainer({
      socketPath: path.join(this.runDir, 'sockets', rec.id, 'attach'), bundle: p.dir,
      stdin: !!options.stdin && !!rec.config.stdin, tty: !!rec.config.tty,
      exited: async (signal) => {
        await this.waitExit(rec, Number.MAX_SAFE_INTEGER, signal);
        return rec.exitCode ?? 0;
      },
    });
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const sb = await this.sandbox(sandboxId);
    if (!sb || sb.state !== 'ready') throw new Error(`sandbox ${sandboxId} is not ready`);
    return portForward(sb.netnsPath, port);
  }

  async containerStats(containerId: string): Promise<ContainerStats | undefined> {
    const rec = await this.record(containerId);
    if (!rec) return undefined;
    const stats = await readContainerStats(rec.cgroupsPath);
    if (!stats) return undefined;
    return { id: `${rec.runtime}://${rec.id}`, timestamp: this.now(), ...stats, writableLayerBytes: await dirBytes(containerPaths(this.root, rec.id).upper) };
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    const { rec } = await this.running(containerId);
    await conmonControl(containerPaths(this.root, rec.id).dir, 'reopen');
  }
}
