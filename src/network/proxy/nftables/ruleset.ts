// The nft transactions the backend sends, as text for `nft -f -`, and the record of what they
// wrote. Pure: a ProxyState (plus the previous record) in, one transaction's text and the new
// record out; backend.ts only runs them.
//
// Contract:
// - `renderFull` writes the whole table in one transaction. With no previous record (the proxy
//   just started, or the previous transaction failed) it deletes and recreates the table, which
//   also removes anything stale or foreign. With a record it flushes the table's rules and its
//   fixed maps and sets instead and deletes what the record says is gone, so sessionAffinity
//   entries (dynamic set contents) survive the periodic resync.
// - `renderIncremental` touches only the given service ports, in an order nft accepts inside one
//   transaction: drop map elements, flush chains, delete chains and sets no longer referenced,
//   then add sets and chains, rules, and elements last. It returns undefined when the change is
//   not expressible incrementally (the cluster CIDRs appear or disappear): do a full render.
// - A map key claimed by two service ports (e.g. one externalIP on two Services) goes to the port
//   that claimed it first (full render: in key order); the other port's element is left out.
import type { ProxyState } from '../model.js';
import {
  CLUSTER_CIDRS_SET, ENDPOINTS_CHECK_CHAIN, HAIRPIN_SET, MARK_MASQ_CHAIN, MASQUERADE_MARK, MASQUERADING_CHAIN,
  NO_ENDPOINT_NODEPORTS_MAP, NO_ENDPOINT_SERVICES_MAP, NODEPORT_IPS_SET, REJECT_CHAIN, SERVICE_IPS_MAP,
  SERVICE_NODEPORTS_MAP, SERVICES_CHAIN, TABLE, type ElementMap,
} from './names.js';
import { buildPortRules, isIPv4, type MapElement, type PortRules } from './port-rules.js';

/** What the backend has written, to diff the next change against. */
export interface Written {
  nodeIPs: string[];
  clusterCIDRs: string[];
  ports: Map<string, PortRules>;
  /** `map|key` → the service-port key whose element holds it. */
  elementOwners: Map<string, string>;
  /** Endpoint IP → how many service ports list it for hairpin. */
  hairpinRefs: Map<string, number>;
}

export interface Transaction {
  text: string;
  written: Written;
}

const mark = `0x${MASQUERADE_MARK.toString(16)}`;
const IP_PROTO_PORT = 'ipv4_addr . inet_proto . inet_service';
const MAPS: [ElementMap, string][] = [
  [SERVICE_IPS_MAP, IP_PROTO_PORT],
  [SERVICE_NODEPORTS_MAP, 'inet_proto . inet_service'],
  [NO_ENDPOINT_SERVICES_MAP, IP_PROTO_PORT],
  [NO_ENDPOINT_NODEPORTS_MAP, 'inet_proto . inet_service'],
];

/** Base chains: [name, type, hook, priority]. Filter chains run before DNAT (-110), as upstream's. */
const BASE_CHAINS: [string, 'nat' | 'filter', string, string][] = [
  ['nat-prerouting', 'nat', 'prerouting', 'dstnat'],
  ['nat-output', 'nat', 'output', '-100'],
  ['nat-postrouting', 'nat', 'postrouting', 'srcnat'],
  ['filter-input', 'filter', 'input', '-110'],
  ['filter-forward', 'filter', 'forward', '-110'],
  ['filter-output', 'filter', 'output', '-110'],
];

