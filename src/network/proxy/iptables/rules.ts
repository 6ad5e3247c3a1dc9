// From service-port rules to `iptables-restore --noflush` input. Pure: no I/O.
//
// Restore semantics this relies on (with --noflush): declaring `:CHAIN - [0:0]` creates the chain
// or flushes it, and the whole input is one transaction per table, so the kernel never sees a
// half-written chain. Built-in chains are never declared (that would flush other software's
// rules); our jumps into them are inserted only when missing.
//
// - Full sync: every fixed chain and every service port's chains are declared and written;
//   chains of ours that exist in the kernel but are no longer wanted are flushed and deleted.
// - Partial sync (upstream's MinimizeIPTablesRestore): the dispatch chains (nat SERVICES and
//   NODEPORTS, filter SERVICES and EXTERNAL-SERVICES) are rewritten whole, because they list every
//   port; only the changed ports' own chains are written; the chains they no longer use are
//   deleted after the dispatch chains stopped pointing at them.
import {
  EXTERNAL_SERVICES_CHAIN, FILTER_SERVICES_CHAIN, FORWARD_CHAIN, MARK_MASQ_CHAIN, MASQ_MARK,
  NODEPORTS_CHAIN, POSTROUTING_CHAIN, SERVICES_CHAIN,
} from './chain-names.js';
import type { Family, NatChain, ServicePortRules } from './service-rules.js';

export type Table = 'nat' | 'filter';

/** A jump from a built-in chain into one of ours, inserted at the top of the built-in chain. */
export interface Jump {
  table: Table;
  chain: 'PREROUTING' | 'OUTPUT' | 'POSTROUTING' | 'INPUT' | 'FORWARD';
  target: string;
  comment: string;
  /** Only for connections being set up (`-m conntrack --ctstate NEW`). */
  newOnly?: boolean;
}

/** The jumps, as upstream's iptablesJumpChains (without the health-check and LB-firewall ones). */
export const JUMPS: readonly Jump[] = [
  { table: 'nat', chain: 'PREROUTING', target: SERVICES_CHAIN, comment: 'capstan service portals' },
  { table: 'nat', chain: 'OUTPUT', target: SERVICES_CHAIN, comment: 'capstan service portals' },
  { table: 'nat', chain: 'POSTROUTING', target: POSTROUTING_CHAIN, comment: 'capstan postrouting rules' },
  { table: 'filter', chain: 'INPUT', target: EXTERNAL_SERVICES_CHAIN, comment: 'capstan externally-visible service portals', newOnly: true },
  { table: 'filter', chain: 'FORWARD', target: EXTERNAL_SERVICES_CHAIN, comment: 'capstan externally-visible service portals', newOnly: true },
  { table: 'filter', chain: 'FORWARD', target: FILTER_SERVICES_CHAIN, comment: 'capstan service portals', newOnly: true },
  { table: 'filter', chain: 'OUTPUT', target: FILTER_SERVICES_CHAIN, comment: 'capstan service portals', newOnly: true },
  { table: 'filter', chain: 'FORWARD', target: FORWARD_CHAIN, comment: 'capstan forwarding rules' },
];

/** The rule text of a jump after `-A <chain> ` / `-I <chain> 1 `. */
export function jumpSpec(j: Jump): string {
  return `${j.newOnly ? '-m conntrack --ctstate NEW ' : ''}-m comment --comment "${j.comment}" -j ${j.target}`;
}

/** One table's part of a restore. */
export interface TableWrite {
  /** Chains declared (created or flushed) and then filled with `lines`. */
  chains: NatChain[];
  /** Chains flushed and deleted after every rule was written. */
  deleteChains: string[];
  /** Jumps inserted into built-in chains. */
  insertJumps: Jump[];
}

export interface RestorePlan {
  nat: TableWrite;
  filter: TableWrite;
}

function tail(family: Family): string {
  // NodePorts on loopback need route_localnet, which this backend does not turn on: leave them out.
  const notLoopback = family === 6 ? '! -d ::1/128' : '! -d 127.0.0.0/8';
  return `-A ${SERVICES_CHAIN} -m comment --comment "capstan service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ${notLoopback} -j ${NODEPORTS_CHAIN}`;
}

