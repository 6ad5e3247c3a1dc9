// The in-memory twin of a container runtime (design principle 3): sandboxes and containers are
// records, "running" is a state, time comes from the injected Clock. No processes are started.
// Used by tests and by `capstan sim`'s hollow kubelets.
import { createHash, randomBytes } from 'node:crypto';
import { realClock, type Clock } from '../../client/index.js';
import type { Duplex } from 'node:stream';
import type {
  ContainerConfig, ContainerRuntime, ContainerStats, ContainerStatus, ExecSyncResult, PodSandboxConfig, PodSandboxStatus,
  RuntimeVersion, StreamSession,
} from '../runtime.js';
import { sandboxOfPod } from '../runtime.js';

export const FAKE_RUNTIME_NAME = 'fake';
export const FAKE_RUNTIME_VERSION = '1.0';

export interface FakeRuntimeOptions {
  clock?: Clock;
}

function newId(): string {
  return randomBytes(32).toString('hex');
}

/** A stable fake digest for an image reference, so the same image always has the same imageID. */
export function fakeImageRef(image: string): string {
  return `fake://sha256:${createHash('sha256').update(image).digest('hex')}`;
}

export class FakeRuntime implements ContainerRuntime {
  private readonly clock: Clock;
  private readonly sandboxes = new Map<string, PodSandboxStatus>();
  private readonly containers = new Map<string, ContainerStatus>();
  private readonly configs = new Map<string, ContainerConfig>();
  /** Test hook: called after a container starts (e.g. to finish it with an exit code at once). */
  onStart?: (containerId: string, config: ContainerConfig) => void;
  /** The last 1000 stopContainer calls on running containers with their timeouts, in order (tests check grace periods). */
  readonly stops: { id: string; name: string; timeoutSeconds: number }[] = [];

  constructor(opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
  }

  version(): RuntimeVersion {
    return { runtimeName: FAKE_RUNTIME_NAME, runtimeVersion: FAKE_RUNTIME_VERSION };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    this.sandboxes.set(id, { id, config: { ...config }, state: 'ready', createdAt: this.clock.now(), ip: config.ip });
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    for (const c of this.containers.values()) if (c.sandboxId === sandboxId) this.exit(c, 137, 'Error');
    sandbox.state = 'notready';
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    if (sandbox.state === 'ready') throw new Error(`sandbox ${sandboxId} is still running; stop it first`);
    for (const [id, c] of this.containers) {
      if (c.sandboxId !== sandboxId) continue;
      this.containers.delete(id);
      this.configs.delete(id);
    }
    this.sandboxes.delete(sandboxId);
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus | undefined> {
    const s = this.sandboxes.get(sandboxId);
    return s && { ...s, config: { ...s.config } };
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox || sandbox.state !== 'ready') throw new Error(`sandbox ${sandboxId} is not ready`);
    const id = `${FAKE_RUNTIME_NAME}://${newId()}`;
    this.containers.set(id, {
      id, sandboxId, name: config.name, attempt: config.attempt ?? 0, image: config.image, imageRef: config.imageRef ?? fakeImageRef(config.image),
      state: 'created', createdAt: this.clock.now(), labels: { ...config.labels }, annotations: { ...config.annotations },
    });
    this.configs.set(id, config);
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (!c) throw new Error(`container ${containerId} not found`);
    if (c.state !== 'created') throw new Error(`container ${containerId} is ${c.state}, not created`);
    c.state = 'running';
    c.startedAt = this.clock.now();
    this.onStart?.(containerId, this.configs.get(containerId)!);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const c = this.containers.get(containerId);
    if (c?.state === 'running' && this.stops.push({ id: containerId, name: c.name, timeoutSeconds }) > 1000) this.stops.shift();
    if (c) this.exit(c, 137, 'Error');
  }

  async containerStatus(containerId: string): Promise<ContainerStatus | undefined> {
    const c = this.containers.get(containerId);
    return c && { ...c, labels: { ...c.labels }, annotations: { ...c.annotations } };
  }

  async listContainers(filter: { sandboxId?: string } = {}): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const c of this.containers.values()) {
      if (!filter.sandboxId || c.sandboxId === filter.sandboxId) out.push({ ...c, labels: { ...c.labels }, annotations: { ...c.annotations } });
    }
    return out;
  }

  async listPodSandbox(filter: { podUid?: string } = {}): Promise<PodSandboxStatus[]> {
    return [...this.sandboxes.values()]
      .filter((s) => filter.podUid === undefined || sandboxOfPod(s.config, filter.podUid))
      .map((s) => ({ ...s, config: { ...s.config } }));
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (c?.state === 'running') throw new Error(`container ${containerId} is running; stop it first`);
    this.containers.delete(containerId);
    this.configs.delete(containerId);
  }

  /** Every command "succeeds" with no output, unless a test set `execHandler`. */
  execHandler?: (containerId: string, cmd: string[]) => ExecSyncResult;

  async execSync(containerId: string, cmd: string[], _timeoutMs: number): Promise<ExecSyncResult> {
    const c = this.containers.get(containerId);
    if (c?.state !== 'running') throw new Error(`container ${containerId} is not running`);
    return this.execHandler?.(containerId, cmd) ?? { exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  }

  async exec(containerId: string): Promise<StreamSession> {
    throw new Error(`the fake runtime runs no processes: cannot exec in ${containerId}`);
  }

  async attach(containerId: string): Promise<StreamSession> {
    throw new Error(`the fake runtime runs no processes: cannot attach to ${containerId}`);
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    throw new Error(`the fake runtime has no network: cannot forward port ${port} of ${sandboxId}`);
  }

  async containerStats(containerId: string): Promise<ContainerStats | undefined> {
    const c = this.containers.get(containerId);
    return c && { id: containerId, timestamp: this.clock.now(), cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0, memoryUsageBytes: 0 };
  }

  async reopenContainerLog(): Promise<void> {}

  /** Test hook: a running container finishes by itself with `exitCode` (0: Completed). */
  finishContainer(containerId: string, exitCode = 0): void {
    const c = this.containers.get(containerId);
    if (c?.state === 'running') this.exit(c, exitCode, exitCode === 0 ? 'Completed' : 'Error');
  }

  /** Sandboxes known (ready or stopped), for tests and accounting. */
  get sandboxCount(): number {
    return this.sandboxes.size;
  }

  private exit(c: ContainerStatus, exitCode: number, reason: string): void {
    if (c.state === 'exited') return;
    if (c.state === 'running') {
      c.exitCode = exitCode;
      c.reason = reason;
    } else {
      c.exitCode = 0;
      c.reason = 'ContainerCannotRun';
    }
    c.state = 'exited';
    c.finishedAt = this.clock.now();
  }
}