/** The fixed part: sets, maps, hooks and helper chains, in dependency order. */
function skeleton(): string[] {
  const lines = [
    `add set ${TABLE} ${NODEPORT_IPS_SET} { type ipv4_addr ; }`,
    `add set ${TABLE} ${CLUSTER_CIDRS_SET} { type ipv4_addr ; flags interval ; }`,
    `add set ${TABLE} ${HAIRPIN_SET} { type ipv4_addr . ipv4_addr ; }`,
    ...MAPS.map(([name, type]) => `add map ${TABLE} ${name} { type ${type} : verdict ; }`),
  ];
  for (const name of [SERVICES_CHAIN, MASQUERADING_CHAIN, MARK_MASQ_CHAIN, ENDPOINTS_CHECK_CHAIN, REJECT_CHAIN]) lines.push(`add chain ${TABLE} ${name}`);
  for (const [name, type, hook, priority] of BASE_CHAINS) {
    lines.push(`add chain ${TABLE} ${name} { type ${type} hook ${hook} priority ${priority} ; policy accept ; }`);
  }
  const rule = (chain: string, body: string): string => `add rule ${TABLE} ${chain} ${body}`;
  lines.push(
    rule(MARK_MASQ_CHAIN, `meta mark set meta mark | ${mark}`),
    rule(MASQUERADING_CHAIN, `meta mark & ${mark} == 0 return`),
    rule(MASQUERADING_CHAIN, `meta mark set meta mark ^ ${mark}`),
    rule(MASQUERADING_CHAIN, 'masquerade fully-random'),
    rule(SERVICES_CHAIN, `ip daddr . meta l4proto . th dport vmap @${SERVICE_IPS_MAP}`),
    rule(SERVICES_CHAIN, `ip daddr @${NODEPORT_IPS_SET} meta l4proto . th dport vmap @${SERVICE_NODEPORTS_MAP}`),
    rule(ENDPOINTS_CHECK_CHAIN, `ip daddr . meta l4proto . th dport vmap @${NO_ENDPOINT_SERVICES_MAP}`),
    rule(ENDPOINTS_CHECK_CHAIN, `ip daddr @${NODEPORT_IPS_SET} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS_MAP}`),
    rule(REJECT_CHAIN, 'meta l4proto tcp reject with tcp reset'),
    rule(REJECT_CHAIN, 'reject'),
    rule('nat-prerouting', `jump ${SERVICES_CHAIN}`),
    rule('nat-output', `jump ${SERVICES_CHAIN}`),
    rule('nat-postrouting', `ip saddr . ip daddr @${HAIRPIN_SET} jump ${MARK_MASQ_CHAIN}`),
    rule('nat-postrouting', `jump ${MASQUERADING_CHAIN}`),
    rule('filter-input', `ct state new jump ${ENDPOINTS_CHECK_CHAIN}`),
    rule('filter-forward', `ct state new jump ${ENDPOINTS_CHECK_CHAIN}`),
    rule('filter-output', `ct state new jump ${ENDPOINTS_CHECK_CHAIN}`),
  );
  return lines;
}

/** `add element` commands, many elements per command (one command per element is slow to parse). */
function addElements(target: string, items: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 500) out.push(`add element ${TABLE} ${target} { ${items.slice(i, i + 500).join(', ')} }`);
  return out;
}

function deleteElements(target: string, keys: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < keys.length; i += 500) out.push(`delete element ${TABLE} ${target} { ${keys.slice(i, i + 500).join(', ')} }`);
  return out;
}

function globalsOf(state: ProxyState): { nodeIPs: string[]; clusterCIDRs: string[] } {
  return {
    nodeIPs: [...new Set(state.nodeIPs.filter(isIPv4))].sort(),
    clusterCIDRs: [...new Set(state.clusterCIDRs.filter((c) => isIPv4(c.split('/')[0])))].sort(),
  };
}

const hairpinPair = (ip: string): string => `${ip} . ${ip}`;
const ownerKey = (e: MapElement): string => `${e.map}|${e.key}`;

