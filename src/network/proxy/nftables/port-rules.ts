// What one service port needs in the `ip capstan-proxy` table, as plain data: its chains with
// their rules, its sessionAffinity sets, its map elements and its hairpin endpoints. Pure: the
// full and incremental renderers (ruleset.ts) turn these into nft commands and diff them.
//
// Shape (modelled on kube-proxy's nftables mode, reasons in the comments below):
// - `service-…` chain, reached from `service-ips` for each cluster IP: masquerade traffic from
//   outside the cluster CIDRs, then balance over clusterEndpoints() (internalTrafficPolicy).
// - `external-…` chain, reached from `service-ips` for externalIPs / load-balancer IPs and from
//   `service-nodeports`: Cluster policy masquerades and balances over every usable endpoint;
//   Local policy keeps the client's address and balances over the local ones only, but sends
//   pods and the node itself to the service chain (as upstream: they are inside the cluster).
// - Balancing: endpoint i of n is taken by `numgen random mod (n-i) 0` (each rule draws anew, so
//   every endpoint gets 1/n), the last one unconditionally. Each endpoint's DNAT sits in that
//   rule instead of a chain per endpoint, and no rule holds an anonymous set: both made a
//   5,000-service table much slower to load and to update (nft loads every chain of the table
//   before each transaction; every anonymous set costs a scan of the table's sets).
// - Hairpin (a pod reaching itself through the VIP) is masqueraded in nat-postrouting by the
//   `hairpin-endpoints` set of `ip . ip` pairs, which matches exactly "source == chosen endpoint".
// - No usable endpoint at all: the addresses go to `no-endpoint-services` / `-nodeports`, which
//   the filter chains reject (TCP reset, ICMP port unreachable). A Local policy with endpoints
//   elsewhere only drops, as upstream ("has no local endpoints").
import { clusterEndpoints, externalEndpoints, type EndpointInfo, type ServicePortInfo } from '../model.js';
import {
  affinitySetName, CLUSTER_CIDRS_SET, externalChainName, MARK_MASQ_CHAIN, NO_ENDPOINT_NODEPORTS_MAP,
  NO_ENDPOINT_SERVICES_MAP, REJECT_CHAIN, SERVICE_IPS_MAP, SERVICE_NODEPORTS_MAP, serviceChainName,
  type ElementMap,
} from './names.js';

export interface MapElement {
  map: ElementMap;
  /** The element's key as nft writes it, e.g. `10.43.0.1 . tcp . 80`. */
  key: string;
  /** The verdict, e.g. `goto service-…`. */
  value: string;
}

export interface PortRules {
  /** Chain name → rule bodies, in order. */
  chains: Map<string, string[]>;
  /** Affinity set name → timeout in seconds. */
  affinitySets: Map<string, number>;
  elements: MapElement[];
  /** Endpoint IPs whose hairpin traffic must be masqueraded. */
  hairpinIPs: string[];
}

export interface PortContext {
  /** Whether the cluster CIDRs are known (the `cluster-cidrs` set is not empty). */
  hasClusterCIDRs: boolean;
}

/** This backend programs IPv4 only (one `ip` table). */
export function isIPv4(address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address);
}

const EMPTY: PortRules = { chains: new Map(), affinitySets: new Map(), elements: [], hairpinIPs: [] };

