// The ports between the kubelet and whatever runs containers, shaped after the CRI (Container
// Runtime Interface): a pod is a sandbox holding containers (RuntimeService), and images are
// pulled and kept by an ImageService. The fake runtime implements them for tests and
// `capstan sim`; the OCI runtime (conmon + runc/crun, `oci/`) and the image store (`images/`)
// implement them for real nodes.
//
// Contracts for every implementation:
// - Calls for one pod are made by one pod worker at a time; different pods run concurrently.
// - `stopPodSandbox`, `removePodSandbox`, `stopContainer` and `removeContainer` are idempotent:
//   unknown or already stopped/removed ids succeed.
// - Ids are opaque strings, unique for the life of the runtime. Container ids are reported as
//   `<runtime>://<id>` (a pod's `status.containerStatuses[].containerID`) and accepted in that
//   form by every method.
// - State survives a restart of the kubelet process: a new runtime object over the same root
//   directory lists the same sandboxes and containers, still running.
// - Times are milliseconds since the epoch.
import type { Duplex, Readable, Writable } from 'node:stream';

/** How a sandbox's namespaces relate to the host's (CRI NamespaceOption). */
export interface NamespaceOptions {
  /** `pod`: a network namespace of the pod's own; `node`: hostNetwork. */
  network?: 'pod' | 'node';
  /** `container`: each container its own (default); `pod`: shareProcessNamespace; `node`: hostPID. */
  pid?: 'container' | 'pod' | 'node';
  /** `pod`: one IPC namespace for the pod's containers (default); `node`: hostIPC. */
  ipc?: 'pod' | 'node';
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort: number;
  hostIP?: string;
}

export interface DNSConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** What the kubelet knows about a pod when it asks for a sandbox (CRI PodSandboxConfig). */
export interface PodSandboxConfig {
  name: string;
  namespace: string;
  uid: string;
  /** Restart count of the sandbox (0 for the first). */
  attempt?: number;
  /** The pod's hostname (pod name, or spec.hostname); the UTS namespace gets it. */
  hostname?: string;
  /** The fake runtime's IP; a real runtime gets it from CNI instead. */
  ip?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Directory of the pod's container logs: `<logs>/pods/<ns>_<name>_<uid>`. */
  logDirectory?: string;
  /** Written as the sandbox's resolv.conf (bind-mounted into every container). */
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  namespaceOptions?: NamespaceOptions;
  /** The pod-level cgroup the containers' cgroups nest in, relative to each hierarchy's root (e.g. `/kubepods/burstable/pod<uid>`). */
  cgroupParent?: string;
  sysctls?: Record<string, string>;
}

/** A bind mount into a container (CRI Mount). */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  /** mountPropagation: None (private, default), HostToContainer (rslave), Bidirectional (rshared). */
  propagation?: 'private' | 'rslave' | 'rshared';
}

/** Linux resources of a container (CRI LinuxContainerResources), already converted from requests/limits. */
export interface LinuxContainerResources {
  /** cpu.shares (v1): 2 … 262144; from the CPU request (milli × 1024 / 1000, at least 2). */
  cpuShares?: number;
  /** CFS period in µs (100000). */
  cpuPeriod?: number;
  /** CFS quota in µs per period; absent or ≤ 0 means unlimited. */
  cpuQuota?: number;
  /** Bytes; absent or 0 means unlimited. */
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
}

export interface LinuxCapabilities {
  /** Names with or without `CAP_`, as in a pod's securityContext. */
  add?: string[];
  drop?: string[];
}

/** Security settings of one container (CRI LinuxContainerSecurityContext). */
export interface LinuxContainerSecurityContext {
  capabilities?: LinuxCapabilities;
  privileged?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  /** A user name from the image's config (`User: "nobody"`), resolved in the image's /etc/passwd. */
  runAsUsername?: string;
  supplementalGroups?: number[];
  readonlyRootfs?: boolean;
  /** allowPrivilegeEscalation=false. */
  noNewPrivs?: boolean;
  namespaceOptions?: NamespaceOptions;
}

