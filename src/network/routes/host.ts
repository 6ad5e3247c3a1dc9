// The host commands of the node routes role (iproute2, nft, sysctl), optionally inside a named
// network namespace (`ip -n NS …`, `ip netns exec NS nft …`) so tests work in namespaces of their own.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { withSystemPath, type CommandOutcome } from '../cni/host-commands.js';

/** Runs `file args` with `input` on stdin; never throws for a non-zero exit (a missing binary is 127). */
export function runWithInput(file: string, args: readonly string[], input = '', timeoutMs = 30_000): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: withSystemPath(process.env), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

/** `ip [-n NS] args`. */
export function ip(netns: string | undefined, args: readonly string[], input?: string): Promise<CommandOutcome> {
  return runWithInput('ip', [...(netns ? ['-n', netns] : []), ...args], input);
}

/** `nft -f -` with `ruleset` (inside NS when given). */
export function nftApply(netns: string | undefined, ruleset: string): Promise<CommandOutcome> {
  return netns ? runWithInput('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], ruleset) : runWithInput('nft', ['-f', '-'], ruleset);
}

/** Turns on IPv4 forwarding: the node routes pod traffic between its bridge and its uplink. */
export async function enableIPv4Forwarding(netns: string | undefined): Promise<void> {
  if (netns) {
    const r = await runWithInput('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    if (r.code !== 0) throw new Error(`sysctl net.ipv4.ip_forward=1 in ${netns}: ${r.stderr.trim()}`);
    return;
  }
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1\n');
}
