// Running the stale-conntrack deletions (conntrack.ts) with the `conntrack` CLI, inside the
// proxy's network namespace when it has one (`ip netns exec <netns> conntrack -D …`).
//
// Contract (the proxier calls `afterSync` after every backend sync that succeeded, never
// concurrently with itself):
// - It never throws: a failed deletion is logged and the sync still counts as done (upstream logs
//   and goes on too). `conntrack -D` exits 1 when nothing matched; that is not an error.
// - A missing `conntrack` binary is logged once and every later call is skipped.
// - The first call has no previous state to diff against: it lists the kernel's UDP/SCTP entries
//   instead and deletes those not answered by a serving endpoint (conntrack-flows.ts), streaming
//   the listing line by line. Flows that work survive a proxy restart.
// - Deletions run at most `concurrency` (default 4) at a time.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { conntrackDeleteArgs, familyOf, staleConntrackDeletions, type ConntrackDeletion, type IPFamilyName } from './conntrack.js';
import { parseConntrackLine, staleFlowChecker } from './conntrack-flows.js';
import type { ServicePortInfo } from './model.js';

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface ExecResult { code: number; stdout: string; stderr: string; missing?: boolean }
/** Runs a command; with `onLine`, stdout is handed over line by line instead of collected. */
export type ConntrackExec = (file: string, argv: string[], onLine?: (line: string) => void) => Promise<ExecResult>;

export interface ConntrackCleanerOptions {
  /** Run conntrack inside this network namespace. */
  netns?: string;
  log(msg: string): void;
  /** Deletions in flight at once (default 4). */
  concurrency?: number;
  /** The conntrack binary (default `conntrack`, searched on PATH plus the system dirs). */
  conntrackPath?: string;
  /** Runs a command (tests); default spawn with a 60 s timeout. */
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

const defaultExec: ConntrackExec = (file, argv, onLine) => new Promise((resolve) => {
  const child = spawn(file, argv, { env: environment(), stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  if (onLine) createInterface({ input: child.stdout }).on('line', onLine);
  else child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { if (stderr.length < 8192) stderr += b.toString(); });
  child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: -1, stdout, stderr: e.message, missing: e.code === 'ENOENT' }));
  child.on('close', (code, signal) => resolve({ code: code ?? -1, stdout, stderr: stderr || (signal ? `killed by ${signal}` : '') }));
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
    if (this.available === false) return result;
    let todo: ConntrackDeletion[];
    try {
      todo = before ? staleConntrackDeletions(before, ports, changed) : await this.staleInKernel(ports);
    } catch (e) {
      this.opts.log(`conntrack: planning the cleanup failed: ${(e as Error).message}`);
      return result;
    }
    if (todo.length === 0 || !(await this.isAvailable())) return result;
    await this.runAll(todo, result);
    return result;
  }

  /** Lists the kernel's entries of the protocols and families `ports` use; the ones to delete. */
  private async staleInKernel(ports: ReadonlyMap<string, ServicePortInfo>): Promise<ConntrackDeletion[]> {
    const lists = new Set<string>();
    for (const sp of ports.values()) {
      if (sp.protocol === 'TCP') continue;
      for (const ip of sp.clusterIPs) lists.add(`${familyOf(ip)} ${sp.protocol.toLowerCase()}`);
    }
    if (lists.size === 0 || !(await this.isAvailable())) return [];
    const checker = staleFlowChecker(ports);
    for (const list of lists) {
      const [family, protocol] = list.split(' ') as [IPFamilyName, string];
      const [file, argv] = this.command(['-L', '-f', family, '-p', protocol]);
      const r = await this.exec(file, argv, (line) => { const flow = parseConntrackLine(line); if (flow) checker.check(flow); });
      if (r.code !== 0) this.opts.log(`conntrack: ${[file, ...argv].join(' ')} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`);
    }
    return checker.deletions();
  }

  private async runAll(todo: ConntrackDeletion[], result: ConntrackCleanupResult): Promise<void> {
    const started = performance.now();
    let next = 0;
    let firstFailure = '';
    const worker = async () => {
      while (next < todo.length) {
        const d = todo[next++]!;
        const outcome = await this.runDeletion(d);
        result.deletions++;
        if (typeof outcome === 'string') {
          result.failures++;
          firstFailure ||= outcome;
        } else result.flowsDeleted += outcome;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 4, todo.length) }, worker));
    // One line per sync however many filters failed (a node without conntrack support fails them all).
    if (firstFailure) this.opts.log(`conntrack: ${firstFailure}`);
    if (result.flowsDeleted > 0 || result.failures > 0) {
      this.opts.log(`conntrack: deleted ${result.flowsDeleted} stale flows (${result.deletions} filters${result.failures ? `, ${result.failures} failed` : ''}) in ${Math.round(performance.now() - started)} ms`);
    }
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

  /** Flows deleted, or the failure's description. */
  private async runDeletion(d: ConntrackDeletion): Promise<number | string> {
    const [file, argv] = this.command(conntrackDeleteArgs(d));
    const r = await this.exec(file, argv);
    if (r.code === 0) return parseDeletedCount(r.stderr);
    if (r.code === 1 && /0 flow entries have been deleted/.test(r.stderr)) return 0;
    return `${[file, ...argv].join(' ')} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`;
  }
}