/** One container to create in a sandbox (CRI ContainerConfig). */
export interface ContainerConfig {
  name: string;
  /** Restart count of this container in the pod (0 for the first run). */
  attempt?: number;
  image: string;
  /** The resolved image (ImageService.pullImage's result); a real runtime needs it. */
  imageRef?: string;
  /** Replaces the image's Entrypoint. */
  command?: string[];
  /** Replaces the image's Cmd. */
  args?: string[];
  workingDir?: string;
  /** Final values (references and `$(VAR)` already resolved by the kubelet), appended to the image's Env. */
  env?: { name: string; value: string }[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Log file relative to the sandbox's logDirectory: `<container>/<attempt>.log`. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  resources?: LinuxContainerResources;
  securityContext?: LinuxContainerSecurityContext;
}

export type SandboxState = 'ready' | 'notready';
export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface PodSandboxStatus {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAt: number;
  ip?: string;
  /** The network namespace (absent with hostNetwork). */
  netnsPath?: string;
}

export interface ContainerStatus {
  /** `<runtime>://<id>`, as in a pod's `status.containerStatuses[].containerID`. */
  id: string;
  sandboxId: string;
  name: string;
  attempt?: number;
  image: string;
  /** The resolved image, as `status.containerStatuses[].imageID`. */
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** `Completed`, `Error`, `OOMKilled`, `ContainerCannotRun`, as upstream's terminated reasons. */
  reason?: string;
  message?: string;
  /** Absolute path of the container's log file. */
  logPath?: string;
  /** Host PID of the container's init process while it runs. */
  pid?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuntimeVersion {
  /** e.g. `fake`, `runc`. */
  runtimeName: string;
  runtimeVersion: string;
}

/** The outcome of a command run to completion in a container (probes, hooks). */
export interface ExecSyncResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /** The timeout elapsed and the command was killed. */
  timedOut?: boolean;
}

export interface ExecOptions {
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

/** A running interactive exec or attach session; the caller wires its streams to a client. */
export interface StreamSession {
  /** Present when stdin was asked for; ending it closes the process's stdin. */
  stdin?: Writable;
  /** With a TTY, stdout carries the terminal's output and stderr is absent. */
  stdout?: Readable;
  stderr?: Readable;
  /** Changes the terminal size (TTY sessions only). */
  resize(width: number, height: number): void;
  /** Resolves with the command's exit code (exec) or when the attach ends (attach: the container's). */
  exit: Promise<number>;
  /** Ends the session (kills an exec's process; detaches an attach). */
  close(): void;
}

/** Resource usage of one container from its cgroups (CRI ContainerStats). */
export interface ContainerStats {
  id: string;
  timestamp: number;
  /** Cumulative CPU time in nanoseconds. */
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  memoryUsageBytes: number;
  memoryRssBytes?: number;
  /** Writable layer bytes. */
  writableLayerBytes?: number;
}

/** The label naming a sandbox's pod (upstream kuberuntime's), which `listPodSandbox({ podUid })` matches. */
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';

/** Whether sandbox `config` belongs to pod `uid` (its POD_UID_LABEL, else its metadata uid). */
export function sandboxOfPod(config: PodSandboxConfig, uid: string): boolean {
  return (config.labels?.[POD_UID_LABEL] ?? config.uid) === uid;
}

export interface ContainerRuntime {
  /** Name and version; the node reports `<runtimeName>://<runtimeVersion>` as containerRuntimeVersion. */
  version(): RuntimeVersion;
  /** Creates and starts a sandbox (namespaces, network, resolv.conf); returns its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox, then the sandbox (network torn down). */
  stopPodSandbox(sandboxId: string): Promise<void>;
  /** Forgets a stopped sandbox and its containers, removing what they left on disk. */
  removePodSandbox(sandboxId: string): Promise<void>;
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined>;
  /**
   * Sandboxes, optionally of one pod: `podUid` matches the `io.kubernetes.pod.uid` label the
   * kubelet puts on them (POD_UID_LABEL), else the metadata uid.
   */
  listPodSandbox(filter?: { podUid?: string }): Promise<PodSandboxStatus[]>;
  /** Creates (does not start) a container in a ready sandbox; returns its id. */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Stops a container: SIGTERM (or the image's StopSignal), SIGKILL after `timeoutSeconds`. Resolves once it has exited. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  /** Removes an exited container (its rootfs and state; the log file stays until the sandbox goes). */
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus | undefined>;
  /** Containers, optionally of one sandbox. */
  listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]>;
  /** Runs a command in a running container to completion or `timeoutMs`. */
  execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecSyncResult>;
  /** Starts an interactive command in a running container. */
  exec(containerId: string, options: ExecOptions): Promise<StreamSession>;
  /** Attaches to a running container's stdio (its stdin only if the container has `stdin: true`). */
  attach(containerId: string, options: { stdin?: boolean; tty?: boolean }): Promise<StreamSession>;
  /** A TCP connection to `port` inside the sandbox's network namespace. */
  portForward(sandboxId: string, port: number): Promise<Duplex>;
  containerStats(containerId: string): Promise<ContainerStats | undefined>;
  /** Reopens the container's log file after the kubelet rotated it (renamed the current file). */
  reopenContainerLog(containerId: string): Promise<void>;
}

/** A pull failed; `reason` maps to the kubelet's ErrImagePull message. */
export class ImagePullError extends Error {
  constructor(
    message: string,
    /** `NotFound` (no such repository or tag), `Unauthorized`, `Unreachable`, `Invalid` (bad reference or content), `Unsupported` (no platform match, media type). */
    readonly reason: 'NotFound' | 'Unauthorized' | 'Unreachable' | 'Invalid' | 'Unsupported',
  ) {
    super(message);
    this.name = 'ImagePullError';
  }
}

/** Registry credentials for one pull (from an imagePullSecret's `.dockerconfigjson`, CRI AuthConfig). */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 `user:password`, as in a dockerconfigjson `auth`. */
  auth?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface ImageInfo {
  /** The image id: the config's digest, `sha256:…`. */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Bytes: compressed layers as pulled (what `kubectl get node -o yaml` images list). */
  size: number;
  /** The config's User, if any. */
  user?: string;
  /** The rest of the image config containers need. */
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  stopSignal?: string;
  /** Unpacked layer directories, lowest first (overlayfs lowerdirs are these reversed). */
  layerDirs: string[];
}

export interface ImageService {
  /** Pulls (or finds present) the image; resolves with its id. Throws ImagePullError. */
  pullImage(image: string, auth?: AuthConfig[]): Promise<string>;
  /** The image a reference names locally (tag, `name@digest`, or id), if present. */
  imageStatus(image: string): Promise<ImageInfo | undefined>;
  listImages(): Promise<ImageInfo[]>;
  /** Idempotent. */
  removeImage(image: string): Promise<void>;
  /** Bytes used by images and the filesystem holding them. */
  imageFsInfo(): Promise<{ usedBytes: number; capacityBytes: number; availableBytes: number }>;
}

/**
 * The pod network as the runtime sees it (the CNI side of CRI's RunPodSandbox): the runtime makes
 * the sandbox's network namespace, then asks the network to attach it. Implemented by the CNI
 * network in `network/` (structurally: that component cannot import this one) and wired by the CLI.
 */
export interface PodNetworkRequest {
  /** The sandbox id: CNI_CONTAINERID, and the key of the stored ADD result. */
  sandboxId: string;
  name: string;
  namespace: string;
  uid: string;
  /** Path of the network namespace (a bind mount, e.g. `/run/capstan/netns/<id>`). */
  netnsPath: string;
  portMappings?: PortMapping[];
}

export interface PodNetwork {
  /** Attaches the namespace (CNI ADD of every plugin of the list); resolves with the pod's IPs, IPv4 first. */
  setUp(request: PodNetworkRequest): Promise<{ ips: string[] }>;
  /** Detaches it (CNI DEL with the stored result). Idempotent: an unknown sandbox or a gone namespace succeeds. */
  tearDown(request: PodNetworkRequest): Promise<void>;
}
