// A real `capstan agent` child process for integration tests. Tests stop it in `after`/`finally`
// (terminate() is safe to call twice and after the process has exited).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './server.js';

export interface AgentProcess {
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  logs(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Resolves when stderr matches `re`; rejects if the process exits first or after `timeoutMs`. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM and wait for exit; returns the exit code. */
  terminate(): Promise<number | null>;
}

/** Starts `capstan agent`; without `--container-runtime` in `args` it runs the fake runtime (registration and status only). */
export function spawnAgent(args: string[]): AgentProcess {
  const runtime = args.some((a) => a.startsWith('--container-runtime')) ? [] : ['--container-runtime', 'fake'];
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'capstan'), 'agent', ...runtime, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (d: string) => {
    stderr += d;
    for (const l of listeners) l();
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => {
    exitCode = code;
    r(code);
  }));
  return {
    child, exited, logs: () => stderr,
    waitForLog(re, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (re.test(stderr)) done(resolve);
        };
        const timer = setTimeout(() => done(() => reject(new Error(`agent log never matched ${re}:\n${stderr}`))), timeoutMs);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        void exited.then((code) => setImmediate(() => {
          if (listeners.has(check)) done(() => (re.test(stderr) ? resolve() : reject(new Error(`agent exited with ${code} before its log matched ${re}:\n${stderr}`))));
        }));
        check();
      });
    },
    async terminate() {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
}