/** The whole table in one transaction. */
export function renderFull(state: ProxyState, previous?: Written): Transaction {
  const { nodeIPs, clusterCIDRs } = globalsOf(state);
  const ctx = { hasClusterCIDRs: clusterCIDRs.length > 0 };
  const lines = previous
    ? [`add table ${TABLE}`, `flush table ${TABLE}`]
    : [`add table ${TABLE}`, `delete table ${TABLE}`, `add table ${TABLE}`];
  lines.push(...skeleton());
  if (previous) {
    for (const set of [NODEPORT_IPS_SET, CLUSTER_CIDRS_SET, HAIRPIN_SET]) lines.push(`flush set ${TABLE} ${set}`);
    for (const [map] of MAPS) lines.push(`flush map ${TABLE} ${map}`);
  }
  lines.push(...addElements(NODEPORT_IPS_SET, nodeIPs), ...addElements(CLUSTER_CIDRS_SET, clusterCIDRs));

  const written: Written = { nodeIPs, clusterCIDRs, ports: new Map(), elementOwners: new Map(), hairpinRefs: new Map() };
  const elements = new Map<ElementMap, string[]>(MAPS.map(([m]) => [m, []]));
  for (const key of [...state.servicePorts.keys()].sort()) {
    const rules = buildPortRules(state.servicePorts.get(key)!, ctx);
    written.ports.set(key, rules);
    for (const [name, timeout] of rules.affinitySets) lines.push(affinitySetCommand(name, timeout));
    for (const name of rules.chains.keys()) lines.push(`add chain ${TABLE} ${name}`);
    for (const [name, body] of rules.chains) for (const r of body) lines.push(`add rule ${TABLE} ${name} ${r}`);
    for (const e of rules.elements) {
      if (written.elementOwners.has(ownerKey(e))) continue;
      written.elementOwners.set(ownerKey(e), key);
      elements.get(e.map)!.push(`${e.key} : ${e.value}`);
    }
    for (const ip of rules.hairpinIPs) written.hairpinRefs.set(ip, (written.hairpinRefs.get(ip) ?? 0) + 1);
  }
  for (const [map, items] of elements) lines.push(...addElements(map, items));
  lines.push(...addElements(HAIRPIN_SET, [...written.hairpinRefs.keys()].sort().map(hairpinPair)));

  if (previous) {
    // After `flush table` and the map flushes nothing references these any more.
    const newChains = new Set([...written.ports.values()].flatMap((p) => [...p.chains.keys()]));
    const newSets = new Set([...written.ports.values()].flatMap((p) => [...p.affinitySets.keys()]));
    for (const p of previous.ports.values()) {
      for (const name of p.chains.keys()) if (!newChains.has(name)) lines.push(`delete chain ${TABLE} ${name}`);
      for (const name of p.affinitySets.keys()) if (!newSets.has(name)) lines.push(`delete set ${TABLE} ${name}`);
    }
  }
  return { text: lines.join('\n') + '\n', written };
}

function affinitySetCommand(name: string, timeoutSeconds: number): string {
  return `add set ${TABLE} ${name} { type ipv4_addr ; flags dynamic,timeout ; timeout ${timeoutSeconds}s ; }`;
}

/**
 * One transaction changing only the service ports in `changed` (and the node IPs / cluster CIDRs
 * when they moved). Text is '' when nothing differs. Undefined: do a full render instead.
 */