/** The rules of one service port; a headless one (no cluster IPs) has none. */
export function buildPortRules(sp: ServicePortInfo, ctx: PortContext): PortRules {
  const clusterIPs = sp.clusterIPs.filter(isIPv4);
  if (clusterIPs.length === 0) return EMPTY;
  const proto = sp.protocol.toLowerCase();
  const externalIPs = uniq([...sp.externalIPs, ...sp.loadBalancerIPs].filter(isIPv4));
  const hasExternal = externalIPs.length > 0 || sp.nodePort !== undefined;
  const ipKey = (ip: string): string => `${ip} . ${proto} . ${sp.port}`;
  const nodePortKey = `${proto} . ${sp.nodePort}`;

  const anyEndpoints = clusterEndpoints({ ...sp, internalTrafficLocal: false }).filter((e) => isIPv4(e.ip));
  const out: PortRules = { chains: new Map(), affinitySets: new Map(), elements: [], hairpinIPs: [] };
  if (anyEndpoints.length === 0) {
    const reject = `goto ${REJECT_CHAIN}`;
    for (const ip of uniq([...clusterIPs, ...externalIPs])) out.elements.push({ map: NO_ENDPOINT_SERVICES_MAP, key: ipKey(ip), value: reject });
    if (sp.nodePort !== undefined) out.elements.push({ map: NO_ENDPOINT_NODEPORTS_MAP, key: nodePortKey, value: reject });
    return out;
  }

  const used = new Map<string, EndpointInfo>();
  const dispatch = (endpoints: EndpointInfo[]): string[] => {
    const eps = endpoints.filter((e) => isIPv4(e.ip));
    if (eps.length === 0) return ['drop'];
    for (const e of eps) used.set(`${e.ip}:${e.port}`, e);
    return dispatchRules(sp, proto, eps);
  };

  const serviceChain = serviceChainName(sp);
  const masqueradeOffCluster = ctx.hasClusterCIDRs ? [`ip saddr != @${CLUSTER_CIDRS_SET} jump ${MARK_MASQ_CHAIN}`] : [];
  out.chains.set(serviceChain, [...masqueradeOffCluster, ...dispatch(clusterEndpoints(sp))]);
  for (const ip of clusterIPs) out.elements.push({ map: SERVICE_IPS_MAP, key: ipKey(ip), value: `goto ${serviceChain}` });

  if (hasExternal) {
    const externalChain = externalChainName(sp);
    const rules = sp.externalTrafficLocal
      ? [
          ...(ctx.hasClusterCIDRs ? [`ip saddr @${CLUSTER_CIDRS_SET} goto ${serviceChain}`] : []),
          `fib saddr type local jump ${MARK_MASQ_CHAIN}`,
          `fib saddr type local goto ${serviceChain}`,
          ...dispatch(externalEndpoints(sp)),
        ]
      : [`jump ${MARK_MASQ_CHAIN}`, ...dispatch(externalEndpoints(sp))];
    out.chains.set(externalChain, rules);
    for (const ip of externalIPs) {
      if (!clusterIPs.includes(ip)) out.elements.push({ map: SERVICE_IPS_MAP, key: ipKey(ip), value: `goto ${externalChain}` });
    }
    if (sp.nodePort !== undefined) out.elements.push({ map: SERVICE_NODEPORTS_MAP, key: nodePortKey, value: `goto ${externalChain}` });
  }

  for (const e of used.values()) {
    out.hairpinIPs.push(e.ip);
    if (sp.sessionAffinityTimeoutSeconds !== undefined) out.affinitySets.set(affinitySetName(sp, e.ip, e.port), sp.sessionAffinityTimeoutSeconds);
  }
  out.hairpinIPs = uniq(out.hairpinIPs);
  return out;
}

/**
 * Rules that pick one of `eps` and DNAT to it. With sessionAffinity, a client address found in an
 * endpoint's set goes back there first (and refreshes its timeout), as upstream's `affinity-` sets.
 */
function dispatchRules(sp: ServicePortInfo, proto: string, eps: EndpointInfo[]): string[] {
  const affinity = sp.sessionAffinityTimeoutSeconds !== undefined;
  const sets = new Map(affinity ? eps.map((e) => [e, affinitySetName(sp, e.ip, e.port)]) : []);
  const action = (e: EndpointInfo): string => {
    const remember = affinity ? `update @${sets.get(e)} { ip saddr } ` : '';
    return `${remember}meta l4proto ${proto} dnat to ${e.ip}:${e.port}`;
  };
  const rules: string[] = [];
  if (affinity) for (const e of eps) rules.push(`ip saddr @${sets.get(e)} ${action(e)}`);
  eps.forEach((e, i) => {
    const remaining = eps.length - i;
    rules.push(remaining > 1 ? `numgen random mod ${remaining} 0 ${action(e)}` : action(e));
  });
  return rules;
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
