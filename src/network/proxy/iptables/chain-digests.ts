// Knowing which of our chains a full resync must rewrite. Writing every chain at every resync
// costs tens of seconds at thousands of Services with iptables-nft, so a resync rewrites a chain
// only when the rules we want in it changed, or the kernel's copy no longer is what we left
// there (drift), or we do not know what we left there.
//
// iptables-save prints a rule in its own canonical form (matches reordered, /32 added…), not as we
// wrote it, so each chain's digest is learnt by reading it back after writing it: per chain we keep
// the digest of the lines we wrote (`input`) and of how the kernel printed them then (`saved`).
// Pure: no I/O.
import { createHash } from 'node:crypto';
import { isOwnChain } from './chain-names.js';
import type { Table } from './rules.js';
import type { SavedRules } from './saved-rules.js';

export interface ChainDigest {
  /** Digest of the lines we wrote. */
  input: string;
  /** Digest of the chain as iptables-save printed it right after; unset until read back. */
  saved?: string;
}

/** Keyed by `${table} ${chain}`. */
export type ChainDigests = Map<string, ChainDigest>;

export const digestKey = (table: Table, chain: string) => `${table} ${chain}`;

export function digest(lines: readonly string[]): string {
  const h = createHash('sha1');
  for (const line of lines) h.update(line).update('\n');
  return h.digest('base64');
}

/** Digest of each of our chains in `table` as the kernel holds it (an empty chain has one too). */
export function savedDigests(saved: SavedRules, table: Table): Map<string, string> {
  const t = saved[table];
  const lines = new Map<string, string[]>();
  for (const chain of t?.chains ?? []) if (isOwnChain(table, chain)) lines.set(chain, []);
  for (const rule of t?.rules ?? []) lines.get(rule.chain)?.push(rule.spec);
  return new Map([...lines].map(([chain, l]) => [chain, digest(l)]));
}

/** Whether a wanted chain is known to be in the kernel exactly as wanted. */
export function isUpToDate(known: ChainDigest | undefined, wanted: readonly string[], inKernel: string | undefined): boolean {
  return known !== undefined && known.saved !== undefined && inKernel === known.saved && known.input === digest(wanted);
}