/** The four dispatch chains, listing every port (`ports` in a stable order). */
export function dispatchChains(ports: readonly ServicePortRules[], family: Family): { nat: NatChain[]; filter: NatChain[] } {
  const natServices: string[] = [];
  const natNodePorts: string[] = [];
  const filterServices: string[] = [];
  const filterExternal: string[] = [];
  for (const p of ports) {
    natServices.push(...p.natServices);
    natNodePorts.push(...p.natNodePorts);
    filterServices.push(...p.filterServices);
    filterExternal.push(...p.filterExternal);
  }
  natServices.push(tail(family));
  return {
    nat: [{ name: SERVICES_CHAIN, lines: natServices }, { name: NODEPORTS_CHAIN, lines: natNodePorts }],
    filter: [{ name: FILTER_SERVICES_CHAIN, lines: filterServices }, { name: EXTERNAL_SERVICES_CHAIN, lines: filterExternal }],
  };
}

/** The chains whose rules never depend on the Services. */
export function staticChains(): { nat: NatChain[]; filter: NatChain[] } {
  const mark = `${MASQ_MARK}/${MASQ_MARK}`;
  return {
    nat: [
      {
        name: POSTROUTING_CHAIN,
        lines: [
          `-A ${POSTROUTING_CHAIN} -m mark ! --mark ${mark} -j RETURN`,
          // Clear the bit so a packet re-entering the stack (e.g. through a tunnel) is not masqueraded twice.
          `-A ${POSTROUTING_CHAIN} -j MARK --xor-mark ${MASQ_MARK}`,
          `-A ${POSTROUTING_CHAIN} -m comment --comment "capstan service traffic requiring SNAT" -j MASQUERADE --random-fully`,
        ],
      },
      { name: MARK_MASQ_CHAIN, lines: [`-A ${MARK_MASQ_CHAIN} -j MARK --or-mark ${MASQ_MARK}`] },
    ],
    filter: [
      {
        name: FORWARD_CHAIN,
        lines: [
          `-A ${FORWARD_CHAIN} -m comment --comment "capstan forwarding rules" -m mark --mark ${mark} -j ACCEPT`,
          `-A ${FORWARD_CHAIN} -m comment --comment "capstan forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
        ],
      },
    ],
  };
}

function byKey(ports: Iterable<ServicePortRules>): ServicePortRules[] {
  return [...ports].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * A full sync: every chain of ours written; `stale` (ours in the kernel, per table) minus the
 * wanted ones deleted; `missingJumps` inserted.
 */
export function fullSyncPlan(
  ports: Iterable<ServicePortRules>,
  family: Family,
  stale: { nat: Iterable<string>; filter: Iterable<string> },
  missingJumps: readonly Jump[],
): RestorePlan {
  const sorted = byKey(ports);
  const dispatch = dispatchChains(sorted, family);
  const fixed = staticChains();
  const natChains = [...dispatch.nat, ...fixed.nat, ...sorted.flatMap((p) => p.chains)];
  const filterChains = [...dispatch.filter, ...fixed.filter];
  const wantedNat = new Set(natChains.map((c) => c.name));
  const wantedFilter = new Set(filterChains.map((c) => c.name));
  return {
    nat: { chains: natChains, deleteChains: [...stale.nat].filter((c) => !wantedNat.has(c)).sort(), insertJumps: missingJumps.filter((j) => j.table === 'nat') },
    filter: { chains: filterChains, deleteChains: [...stale.filter].filter((c) => !wantedFilter.has(c)).sort(), insertJumps: missingJumps.filter((j) => j.table === 'filter') },
  };
}

/**
 * A partial sync: the dispatch chains over `ports` (every port now present), the chains of
 * `rewrite` (changed ports still present), and `deleteChains` (nat chains changed ports no longer use).
 */
export function partialSyncPlan(ports: Iterable<ServicePortRules>, family: Family, rewrite: Iterable<ServicePortRules>, deleteChains: Iterable<string>): RestorePlan {
  const dispatch = dispatchChains(byKey(ports), family);
  return {
    nat: { chains: [...dispatch.nat, ...byKey(rewrite).flatMap((p) => p.chains)], deleteChains: [...new Set(deleteChains)].sort(), insertJumps: [] },
    filter: { chains: dispatch.filter, deleteChains: [], insertJumps: [] },
  };
}

/** The `iptables-restore --noflush` text of a plan; a table with nothing to do is left out. */
export function renderRestore(plan: RestorePlan): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const w = plan[table];
    if (w.chains.length === 0 && w.deleteChains.length === 0 && w.insertJumps.length === 0) continue;
    out.push(`*${table}`);
    for (const c of w.chains) out.push(`:${c.name} - [0:0]`);
    for (const c of w.deleteChains) out.push(`:${c} - [0:0]`);
    for (const j of w.insertJumps) out.push(`-I ${j.chain} 1 ${jumpSpec(j)}`);
    for (const c of w.chains) for (const line of c.lines) out.push(line);
    for (const c of w.deleteChains) out.push(`-X ${c}`);
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

