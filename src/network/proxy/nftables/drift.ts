// The cheap drift probe of the periodic resync: does the kernel still hold our table with exactly
// the chains we wrote? Pure; backend.ts runs `nft list chains ip` (chain names only, which costs
// nft a few milliseconds even at 5,000 Services, unlike listing the rules) and asks here.
//
// What it catches: the table or any of our chains deleted (e.g. `nft flush ruleset`), chains added
// to our table by someone else. What it does not: a rule or map element edited inside our table;
// the full rewrite every `fullRewritePeriodMs` (1 h, as kube-proxy's FullSyncPeriod) repairs those.
import { ENDPOINTS_CHECK_CHAIN, MARK_MASQ_CHAIN, MASQUERADING_CHAIN, REJECT_CHAIN, SERVICES_CHAIN, TABLE_FAMILY, TABLE_NAME } from './names.js';
import type { Written } from './ruleset.js';
import { BASE_CHAIN_NAMES } from './table-skeleton.js';

/** Every chain the table must hold after writing `written`. */
export function expectedChains(written: Written): Set<string> {
  const names = new Set([SERVICES_CHAIN, MASQUERADING_CHAIN, MARK_MASQ_CHAIN, ENDPOINTS_CHECK_CHAIN, REJECT_CHAIN, ...BASE_CHAIN_NAMES]);
  for (const port of written.ports.values()) for (const [chain] of port.chains) names.add(chain);
  return names;
}

/** The chain names of our table in the output of `nft list chains ip`; undefined when the table is absent. */
export function chainsInListing(listing: string): Set<string> | undefined {
  let inOurs = false;
  let found: Set<string> | undefined;
  for (const line of listing.split('\n')) {
    const table = /^table (\S+) (\S+) \{/.exec(line);
    if (table) {
      inOurs = table[1] === TABLE_FAMILY && table[2] === TABLE_NAME;
      if (inOurs) found = new Set();
      continue;
    }
    const chain = inOurs ? /^\s+chain (\S+) \{/.exec(line) : null;
    if (chain) found!.add(chain[1]);
  }
  return found;
}

/** Whether the listing shows exactly the chains `written` put there. */
export function tableIntact(listing: string, written: Written): boolean {
  const actual = chainsInListing(listing);
  const expected = expectedChains(written);
  return actual !== undefined && actual.size === expected.size && [...expected].every((c) => actual.has(c));
}
