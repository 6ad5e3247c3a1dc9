// From service-port rules to `iptables-restore --noflush` input. Pure: no I/O.
//
// Restore semantics this relies on (with --noflush): declaring `:CHAIN - [0:0]` creates the chain
// or flushes it, and the whole input is one transaction per table, so the kernel never sees a
// half-written chain. Built-in chains are never declared (that would flush other software's
// rules); our jumps into them are inserted only when missing.
//
// - Full sync: every fixed chain and every service port's chains are declared and written (less
//   those the caller knows to be intact, see chain-digests.ts); chains of ours that exist in the
//   kernel but are no longer wanted are flushed and deleted.
// - Partial sync (upstream's MinimizeIPTablesRestore): only the changed ports' own chains are
//   written whole. The dispatch chains (nat SERVICES and NODEPORTS, filter SERVICES and
//   EXTERNAL-SERVICES) list every port; upstream rewrites them whole on every sync, which at
//   thousands of Services costs more than the change itself, so here a changed port's dispatch
//   entries are edited in place (`-D <old spec>`, `-I`/`-A <new spec>`). A full sync rewrites them
//   whole, which also repairs any drift there. Chains no longer used are deleted last, after
//   nothing points at them: a port's chains are referenced only from its own chains and its own
//   dispatch entries, both changed in the same transaction. If an old entry is not in the kernel
//   (drift), the transaction fails whole and the backend falls back to a full sync.
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
  /** Single rules deleted by spec (`-D …`), before any chain is deleted. */
  removeRules?: string[];
  /** Single rules added (`-A …` / `-I … 1 …`), after the chains were written. */
  addRules?: string[];
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
 * A full sync: every chain of ours written, except those `upToDate` vouches for; `stale` (ours in
 * the kernel, per table) minus the wanted ones deleted; `missingJumps` inserted. Also returns every
 * wanted chain, for the caller's bookkeeping.
 */
export function fullSyncPlan(
  ports: Iterable<ServicePortRules>,
  family: Family,
  stale: { nat: Iterable<string>; filter: Iterable<string> },
  missingJumps: readonly Jump[],
  upToDate: (table: Table, chain: NatChain) => boolean = () => false,
): RestorePlan & { wanted: { nat: NatChain[]; filter: NatChain[] } } {
  const sorted = byKey(ports);
  const dispatch = dispatchChains(sorted, family);
  const fixed = staticChains();
  const natChains = [...dispatch.nat, ...fixed.nat, ...sorted.flatMap((p) => p.chains)];
  const filterChains = [...dispatch.filter, ...fixed.filter];
  const wantedNat = new Set(natChains.map((c) => c.name));
  const wantedFilter = new Set(filterChains.map((c) => c.name));
  return {
    nat: {
      chains: natChains.filter((c) => !upToDate('nat', c)),
      deleteChains: [...stale.nat].filter((c) => !wantedNat.has(c)).sort(),
      insertJumps: missingJumps.filter((j) => j.table === 'nat'),
    },
    filter: {
      chains: filterChains.filter((c) => !upToDate('filter', c)),
      deleteChains: [...stale.filter].filter((c) => !wantedFilter.has(c)).sort(),
      insertJumps: missingJumps.filter((j) => j.table === 'filter'),
    },
    wanted: { nat: natChains, filter: filterChains },
  };
}

/** Dependency rank of a nat chain: a chain only jumps to chains of a lower rank. */
function rank(chain: string): number {
  if (chain === SERVICES_CHAIN || chain === NODEPORTS_CHAIN) return 4;
  if (chain.startsWith('CAPSTAN-EXT-')) return 3;
  if (chain.startsWith('CAPSTAN-SVC-') || chain.startsWith('CAPSTAN-SVL-')) return 2;
  if (chain.startsWith('CAPSTAN-SEP-')) return 1;
  return 0; // MARK-MASQ, POSTROUTING
}

/**
 * Splits a large full-sync plan into several transactions. One iptables-nft transaction grows
 * super-linearly with its size (5,000 ports with 3 endpoints each took ~75 s in one restore here,
 * against ~1.5 s for 2,500 ports in batches of 500), so the chains are written in batches of at
 * most `maxChains`, those jumped to before those jumping (endpoint chains, then service chains,
 * then external chains), and the dispatch chains, jumps and deletions come last in one final
 * transaction. Every intermediate state is consistent: a new chain is referenced only once the
 * chains it jumps to exist, and nothing is deleted before the final dispatch rewrite. A plan
 * within the limit is returned whole (one atomic transaction).
 */
