// The OCI runtime binary (runc or crun) as the runtime calls it, with private state under
// `--root`. On hybrid cgroup hosts crun refuses to run while the cgroup2 mount lists controllers
// ("cgroups in hybrid mode not supported"); it then runs through a wrapper that hides
// `/sys/fs/cgroup/unified/cgroup.controllers` behind an empty file in a private mount namespace
// for that one call. conmon is given the wrapper for `create`; the calls that touch no cgroup
// controllers' setup (start, state, delete, exec — seen working here) use the binary directly.
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mustRun, runProgram, type RunResult } from './exec-file.js';

export type OciRuntimeName = 'runc' | 'crun';

const HYBRID_CONTROLLERS = '/sys/fs/cgroup/unified/cgroup.controllers';

async function hybridCgroups(): Promise<boolean> {
  try {
    return (await readFile(HYBRID_CONTROLLERS, 'utf8')).trim() !== '';
  } catch {
    return false;
  }
}

export async function which(name: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin'])) {
    const p = path.join(dir, name);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  throw new Error(`${name} not found on PATH`);
}

export class OciCli {
  private constructor(
    readonly name: OciRuntimeName,
    /** The executable conmon and this class run: the binary itself or the hybrid-cgroups wrapper. */
    readonly binary: string,
    /** The runtime's state directory (`--root`). */
    readonly stateRoot: string,
    /** The binary itself, for the calls that do not set up cgroups (start, state, delete, exec). */
    readonly direct: string = binary,
  ) {}

  /** Resolves the binary and, for crun on a hybrid host, writes its wrapper under `runDir`. */
  static async open(name: OciRuntimeName, runDir: string): Promise<OciCli> {
    const real = await which(name);
    const stateRoot = path.join(runDir, name);
    await mkdir(stateRoot, { recursive: true });
    if (name === 'crun' && await hybridCgroups()) {
      const bin = path.join(runDir, 'bin');
      await mkdir(bin, { recursive: true });
      const empty = path.join(bin, 'empty');
      await writeFile(empty, '');
      const wrapper = path.join(bin, 'crun');
      // Replaced atomically: conmons of running containers may be executing the current one.
      const tmp = `${wrapper}.${process.pid}.tmp`;
      await writeFile(tmp, '#!/bin/sh\n'
        + `exec unshare --mount --propagation private sh -c 'mount --bind "$0" ${HYBRID_CONTROLLERS} && exec ${real} "$@"' ${empty} "$@"\n`);
      await chmod(tmp, 0o755);
      await rename(tmp, wrapper);
      return new OciCli(name, wrapper, stateRoot, real);
    }
    return new OciCli(name, real, stateRoot);
  }

  private args(rest: string[]): string[] {
    return [`--root=${this.stateRoot}`, ...rest];
  }

  run(rest: string[], opts: { input?: Buffer | string; timeoutMs?: number } = {}): Promise<RunResult> {
    return runProgram(this.direct, this.args(rest), opts);
  }

  must(rest: string[]): Promise<Buffer> {
    return mustRun(this.direct, this.args(rest));
  }

  /** The runtime's view of a container, or undefined if it does not know it. */
  async state(id: string): Promise<{ status: string; pid: number } | undefined> {
    const r = await this.run(['state', id]);
    if (r.code !== 0) return undefined;
    const s = JSON.parse(r.stdout.toString());
    return { status: s.status, pid: s.pid };
  }

  async start(id: string): Promise<void> {
    await this.must(['start', id]);
  }

  /** Deletes the runtime's state (and cgroups) of a stopped container; unknown ids succeed. */
  async delete(id: string): Promise<void> {
    const r = await this.run(['delete', '--force', id]);
    if (r.code !== 0 && !/does not exist|not exist|No such file/i.test(r.stderr.toString())) {
      throw new Error(`${this.name} delete ${id}: ${r.stderr.toString().trim()}`);
    }
  }

  async version(): Promise<string> {
    const out = (await this.must(['--version'])).toString();
    return /version\s+(\S+)/.exec(out)?.[1] ?? 'unknown';
  }
}
