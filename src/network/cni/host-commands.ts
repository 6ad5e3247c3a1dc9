// The host commands the CNI network's cleanup runs (iproute2, iptables). Plugins do everything
// else; these only remove what the plugins leave behind by design (the bridge, portmap's shared
// chains).
import { execFile } from 'node:child_process';
import path from 'node:path';

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * The environment with the system dirs appended to PATH where missing: plugins look up `iptables`
 * and friends on PATH, and an agent started from a minimal environment (no /usr/sbin) must still
 * find them.
 */
export function withSystemPath(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const missing = SYSTEM_PATH.filter((d) => !dirs.includes(d));
  return missing.length ? { ...env, PATH: [...dirs, ...missing].join(path.delimiter) } : env;
}

export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never throws for a non-zero exit (the caller decides). A missing binary is code 127. */
export function runCommand(file: string, args: readonly string[], timeoutMs = 60_000): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    execFile(file, args, { env: withSystemPath(process.env), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
