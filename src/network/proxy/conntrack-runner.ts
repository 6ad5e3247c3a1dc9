// Running the stale-conntrack deletions (conntrack.ts) with the `conntrack` CLI, inside the
// proxy's network namespace when it has one (`ip netns exec <netns> conntrack -D …`).
//
// Contract (the proxier calls `afterSync` after every backend sync that succeeded, never
// concurrently with itself):
// - It never throws: a failed deletion is logged and the sync still counts as done (upstream logs
//   and goes on too). `conntrack -D` exits 1 when nothing matched; that is not an error.
// - A missing `conntrack` binary is logged once and every later call is skipped.
// - The first call only records the state: the proxy has no previous state to diff against, and
//   deleting every flow of every UDP Service on a proxy restart would break the ones that work.
// - Deletions run at most `concurrency` (default 4) at a time.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { conntrackDeleteArgs, staleConntrackDeletions, type ConntrackDeletion } from './conntrack.js';
import type { ServicePortInfo } from './model.js';

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface ExecResult { code: number; stdout: string; stderr: string; missing?: boolean }
export type ConntrackExec = (file: string, argv: string[]) => Promise<ExecResult>;

export interface ConntrackCleanerOptions {
  /** Run conntrack inside this network namespace. */
  netns?: string;
  log(msg: string): void;
  /** Deletions in flight at once (default 4). */
  concurrency?: number;
  /** The conntrack binary (default `conntrack`, searched on PATH plus the system dirs). */
  conntrackPath?: string;
  /** Runs a command (tests); default execFile with a 10 s timeout. */
  exec?: ConntrackExec;
}

export interface ConntrackCleanupResult {
  /** Filters run. */
  deletions: number;
  /** Flows conntrack reported deleted. */
  flowsDeleted: number;
  failures: number;
}

function environment(): NodeJS.ProcessEnv {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const missing = SYSTEM_PATH.filter((d) => !dirs.includes(d));
  return missing.length ? { ...process.env, PATH: [...dirs, ...missing].join(path.delimiter) } : process.env;
}

const defaultExec: ConntrackExec = (file, argv) => new Promise((resolve) => {
  execFile(file, argv, { env: environment(), timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
    const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
    if (e && e.code === 'ENOENT') return resolve({ code: -1, stdout: '', stderr: e.message, missing: true });
    resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) || (e?.message ?? '') });
  });
});

/** "N flow entries have been deleted." → N (0 when absent). */
export function parseDeletedCount(stderr: string): number {
  const m = /(\d+) flow entries have been deleted/.exec(stderr);
  return m ? Number(m[1]) : 0;
}

export class ConntrackCleaner {
  private previous: ReadonlyMap<string, ServicePortInfo> | undefined;
  private available: boolean | undefined;
  private readonly exec: ConntrackExec;
  private readonly binary: string;

  constructor(private readonly opts: ConntrackCleanerOptions) {
    this.exec = opts.exec ?? defaultExec;
    this.binary = opts.conntrackPath ?? 'conntrack';
  }

  /** Deletes the flows the change from the previous call's ports to `ports` left stale. */
  async afterSync(ports: ReadonlyMap<string, ServicePortInfo>, changed: ReadonlySet<string> | 'all'): Promise<ConntrackCleanupResult> {
    const result: ConntrackCleanupResult = { deletions: 0, flowsDeleted: 0, failures: 0 };
    const before = this.previous;
    this.previous = ports;
    if (!before || this.available === false) return result;
    let todo: ConntrackDeletion[];
    try {
      todo = staleConntrackDeletions(before, ports, changed);
    } catch (e) {
      this.opts.log(`conntrack: planning the cleanup failed: ${(e as Error).message}`);
      return result;
    }
    if (todo.length === 0 || !(await this.isAvailable())) return result;
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const d = todo[next++]!;
        const outcome = await this.runDeletion(d);
        result.deletions++;
        if (outcome < 0) result.failures++;
        else result.flowsDeleted += outcome;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 4, todo.length) }, worker));
    if (result.flowsDeleted > 0 || result.failures > 0) {
      this.opts.log(`conntrack: deleted ${result.flowsDeleted} stale flows (${result.deletions} filters${result.failures ? `, ${result.failures} failed` : ''})`);
    }
    return result;
  }

  private command(args: string[]): [string, string[]] {
    return this.opts.netns ? ['ip', ['netns', 'exec', this.opts.netns, this.binary, ...args]] : [this.binary, args];
  }

  /** Checks once that the binary runs (outside the netns: the binary is the host's either way). */
  private async isAvailable(): Promise<boolean> {
    if (this.available !== undefined) return this.available;
    const r = await this.exec(this.binary, ['--version']);
    this.available = !r.missing && r.code === 0;
    if (!this.available) this.opts.log(`conntrack: "${this.binary}" not usable (${r.stderr.trim() || `exit ${r.code}`}); stale UDP flows will not be cleared (install the conntrack package)`);
    return this.available;
  }

  /** Flows deleted, or -1 on failure (logged). */
  private async runDeletion(d: ConntrackDeletion): Promise<number> {
    const [file, argv] = this.command(conntrackDeleteArgs(d));
    const r = await this.exec(file, argv);
    if (r.code === 0) return parseDeletedCount(r.stderr);
    if (r.code === 1 && /0 flow entries have been deleted/.test(r.stderr)) return 0;
    this.opts.log(`conntrack: ${[file, ...argv].join(' ')} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`);
    return -1;
  }
}
