// Reading `iptables-save` output: which of our chains exist, which of our jumps are in place, and
// the restore text that removes everything of ours. Pure: the text in, plans out.
import { isOwnChain } from './chain-names.js';
import type { Jump, Table } from './rules.js';

export interface SavedTable {
  chains: Set<string>;
  /** Every `-A` line, without the leading `-A `. */
  rules: Array<{ chain: string; spec: string; target: string | undefined }>;
}

export type SavedRules = Partial<Record<string, SavedTable>>;

/** Parses `iptables-save` output (any tables) into chains and rules per table. */
export function parseSave(text: string): SavedRules {
  const tables: SavedRules = {};
  let current: SavedTable | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('*')) {
      current = { chains: new Set(), rules: [] };
      tables[line.slice(1)] = current;
    } else if (!current) {
      continue;
    } else if (line.startsWith(':')) {
      current.chains.add(line.slice(1).split(' ')[0]!);
    } else if (line.startsWith('-A ')) {
      const spec = line.slice(3);
      const chain = spec.split(' ')[0]!;
      current.rules.push({ chain, spec, target: / -j (\S+)/.exec(spec)?.[1] });
    }
  }
  return tables;
}

/** Our chains present in `table`. */
export function ownChains(saved: SavedRules, table: Table): string[] {
  return [...(saved[table]?.chains ?? [])].filter((c) => isOwnChain(table, c));
}

/**
 * The jumps not found in their built-in chain. A jump counts as present when a rule of that
 * chain targets our chain with our comment (iptables-save reorders matches, so the text is not
 * compared whole).
 */
export function missingJumps(saved: SavedRules, jumps: readonly Jump[]): Jump[] {
  return jumps.filter((j) => {
    const rules = saved[j.table]?.rules ?? [];
    return !rules.some((r) => r.chain === j.chain && r.target === j.target && r.spec.includes(`--comment "${j.comment}"`) && (!j.newOnly || r.spec.includes('--ctstate NEW')));
  });
}

/**
 * Restore text removing every jump into our chains from other chains, then flushing and deleting
 * our chains; '' when nothing of ours is there. Rules are deleted by their full spec, never by
 * number, so rules others add meanwhile are not hit.
 */
export function cleanupRestore(saved: SavedRules): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const t = saved[table];
    if (!t) continue;
    const ours = ownChains(saved, table);
    const jumps = t.rules.filter((r) => r.target !== undefined && isOwnChain(table, r.target) && !isOwnChain(table, r.chain));
    if (ours.length === 0 && jumps.length === 0) continue;
    out.push(`*${table}`);
    for (const c of ours) out.push(`:${c} - [0:0]`);
    for (const r of jumps) out.push(`-D ${r.spec}`);
    for (const c of ours) out.push(`-X ${c}`);
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