export function renderIncremental(previous: Written, state: ProxyState, changed: ReadonlySet<string>): Transaction | undefined {
  const { nodeIPs, clusterCIDRs } = globalsOf(state);
  if ((clusterCIDRs.length > 0) !== (previous.clusterCIDRs.length > 0)) return undefined;
  const ctx = { hasClusterCIDRs: clusterCIDRs.length > 0 };
  const written: Written = {
    nodeIPs, clusterCIDRs, ports: new Map(previous.ports),
    elementOwners: new Map(previous.elementOwners), hairpinRefs: new Map(previous.hairpinRefs),
  };
  const dropElements: string[] = [];
  const flushChains: string[] = [];
  const deletes: string[] = [];
  const declares: string[] = [];
  const rules: string[] = [];
  const addElementsOf = new Map<string, string[]>();
  const dropElementsOf = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string): void => { m.set(k, [...(m.get(k) ?? []), v]); };

  if (nodeIPs.join() !== previous.nodeIPs.join()) {
    dropElements.push(`flush set ${TABLE} ${NODEPORT_IPS_SET}`);
    for (const ip of nodeIPs) push(addElementsOf, NODEPORT_IPS_SET, ip);
  }
  if (clusterCIDRs.join() !== previous.clusterCIDRs.join()) {
    dropElements.push(`flush set ${TABLE} ${CLUSTER_CIDRS_SET}`);
    for (const c of clusterCIDRs) push(addElementsOf, CLUSTER_CIDRS_SET, c);
  }

  for (const key of [...changed].sort()) {
    const sp = state.servicePorts.get(key);
    const before = previous.ports.get(key);
    const after = sp ? buildPortRules(sp, ctx) : undefined;
    if (after) written.ports.set(key, after); else written.ports.delete(key);

    const oldElements = new Map((before?.elements ?? []).map((e) => [ownerKey(e), e]));
    const newElements = new Map((after?.elements ?? []).map((e) => [ownerKey(e), e]));
    for (const [k, e] of oldElements) {
      const next = newElements.get(k);
      if (next && next.value === e.value) continue;
      if (written.elementOwners.get(k) !== key) continue;
      written.elementOwners.delete(k);
      push(dropElementsOf, e.map, e.key);
    }
    for (const [k, e] of newElements) {
      const prev = oldElements.get(k);
      const owner = written.elementOwners.get(k);
      if (prev && prev.value === e.value && owner === key) continue;
      if (owner !== undefined && owner !== key) continue;
      written.elementOwners.set(k, key);
      push(addElementsOf, e.map, `${e.key} : ${e.value}`);
    }

    const oldSets = before?.affinitySets ?? new Map<string, number>();
    const newSets = after?.affinitySets ?? new Map<string, number>();
    const droppedSets = [...oldSets].filter(([name, timeout]) => newSets.get(name) !== timeout).map(([name]) => name);
    // A set is deleted only once no rule uses it: rewrite every chain of the port then.
    const unchanged = (prev: readonly string[] | undefined, next: readonly string[] | undefined): boolean =>
      droppedSets.length === 0 && prev !== undefined && next !== undefined && sameRules(prev, next);
    const oldChains = before?.chains ?? new Map<string, string[]>();
    const newChains = after?.chains ?? new Map<string, string[]>();
    for (const [name, body] of oldChains) {
      const next = newChains.get(name);
      if (unchanged(body, next)) continue;
      flushChains.push(`flush chain ${TABLE} ${name}`);
      if (!next) deletes.push(`delete chain ${TABLE} ${name}`);
    }
    for (const name of droppedSets) deletes.push(`delete set ${TABLE} ${name}`);
    for (const [name, timeout] of newSets) if (oldSets.get(name) !== timeout) declares.push(affinitySetCommand(name, timeout));
    for (const [name, body] of newChains) {
      const prev = oldChains.get(name);
      if (unchanged(prev, body)) continue;
      if (!prev) declares.push(`add chain ${TABLE} ${name}`);
      for (const r of body) rules.push(`add rule ${TABLE} ${name} ${r}`);
    }

    for (const ip of before?.hairpinIPs ?? []) {
      const n = (written.hairpinRefs.get(ip) ?? 0) - 1;
      if (n > 0) written.hairpinRefs.set(ip, n); else written.hairpinRefs.delete(ip);
    }
    for (const ip of after?.hairpinIPs ?? []) written.hairpinRefs.set(ip, (written.hairpinRefs.get(ip) ?? 0) + 1);
  }
  for (const ip of previous.hairpinRefs.keys()) if (!written.hairpinRefs.has(ip)) push(dropElementsOf, HAIRPIN_SET, hairpinPair(ip));
  for (const ip of written.hairpinRefs.keys()) if (!previous.hairpinRefs.has(ip)) push(addElementsOf, HAIRPIN_SET, hairpinPair(ip));

  const lines = [
    ...[...dropElementsOf].flatMap(([target, keys]) => deleteElements(target, keys)),
    ...dropElements, ...flushChains, ...deletes, ...declares, ...rules,
    ...[...addElementsOf].flatMap(([target, items]) => addElements(target, items)),
  ];
  return { text: lines.length ? lines.join('\n') + '\n' : '', written };
}

function sameRules(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}
