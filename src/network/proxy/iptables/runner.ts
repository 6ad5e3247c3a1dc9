// The I/O of the iptables backend: `iptables-save` and `iptables-restore --noflush` (or the
// ip6tables pair), inside `ip netns exec <netns>` when a namespace is given. Nothing here decides
// what to write.
import { spawn } from 'node:child_process';
import { withSystemPath } from '../../cni/host-commands.js';
import type { Family } from './service-rules.js';

export interface IptablesRunner {
  /** `iptables-save` of every table; undefined when the binary is missing. */
  save(family: Family): Promise<string | undefined>;
  /** Applies restore input as one transaction; throws with the failing line on error. */
  restore(family: Family, input: string): Promise<void>;
}

export class IptablesMissingError extends Error {}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function run(argv: string[], input: string | undefined, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: withSystemPath(process.env), stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code === 'ENOENT' ? 127 : 1, stdout: '', stderr: e.message }));
    child.on('close', (code, signal) => resolve({
      code: code ?? 1,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8') + (signal ? ` (killed by ${signal})` : ''),
    }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** The line a failed restore names ("line N failed"), to make the error actionable. */
function failingLine(stderr: string, input: string): string {
  const n = /line:? (\d+)/i.exec(stderr)?.[1];
  if (!n) return '';
  const line = input.split('\n')[Number(n) - 1];
  return line ? ` [line ${n}: ${line}]` : '';
}

export function createRunner(options: { netns?: string; timeoutMs?: number }): IptablesRunner {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const wrap = (argv: string[]) => (options.netns ? ['ip', 'netns', 'exec', options.netns, ...argv] : argv);
  // `ip netns exec` reports a missing binary as exit 255 with "No such file" on stderr.
  const missing = (o: Outcome) => o.code === 127 || (options.netns !== undefined && /No such file or directory/.test(o.stderr) && /exec/.test(o.stderr));
  return {
    async save(family) {
      const bin = family === 6 ? 'ip6tables-save' : 'iptables-save';
      const o = await run(wrap([bin]), undefined, timeoutMs);
      if (missing(o)) return undefined;
      if (o.code !== 0) throw new Error(`${bin}: exit ${o.code}: ${o.stderr.trim()}`);
      return o.stdout;
    },
    async restore(family, input) {
      const bin = family === 6 ? 'ip6tables-restore' : 'iptables-restore';
      const o = await run(wrap([bin, '-w', '--noflush']), input, timeoutMs);
      if (missing(o)) throw new IptablesMissingError(`${bin} not found`);
      if (o.code !== 0) throw new Error(`${bin}: exit ${o.code}: ${o.stderr.trim()}${failingLine(o.stderr, input)}`);
    },
  };
}