export function batchPlan(plan: RestorePlan, maxChains = 2000): RestorePlan[] {
  if (plan.nat.chains.length <= maxChains) return [plan];
  const early = plan.nat.chains.filter((c) => rank(c.name) < 4).map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.name) - rank(b.c.name) || a.i - b.i).map((x) => x.c);
  const batches: RestorePlan[] = [];
  const empty = (): TableWrite => ({ chains: [], deleteChains: [], insertJumps: [] });
  for (let i = 0; i < early.length; i += maxChains) batches.push({ nat: { ...empty(), chains: early.slice(i, i + maxChains) }, filter: empty() });
  batches.push({ nat: { ...plan.nat, chains: plan.nat.chains.filter((c) => rank(c.name) === 4) }, filter: plan.filter });
  return batches;
}

/** Changed dispatch entries of one port: rules to delete (by spec) and to add, per table. */
export interface DispatchEdits {
  nat: { remove: string[]; add: string[] };
  filter: { remove: string[]; add: string[] };
}

/**
 * The edits turning `before`'s dispatch entries into `now`'s (either may be absent). Entries of
 * different ports never overlap (each names its port in its comment and targets its own chains),
 * and their order does not matter except that nat CAPSTAN-SERVICES must end with the NodePort
 * tail call: new entries there are inserted at the top.
 */
export function dispatchEdits(before: ServicePortRules | undefined, now: ServicePortRules | undefined): DispatchEdits {
  const diff = (old: readonly string[] = [], next: readonly string[] = []) => {
    const o = new Set(old);
    const n = new Set(next);
    return { remove: old.filter((l) => !n.has(l)), add: next.filter((l) => !o.has(l)) };
  };
  const services = diff(before?.natServices, now?.natServices);
  const nodePorts = diff(before?.natNodePorts, now?.natNodePorts);
  const filterServices = diff(before?.filterServices, now?.filterServices);
  const filterExternal = diff(before?.filterExternal, now?.filterExternal);
  return {
    nat: {
      remove: [...services.remove, ...nodePorts.remove],
      add: [...services.add.map((l) => l.replace(/^-A (\S+) /, '-I $1 1 ')), ...nodePorts.add],
    },
    filter: { remove: [...filterServices.remove, ...filterExternal.remove], add: [...filterServices.add, ...filterExternal.add] },
  };
}

/**
 * A partial sync: the chains of `rewrite` (changed ports still present) written whole, the
 * dispatch entries of changed ports edited in place, `deleteChains` (nat chains the changed ports
 * no longer use) deleted last.
 */
export function partialSyncPlan(rewrite: Iterable<ServicePortRules>, deleteChains: Iterable<string>, edits: readonly DispatchEdits[]): RestorePlan {
  const table = (t: Table) => ({
    removeRules: edits.flatMap((e) => e[t].remove).map((l) => l.replace(/^-A /, '-D ')),
    addRules: edits.flatMap((e) => e[t].add),
  });
  return {
    nat: { chains: byKey(rewrite).flatMap((p) => p.chains), deleteChains: [...new Set(deleteChains)].sort(), insertJumps: [], ...table('nat') },
    filter: { chains: [], deleteChains: [], insertJumps: [], ...table('filter') },
  };
}

/** The `iptables-restore --noflush` text of a plan; a table with nothing to do is left out. */
export function renderRestore(plan: RestorePlan): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const w = plan[table];
    const removeRules = w.removeRules ?? [];
    const addRules = w.addRules ?? [];
    if (w.chains.length === 0 && w.deleteChains.length === 0 && w.insertJumps.length === 0 && removeRules.length === 0 && addRules.length === 0) continue;
    out.push(`*${table}`);
    for (const c of w.chains) out.push(`:${c.name} - [0:0]`);
    for (const c of w.deleteChains) out.push(`:${c} - [0:0]`);
    for (const j of w.insertJumps) out.push(`-I ${j.chain} 1 ${jumpSpec(j)}`);
    for (const line of removeRules) out.push(line);
    for (const c of w.chains) for (const line of c.lines) out.push(line);
    for (const line of addRules) out.push(line);
    for (const c of w.deleteChains) out.push(`-X ${c}`);
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

