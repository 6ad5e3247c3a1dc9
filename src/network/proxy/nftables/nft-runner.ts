// Running `nft -f -` (the only I/O of the nftables backend): one transaction per call, its text
// on stdin, inside a network namespace when one is given (`ip netns exec <netns> nft -f -`).
// nft applies a file atomically: on any error nothing of it takes effect, and the call rejects
// with nft's message.
import { spawn } from 'node:child_process';
import path from 'node:path';

const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface NftRunnerOptions {
  /** Run inside this network namespace (a name under /var/run/netns). */
  netns?: string;
  /** The nft binary; default `nft` on PATH (the system dirs are appended to PATH). */
  nftPath?: string;
  /** Kill nft after this long; default 60 s (a full load of 5,000 services takes seconds). */
  timeoutMs?: number;
}

export class NftError extends Error {
  constructor(message: string, readonly stderr: string, readonly exitCode: number | null) {
    super(message);
    this.name = 'NftError';
  }
}

function environment(): NodeJS.ProcessEnv {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const missing = SYSTEM_PATH.filter((d) => !dirs.includes(d));
  return missing.length ? { ...process.env, PATH: [...dirs, ...missing].join(path.delimiter) } : process.env;
}

/** The argv that runs nft with `args`, inside `netns` when set. */
export function nftCommand(args: readonly string[], options: NftRunnerOptions): [string, string[]] {
  const nft = options.nftPath ?? 'nft';
  return options.netns ? ['ip', ['netns', 'exec', options.netns, nft, ...args]] : [nft, [...args]];
}

/** Runs nft with `args` and `input` on stdin; resolves with stdout, rejects with an NftError. */
export function runNft(args: readonly string[], input: string, options: NftRunnerOptions = {}): Promise<string> {
  const [file, argv] = nftCommand(args, options);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env: environment(), stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 60_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new NftError(`${file}: ${e.message}`, '', null)));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString();
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(new NftError(`${[file, ...argv].join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 2000)}`, stderr, code));
    });
    child.stdin.on('error', () => { /* nft exited early; its exit code tells */ });
    child.stdin.end(input);
  });
}

/** Applies one transaction: `nft -f -` with `script` on stdin. */
export function applyNftScript(script: string, options: NftRunnerOptions = {}): Promise<void> {
  return runNft(['-f', '-'], script, options).then(() => undefined);
}
