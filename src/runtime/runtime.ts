// The port between the kubelet and whatever runs containers, shaped after the CRI (Container
// Runtime Interface): a pod is a sandbox holding containers. The fake runtime implements it for
// tests and `capstan sim`; the OCI runtime (runc/crun) implements the same interface.
//
// Contracts for every implementation:
// - Calls for one pod are made by one pod worker at a time; different pods run concurrently.
// - `stopPodSandbox` and `removePodSandbox` are idempotent: unknown or already stopped ids succeed.
// - Ids are opaque strings, unique for the life of the runtime.

/** What the kubelet knows about a pod when it asks for a sandbox (CRI PodSandboxConfig). */
export interface PodSandboxConfig {
  name: string;
  namespace: string;
  uid: string;
  /** The IP the kubelet assigned (a real runtime gets it from CNI instead). */
  ip?: string;
  labels?: Record<string, string>;
}

/** One container to create in a sandbox (CRI ContainerConfig). */
export interface ContainerConfig {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
}

export type SandboxState = 'ready' | 'notready';
export type ContainerState = 'created' | 'running' | 'exited';

export interface PodSandboxStatus {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  /** Milliseconds since the epoch. */
  createdAt: number;
  ip?: string;
}

export interface ContainerStatus {
  /** `<runtime>://<id>`, as in a pod's `status.containerStatuses[].containerID`. */
  id: string;
  sandboxId: string;
  name: string;
  image: string;
  /** The resolved image, as `status.containerStatuses[].imageID`. */
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
}

export interface RuntimeVersion {
  /** e.g. `fake`, `runc`. */
  runtimeName: string;
  runtimeVersion: string;
}

export interface ContainerRuntime {
  /** Name and version; the node reports `<runtimeName>://<runtimeVersion>` as containerRuntimeVersion. */
  version(): RuntimeVersion;
  /** Creates and starts a sandbox; returns its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox, then the sandbox. */
  stopPodSandbox(sandboxId: string): Promise<void>;
  /** Forgets a stopped sandbox and its containers. */
  removePodSandbox(sandboxId: string): Promise<void>;
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined>;
  /** Creates (does not start) a container in a ready sandbox; returns its id. */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Stops a container, waiting at most `timeoutSeconds` before killing it. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus | undefined>;
  /** Containers, optionally of one sandbox. */
  listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]>;
}
