// Runs the real kubectl binaries against a test server.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
export const KUBECTL_VERSIONS = ['1.27', '1.33'] as const;

export function kubectlPath(version: string): string {
  return `${KUBECTL_DIR}/kubectl.${version}`;
}

export function kubectlAvailable(version: string): boolean {
  return existsSync(kubectlPath(version));
}

export interface KubectlResult { code: number; stdout: string; stderr: string }

export interface Kubectl {
  (args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  /** Like calling it, but throws unless the exit code is 0. */
  ok(args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<string>;
  spawn(args: string[]): ChildProcess;
}

/** A kubectl bound to one binary, kubeconfig and a private discovery cache. */
export function kubectl(version: string, kubeconfig: string, cacheDir: string): Kubectl {
  const bin = kubectlPath(version);
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir];
  const run = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const child = execFile(bin, [...base, ...args], { env: { ...process.env, ...opts.env }, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (opts.input !== undefined) child.stdin!.end(opts.input);
      else child.stdin!.end();
    });
  const k = run as Kubectl;
  k.ok = async (args, opts) => {
    const r = await run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  k.spawn = (args) => spawn(bin, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return k;
}
