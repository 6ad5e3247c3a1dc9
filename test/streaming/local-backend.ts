// A streaming backend for tests without containers: a "container" is a long-running local
// process whose output is written as a CRI log file; exec spawns local processes (under a
// pseudo-terminal for TTY sessions, through a small python pty helper that also resizes);
// attach joins the container process's stdio; port-forward connects to local TCP ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PassThrough, type Duplex, type Writable } from 'node:stream';
import { formatCriLine } from '../../src/kubelet/index.js';
import { PTY_HELPER } from './pty-helper.js';
import type { ContainerRef, PodRef, StreamingBackend } from '../../src/kubelet/index.js';
import type { ContainerStatus, ExecOptions, StreamSession } from '../../src/runtime/index.js';


export interface LocalContainer {
  name: string;
  id: string;
  logPath: string;
  previousLogPath?: string;
  process?: ChildProcess;
  /** Attach sessions currently joined. */
  attached: Set<PassThrough>;
}

export interface LocalPod {
  ref: PodRef;
  object: unknown;
  containers: Map<string, LocalContainer>;
}

function session(child: ChildProcess, resize: (w: number, h: number) => void): StreamSession {
  return {
    stdin: child.stdin ?? undefined,
    stdout: child.stdout ?? undefined,
    stderr: child.stderr ?? undefined,
    resize,
    exit: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1)));
    }),
    close: () => { if (child.exitCode === null) child.kill('SIGKILL'); },
  };
}

export class LocalBackend implements StreamingBackend {
  readonly pods = new Map<string, LocalPod>();
  /** Container port → local port for port-forward. */
  readonly ports = new Map<number, number>();
  private readonly children = new Set<ChildProcess>();

  constructor(readonly logsRoot: string, readonly workDir: string) {}

  addPod(namespace: string, name: string, uid: string, object: unknown): LocalPod {
    const pod: LocalPod = { ref: { namespace, name, uid, sandboxId: `sandbox-${uid}` }, object, containers: new Map() };
    this.pods.set(`${namespace}/${name}`, pod);
    return pod;
  }

  /** Starts a container process whose stdout/stderr become CRI log lines (and reach attach sessions). */
  startContainer(pod: LocalPod, name: string, command: string[], restartCount = 0): LocalContainer {
    const dir = join(this.logsRoot, 'pods', `${pod.ref.namespace}_${pod.ref.name}_${pod.ref.uid}`, name);
    mkdirSync(dir, { recursive: true });
    const logPath = join(dir, `${restartCount}.log`);
    writeFileSync(logPath, '');
    const c: LocalContainer = {
      name, id: `local://${pod.ref.uid}-${name}-${restartCount}`, logPath,
      previousLogPath: restartCount > 0 ? join(dir, `${restartCount - 1}.log`) : undefined, attached: new Set(),
    };
    const child = spawn(command[0]!, command.slice(1), { cwd: this.workDir, stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    c.process = child;
    const sink = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      for (const line of chunk.toString().split(/(?<=\n)/)) {
        if (!line) continue;
        const full = line.endsWith('\n');
        appendFileSync(logPath, formatCriLine(new Date(), stream, full ? line.slice(0, -1) : line, !full));
      }
      for (const a of c.attached) a.write(chunk);
    };
    child.stdout!.on('data', sink('stdout'));
    child.stderr!.on('data', sink('stderr'));
    child.on('exit', () => { for (const a of c.attached) a.end(); });
    pod.containers.set(name, c);
    return c;
  }

  async listPods(): Promise<unknown[]> {
    return [...this.pods.values()].map((p) => p.object);
  }

  async getPod(namespace: string, name: string): Promise<PodRef | undefined> {
    return this.pods.get(`${namespace}/${name}`)?.ref;
  }

  async getContainer(namespace: string, pod: string, container: string): Promise<ContainerRef | undefined> {
    const c = this.pods.get(`${namespace}/${pod}`)?.containers.get(container);
    return c && { containerId: c.id, logPath: c.logPath, previousLogPath: c.previousLogPath };
  }

  private find(id: string): LocalContainer | undefined {
    for (const p of this.pods.values()) for (const c of p.containers.values()) if (c.id === id) return c;
    return undefined;
  }

  readonly runtime: StreamingBackend['runtime'] = {
    containerStatus: async (id: string): Promise<ContainerStatus | undefined> => {
      const c = this.find(id);
      if (!c) return undefined;
      const running = !!c.process && c.process.exitCode === null && c.process.signalCode === null;
      return { id, sandboxId: '', name: c.name, image: 'local', imageRef: 'local', state: running ? 'running' : 'exited', createdAt: 0, logPath: c.logPath };
    },
    exec: async (_id: string, o: ExecOptions): Promise<StreamSession> => {
      if (o.tty) {
        const child = spawn('python3', ['-c', PTY_HELPER, ...o.cmd], { cwd: this.workDir, stdio: ['pipe', 'pipe', 'ignore', 'pipe'] });
        this.children.add(child);
        const control = child.stdio[3] as Writable;
        control.on('error', () => undefined);
        const s = session(child, (w, h) => { if (!control.destroyed) control.write(`${w} ${h}\n`); });
        return { ...s, stderr: undefined };
      }
      const child = spawn(o.cmd[0]!, o.cmd.slice(1), { cwd: this.workDir, stdio: ['pipe', 'pipe', 'pipe'] });
      this.children.add(child);
      return session(child, () => undefined);
    },
    attach: async (id: string, o: { stdin?: boolean; tty?: boolean }): Promise<StreamSession> => {
      const c = this.find(id);
      if (!c?.process) throw new Error(`container ${id} is not running`);
      const out = new PassThrough();
      c.attached.add(out);
      const proc = c.process;
      const stdin = o.stdin ? new PassThrough() : undefined;
      stdin?.on('data', (d: Buffer) => proc.stdin!.write(d));
      let detach!: (code: number) => void;
      const exit = new Promise<number>((r) => { detach = r; });
      proc.once('exit', (code) => detach(code ?? 0));
      return {
        stdin, stdout: out, resize: () => undefined, exit,
        close: () => {
          c.attached.delete(out);
          out.end();
          detach(0);
        },
      };
    },
    portForward: async (_sandbox: string, port: number): Promise<Duplex> => {
      const local = this.ports.get(port);
      if (!local) throw new Error(`nothing listens on port ${port}`);
      const sock = connect(local, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', reject);
      });
      return sock;
    },
  };

  /** Kills every process this backend started. */
  stop(): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

