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
import { createHash } from 'node:crypto';
import type { ProxyState } from '../model.js';
import { CLUSTER_CIDRS_SET, HAIRPIN_SET, NODEPORT_IPS_SET, TABLE, type ElementMap } from './names.js';
import { MAPS, skeleton } from './table-skeleton.js';
import { buildPortRules, isIPv4, type MapElement, type PortRules } from './port-rules.js';

/**
 * What one service port has in the kernel. Chains are kept as a digest of their rules, not the
 * rules: diffing needs only equality, and at 5,000 Services the rule text would cost the agent
 * ~15 MB of its memory budget.
 */
export interface WrittenPort {
  /** [chain name, digest of its rules]; arrays, not Maps, because most ports have one or two. */
  chains: readonly (readonly [string, string])[];
  /** [affinity set name, timeout in seconds] */
  affinitySets: readonly (readonly [string, number])[];
  elements: MapElement[];
  hairpinIPs: string[];
}

/** What the backend has written, to diff the next change against. */
export interface Written {
  nodeIPs: string[];
  clusterCIDRs: string[];
  ports: Map<string, WrittenPort>;
  /** `map|key` → the service-port key whose element holds it. */
  elementOwners: Map<string, string>;
  /** Endpoint IP → how many service ports list it for hairpin. */
  hairpinRefs: Map<string, number>;
}

export interface Transaction {
  text: string;
  written: Written;
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
    // NodePorts on 127.0.0.0/8 would need route_localnet (as upstream's nftables mode, not offered).
    nodeIPs: [...new Set(state.nodeIPs.filter((ip) => isIPv4(ip) && !ip.startsWith('127.')))].sort(),
    clusterCIDRs: [...new Set(state.clusterCIDRs.filter((c) => isIPv4(c.split('/')[0])))].sort(),
  };
}

const hairpinPair = (ip: string): string => `${ip} . ${ip}`;

/** 128 bits of sha256 over the rules: a collision (a missed rewrite) is not a practical concern. */
function digestRules(rules: readonly string[]): string {
  return createHash('sha256').update(rules.join('\n')).digest('base64').slice(0, 22);
}

const NONE: readonly never[] = [];

function summarize(rules: PortRules): WrittenPort {
  return {
    chains: rules.chains.size ? [...rules.chains].map(([name, body]) => [name, digestRules(body)] as const) : NONE,
    affinitySets: rules.affinitySets.size ? [...rules.affinitySets] : NONE,
    elements: rules.elements,
    hairpinIPs: rules.hairpinIPs,
  };
}
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
    written.ports.set(key, summarize(rules));
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
    const newChains = new Set([...written.ports.values()].flatMap((p) => p.chains.map(([name]) => name)));
    const newSets = new Set([...written.ports.values()].flatMap((p) => p.affinitySets.map(([name]) => name)));
    for (const p of previous.ports.values()) {
      for (const [name] of p.chains) if (!newChains.has(name)) lines.push(`delete chain ${TABLE} ${name}`);
      for (const [name] of p.affinitySets) if (!newSets.has(name)) lines.push(`delete set ${TABLE} ${name}`);
    }
  }
  return { text: lines.join('\n') + '\n', written };
}

function affinitySetCommand(name: string, timeoutSeconds: number): string {
  return `add set ${TABLE} ${name} { type ipv4_addr ; flags dynamic,timeout ; timeout ${timeoutSeconds}s ; }`;
}

export interface IncrementalOptions {
  /**
   * Update `previous` itself instead of a copy: O(changed) instead of O(all ports) per call. Only
   * for a caller that drops `previous` when the transaction fails (the backend does).
   */
  inPlace?: boolean;
}

/**
 * One transaction changing only the service ports in `changed` (and the node IPs / cluster CIDRs
 * when they moved). Text is '' when nothing differs. Undefined: do a full render instead.
 */
