// Removing what the portmap plugin left in the nat table for our networks. Each portmap ADD makes
// a per-container chain `CNI-DN-<hash>` and a jump to it in `CNI-HOSTPORT-DNAT` commented
// `dnat name: "<network>" id: "<container>"`; its DEL removes both. The shared chains
// (`CNI-HOSTPORT-DNAT`, `-SETMARK`, `-MASQ`) and their jumps from PREROUTING, OUTPUT and
// POSTROUTING are made once and never removed by the plugin. `capstan killall` (via
// CniNetwork.cleanup) removes the per-container chains of our networks that a DEL never got to,
// then the shared chains if no other network still maps ports through them.
//
// The plan is pure (a function of `iptables -t nat -S` output); it is applied as one
// `iptables-restore --noflush` transaction, deleting rules by their full spec, never by number,
// so rules others add meanwhile are not hit.
import { runCommand, withSystemPath } from './host-commands.js';

const DNAT_CHAIN = 'CNI-HOSTPORT-DNAT';
const SHARED_CHAINS = [DNAT_CHAIN, 'CNI-HOSTPORT-SETMARK', 'CNI-HOSTPORT-MASQ'];

interface Rule {
  chain: string;
  /** The rule's text after `-A `, as `-S` prints it. */
  spec: string;
  target: string | undefined;
}

function parseRules(saved: string): { rules: Rule[]; chains: Set<string> } {
  const rules: Rule[] = [];
  const chains = new Set<string>();
  for (const line of saved.split('\n')) {
    if (line.startsWith('-N ')) chains.add(line.slice(3).trim());
    if (!line.startsWith('-A ')) continue;
    const spec = line.slice(3).trim();
    const chain = spec.split(' ')[0]!;
    const target = / -j (\S+)/.exec(spec)?.[1];
    rules.push({ chain, spec, target });
  }
  return { rules, chains };
}

/** The comment portmap puts on a network's jump rule, as `-S` prints it (quotes escaped). */
function networkComment(network: string): string {
  return `dnat name: \\"${network}\\" id: `;
}

/**
 * The `iptables-restore --noflush` input removing the per-container chains of `networks`, and the
 * shared chains when no other jump remains in CNI-HOSTPORT-DNAT; empty when there is nothing to do.
 */
export function portmapCleanupPlan(saved: string, networks: readonly string[]): string {
  const { rules, chains } = parseRules(saved);
  const lines: string[] = [];
  const ours = rules.filter((r) => r.chain === DNAT_CHAIN && networks.some((n) => r.spec.includes(networkComment(n))));
  const removedChains = new Set<string>();
  for (const rule of ours) {
    lines.push(`-D ${rule.spec}`);
    if (rule.target?.startsWith('CNI-DN-') && chains.has(rule.target) && !removedChains.has(rule.target)) removedChains.add(rule.target);
  }
  // A per-container chain is removed only when no jump of another network still points at it.
  for (const chain of removedChains) {
    if (rules.some((r) => r.target === chain && !ours.includes(r))) continue;
    lines.push(`-F ${chain}`, `-X ${chain}`);
  }
  // The shared chains go only when nothing else jumps into them: no other network's rule left in
  // CNI-HOSTPORT-DNAT, and no chain besides the built-in hooks (e.g. an orphaned CNI-DN chain of
  // another network) still targets one of them.
  const remainingDnat = rules.filter((r) => r.chain === DNAT_CHAIN && !ours.includes(r));
  const hooks = ['PREROUTING', 'OUTPUT', 'POSTROUTING'];
  const otherUsers = rules.filter((r) => SHARED_CHAINS.includes(r.target ?? '') && !hooks.includes(r.chain) && !SHARED_CHAINS.includes(r.chain) && !removedChains.has(r.chain));
  if (remainingDnat.length === 0 && otherUsers.length === 0 && SHARED_CHAINS.some((c) => chains.has(c))) {
    for (const rule of rules) {
      if (SHARED_CHAINS.includes(rule.target ?? '') && hooks.includes(rule.chain)) lines.push(`-D ${rule.spec}`);
    }
    for (const chain of SHARED_CHAINS) if (chains.has(chain)) lines.push(`-F ${chain}`);
    for (const chain of SHARED_CHAINS) if (chains.has(chain)) lines.push(`-X ${chain}`);
  }
  if (lines.length === 0) return '';
  return `*nat\n${lines.join('\n')}\nCOMMIT\n`;
}

/** Applies the plan for IPv4 and IPv6; a missing ip6tables is not an error. Returns the errors seen. */
export async function removePortmapChains(networks: readonly string[]): Promise<string[]> {
  const errors: string[] = [];
  for (const [save, restore] of [['iptables', 'iptables-restore'], ['ip6tables', 'ip6tables-restore']] as const) {
    // One retry: a concurrent change between reading and applying fails the transaction whole.
    for (let attempt = 0; attempt < 2; attempt++) {
      const listed = await runCommand(save, ['-w', '-t', 'nat', '-S']);
      if (listed.code === 127) break;
      if (listed.code !== 0) {
        errors.push(`${save} -t nat -S: ${listed.stderr.trim()}`);
        break;
      }
      const plan = portmapCleanupPlan(listed.stdout, networks);
      if (!plan) break;
      const applied = await restoreWithInput(restore, plan);
      if (applied.code === 0) break;
      if (attempt === 1) errors.push(`${restore}: ${applied.stderr.trim()}`);
    }
  }
  return errors;
}

async function restoreWithInput(file: string, input: string) {
  const { spawn } = await import('node:child_process');
  return new Promise<{ code: number; stderr: string }>((resolve) => {
    const child = spawn(file, ['-w', '--noflush'], { env: withSystemPath(process.env), stdio: ['pipe', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ code: 127, stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
