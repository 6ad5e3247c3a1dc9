// The OCI runtime spec (config.json) of one container: a pure function of the container's config,
// its image and its sandbox, shaped after containerd's CRI plugin (pkg/cri/server
// container_create_linux.go) and Kubernetes' rules for command/args and env. The runtime writes
// the result into the container's bundle before conmon runs `runc create`.
import type { ContainerConfig, ImageInfo } from '../runtime.js';
import { containerCapabilities } from './capabilities.js';
import type { ResolvedUser } from './passwd.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** containerd's masked paths (pkg/oci defaultUnixMaskedPaths). */
export const MASKED_PATHS: readonly string[] = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
/** containerd's read-only paths. */
export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** What a container takes from its sandbox: namespaces to join and the pod-shared files. */
export interface SandboxSpecInput {
  /** Network namespace to join; absent with hostNetwork. */
  netnsPath?: string;
  /** IPC namespace to join; absent with hostIPC. */
  ipcnsPath?: string;
  /** UTS namespace to join; absent with hostNetwork (the node's hostname). */
  utsnsPath?: string;
  /** PID namespace to join (shareProcessNamespace); absent: a new one unless hostPID. */
  pidnsPath?: string;
  hostPid?: boolean;
  /** Host files bind-mounted at /etc/resolv.conf, /etc/hosts, /etc/hostname, and the pod's /dev/shm. */
  resolvConfPath: string;
  hostsPath: string;
  hostnamePath: string;
  shmPath?: string;
  cgroupParent?: string;
  sysctls?: Record<string, string>;
}

/** A device node of the host, given to privileged containers. */
export interface HostDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

export interface SpecInput {
  containerId: string;
  config: ContainerConfig;
  image: ImageInfo;
  sandbox: SandboxSpecInput;
  user: ResolvedUser;
  /** Absolute path of the mounted rootfs. */
  rootfsPath: string;
  /** Host devices (privileged containers only). */
  hostDevices?: HostDevice[];
  /** The runtime's own capabilities: what privileged and `add: [ALL]` grant (default: every capability). */
  availableCapabilities?: readonly string[];
}

/**
 * The process's argv, as the kubelet/containerd combine them: `command` replaces the image's
 * Entrypoint and then drops the image's Cmd; `args` replaces Cmd.
 */
export function processArgs(command: string[] | undefined, args: string[] | undefined, entrypoint: string[] | undefined, cmd: string[] | undefined): string[] {
  const cmdPart = command && command.length > 0 ? command : (entrypoint ?? []);
  const argsPart = args && args.length > 0 ? args : (command && command.length > 0 ? [] : (cmd ?? []));
  return [...cmdPart, ...argsPart];
}

/** Image env, then the container's env (later names override earlier ones in place); PATH defaults. */
export function processEnv(imageEnv: string[] | undefined, configEnv: { name: string; value: string }[] | undefined): string[] {
  const order: string[] = [];
  const values = new Map<string, string>();
  const set = (k: string, v: string) => { if (!values.has(k)) order.push(k); values.set(k, v); };
  for (const e of imageEnv ?? []) {
    const i = e.indexOf('=');
    if (i > 0) set(e.slice(0, i), e.slice(i + 1));
  }
  if (!values.has('PATH')) set('PATH', DEFAULT_PATH);
  for (const e of configEnv ?? []) set(e.name, e.value);
  return order.map((k) => `${k}=${values.get(k)}`);
}

const PROPAGATION: Record<string, string> = { private: 'rprivate', rslave: 'rslave', rshared: 'rshared' };