export function renderIncremental(previous: Written, state: ProxyState, changed: ReadonlySet<string>, options: IncrementalOptions = {}): Transaction | undefined {
  const { nodeIPs, clusterCIDRs } = globalsOf(state);
  if ((clusterCIDRs.length > 0) !== (previous.clusterCIDRs.length > 0)) return undefined;
  const ctx = { hasClusterCIDRs: clusterCIDRs.length > 0 };
  const previousNodeIPs = previous.nodeIPs;
  const previousCIDRs = previous.clusterCIDRs;
  const written: Written = options.inPlace
    ? Object.assign(previous, { nodeIPs, clusterCIDRs })
    : {
        nodeIPs, clusterCIDRs, ports: new Map(previous.ports),
        elementOwners: new Map(previous.elementOwners), hairpinRefs: new Map(previous.hairpinRefs),
      };
  /** Hairpin IPs touched here → their reference count before. */
  const hairpinBefore = new Map<string, number>();
  const touchHairpin = (ip: string, delta: number): void => {
    const n = written.hairpinRefs.get(ip) ?? 0;
    if (!hairpinBefore.has(ip)) hairpinBefore.set(ip, n);
    if (n + delta > 0) written.hairpinRefs.set(ip, n + delta); else written.hairpinRefs.delete(ip);
  };
  const dropElements: string[] = [];
  const flushChains: string[] = [];
  const deletes: string[] = [];
  const declares: string[] = [];
  const rules: string[] = [];
  const addElementsOf = new Map<string, string[]>();
  const dropElementsOf = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string): void => {
    const list = m.get(k);
    if (list) list.push(v); else m.set(k, [v]);
  };

  if (nodeIPs.join() !== previousNodeIPs.join()) {
    dropElements.push(`flush set ${TABLE} ${NODEPORT_IPS_SET}`);
    for (const ip of nodeIPs) push(addElementsOf, NODEPORT_IPS_SET, ip);
  }
  if (clusterCIDRs.join() !== previousCIDRs.join()) {
    dropElements.push(`flush set ${TABLE} ${CLUSTER_CIDRS_SET}`);
    for (const c of clusterCIDRs) push(addElementsOf, CLUSTER_CIDRS_SET, c);
  }

  for (const key of [...changed].sort()) {
    const sp = state.servicePorts.get(key);
    const before = previous.ports.get(key);
    const after = sp ? buildPortRules(sp, ctx) : undefined;
    const summary = after ? summarize(after) : undefined;
    if (summary) written.ports.set(key, summary); else written.ports.delete(key);

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

    const oldSets = new Map(before?.affinitySets ?? NONE);
    const newSets = after?.affinitySets ?? new Map<string, number>();
    const droppedSets = [...oldSets].filter(([name, timeout]) => newSets.get(name) !== timeout).map(([name]) => name);
    // A set is deleted only once no rule uses it: rewrite every chain of the port then.
    const unchanged = (prev: string | undefined, next: string | undefined): boolean =>
      droppedSets.length === 0 && prev !== undefined && prev === next;
    const oldChains = new Map(before?.chains ?? NONE);
    const newChains = new Map(summary?.chains ?? NONE);
    for (const [name, digest] of oldChains) {
      const next = newChains.get(name);
      if (unchanged(digest, next)) continue;
      flushChains.push(`flush chain ${TABLE} ${name}`);
      if (!next) deletes.push(`delete chain ${TABLE} ${name}`);
    }
    for (const name of droppedSets) deletes.push(`delete set ${TABLE} ${name}`);
    for (const [name, timeout] of newSets) if (oldSets.get(name) !== timeout) declares.push(affinitySetCommand(name, timeout));
    for (const [name, digest] of newChains) {
      const prev = oldChains.get(name);
      if (unchanged(prev, digest)) continue;
      if (!prev) declares.push(`add chain ${TABLE} ${name}`);
      for (const r of after!.chains.get(name)!) rules.push(`add rule ${TABLE} ${name} ${r}`);
    }

    for (const ip of before?.hairpinIPs ?? []) touchHairpin(ip, -1);
    for (const ip of after?.hairpinIPs ?? []) touchHairpin(ip, +1);
  }
  for (const [ip, was] of hairpinBefore) {
    const now = written.hairpinRefs.get(ip) ?? 0;
    if (was > 0 && now === 0) push(dropElementsOf, HAIRPIN_SET, hairpinPair(ip));
    if (was === 0 && now > 0) push(addElementsOf, HAIRPIN_SET, hairpinPair(ip));
  }

  const lines = [
    ...[...dropElementsOf].flatMap(([target, keys]) => deleteElements(target, keys)),
    ...dropElements, ...flushChains, ...deletes, ...declares, ...rules,
    ...[...addElementsOf].flatMap(([target, items]) => addElements(target, items)),
  ];
  return { text: lines.length ? lines.join('\n') + '\n' : '', written };
}
