// exec probes and hooks (upstream pkg/probe/exec): the command runs in the container through the
// runtime's execSync; exit 0 is success, the combined output is what events show.
import type { ContainerRuntime } from '../../runtime/index.js';
import { truncate, type ProbeResult } from './probe-result.js';

export async function probeExec(runtime: ContainerRuntime, containerId: string, command: string[], timeoutMs: number): Promise<ProbeResult> {
  const r = await runtime.execSync(containerId, command, timeoutMs);
  if (r.timedOut) return { result: 'failure', output: `command "${command.join(' ')}" timed out` };
  const output = truncate(Buffer.concat([r.stdout, r.stderr]).toString('utf8'));
  return { result: r.exitCode === 0 ? 'success' : 'failure', output };
}