/** The spec's mounts: the standard kernel filesystems, the sandbox's files, then the container's binds. */
function specMounts(input: SpecInput): any[] {
  const { sandbox, config } = input;
  const privileged = !!config.securityContext?.privileged;
  const mounts: any[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', privileged ? 'rw' : 'ro'] },
  ];
  if (sandbox.shmPath) mounts.push({ destination: '/dev/shm', type: 'bind', source: sandbox.shmPath, options: ['rbind', 'rprivate', 'rw'] });
  else mounts.push({ destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] });
  const userDests = new Set((config.mounts ?? []).map((m) => m.containerPath));
  const rootRo = !!config.securityContext?.readonlyRootfs;
  for (const [dest, src] of [['/etc/hosts', sandbox.hostsPath], ['/etc/resolv.conf', sandbox.resolvConfPath], ['/etc/hostname', sandbox.hostnamePath]] as const) {
    if (userDests.has(dest)) continue;
    mounts.push({ destination: dest, type: 'bind', source: src, options: ['rbind', 'rprivate', rootRo ? 'ro' : 'rw'] });
  }
  for (const m of config.mounts ?? []) {
    mounts.push({
      destination: m.containerPath, type: 'bind', source: m.hostPath,
      options: ['rbind', PROPAGATION[m.propagation ?? 'private'] ?? 'rprivate', m.readonly ? 'ro' : 'rw'],
    });
  }
  return mounts;
}

/** The cgroup of a container: `<parent>/<id>` in every v1 hierarchy (cgroupfs driver). */
export function containerCgroupsPath(cgroupParent: string | undefined, containerId: string): string {
  const parent = (cgroupParent ?? '/capstan').replace(/\/+$/, '');
  return `${parent.startsWith('/') ? '' : '/'}${parent}/${containerId}`;
}

/** The OCI config.json for `runc create`. */
export function buildOciSpec(input: SpecInput): any {
  const { config, image, sandbox, user } = input;
  const sc = config.securityContext ?? {};
  const privileged = !!sc.privileged;
  const caps = containerCapabilities({ add: sc.capabilities?.add, drop: sc.capabilities?.drop, privileged, all: input.availableCapabilities });
  const res = config.resources ?? {};
  const namespaces: any[] = [{ type: 'mount' }];
  if (sandbox.netnsPath) namespaces.push({ type: 'network', path: sandbox.netnsPath });
  if (sandbox.ipcnsPath) namespaces.push({ type: 'ipc', path: sandbox.ipcnsPath });
  if (sandbox.utsnsPath) namespaces.push({ type: 'uts', path: sandbox.utsnsPath });
  if (sandbox.pidnsPath) namespaces.push({ type: 'pid', path: sandbox.pidnsPath });
  else if (!sandbox.hostPid) namespaces.push({ type: 'pid' });
  const resources: any = { devices: privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }] };
  const cpu: any = {};
  if (res.cpuShares) cpu.shares = res.cpuShares;
  if (res.cpuQuota && res.cpuQuota > 0) cpu.quota = res.cpuQuota;
  if (res.cpuPeriod) cpu.period = res.cpuPeriod;
  if (Object.keys(cpu).length) resources.cpu = cpu;
  if (res.memoryLimitInBytes && res.memoryLimitInBytes > 0) resources.memory = { limit: res.memoryLimitInBytes };
  const process: any = {
    terminal: !!config.tty,
    user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length ? { additionalGids: user.additionalGids } : {}) },
    args: processArgs(config.command, config.args, image.entrypoint, image.cmd),
    env: processEnv(image.env, config.env),
    cwd: config.workingDir || image.workingDir || '/',
    capabilities: { bounding: caps, effective: caps, permitted: caps },
    noNewPrivileges: !!sc.noNewPrivs && !privileged,
  };
  if (res.oomScoreAdj !== undefined) process.oomScoreAdj = res.oomScoreAdj;
  // No rlimits: the container inherits the runtime's, as containerd 2 and CRI-O (no default_ulimits) do.
  if (process.args.length === 0) throw new Error('no command specified');
  const linux: any = {
    namespaces,
    resources,
    cgroupsPath: containerCgroupsPath(sandbox.cgroupParent, input.containerId),
  };
  if (sandbox.sysctls && Object.keys(sandbox.sysctls).length) linux.sysctl = { ...sandbox.sysctls };
  if (privileged) {
    linux.devices = (input.hostDevices ?? []).map((d) => ({ ...d }));
  } else {
    linux.maskedPaths = [...MASKED_PATHS];
    linux.readonlyPaths = [...READONLY_PATHS];
  }
  return {
    ociVersion: '1.0.2-dev',
    process,
    root: { path: input.rootfsPath, readonly: !!sc.readonlyRootfs },
    mounts: specMounts(input),
    annotations: { ...(config.annotations ?? {}) },
    linux,
  };
}
