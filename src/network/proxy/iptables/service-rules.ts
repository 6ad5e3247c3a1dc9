// The iptables rules of one service port for one IP family, as upstream kube-proxy's iptables
// mode lays them out (pkg/proxy/iptables/proxier.go, syncProxyRules):
//
//   nat CAPSTAN-SERVICES   -d <clusterIP> --dport <port>      -j SVC (or SVL for internalTrafficPolicy Local)
//                          -d <externalIP|lbIP> --dport <port> -j EXT
//   nat CAPSTAN-NODEPORTS  --dport <nodePort>                 -j EXT
//   nat CAPSTAN-EXT-<h>    ETP Cluster: mark for masquerade, then SVC.
//                          ETP Local: pod sources → SVC (short circuit); node-local sources → mark + SVC; rest → SVL
//   nat CAPSTAN-SVC-<h>    off-cluster sources to the cluster IP → mark; [affinity `recent --rcheck`];
//                          `statistic --mode random --probability 1/(n-i)` → SEP …
//   nat CAPSTAN-SVL-<h>    the same over this node's endpoints only (no off-cluster masquerade)
//   nat CAPSTAN-SEP-<h>    the endpoint itself as source (hairpin) → mark; [`recent --set`]; DNAT
//   filter CAPSTAN-SERVICES / CAPSTAN-EXTERNAL-SERVICES: REJECT when the port has no usable
//                          endpoint at all, DROP when it has some but none for that traffic policy.
//
// Which endpoints serve is the model's decision (clusterEndpoints/externalEndpoints); this file
// only restricts them to the family. Pure: a ServicePortInfo in, rule lines out.
import { clusterEndpoints, externalEndpoints, type EndpointInfo, type ServicePortInfo } from '../model.js';
import {
  EXTERNAL_SERVICES_CHAIN, FILTER_SERVICES_CHAIN, MARK_MASQ_CHAIN, NODEPORTS_CHAIN, SERVICES_CHAIN,
  endpointChain, endpointString, externalChain, serviceChain, serviceLocalChain,
} from './chain-names.js';

export type Family = 4 | 6;

/** What the rules of one family depend on besides the service port itself. */
export interface FamilyOptions {
  family: Family;
  /** The cluster CIDR of this family: sources outside it are "off-cluster". Unset: no off-cluster masquerade. */
  clusterCIDR?: string;
}

export interface NatChain {
  name: string;
  /** Complete restore lines (`-A <name> …`). */
  lines: string[];
}

/** Everything one service port contributes to a restore, for one family. */
export interface ServicePortRules {
  key: string;
  /** The port's own nat chains (SVC, SVL, EXT, SEP…), each written whole. */
  chains: NatChain[];
  /** Lines for the shared dispatch chains, rewritten on every sync. */
  natServices: string[];
  natNodePorts: string[];
  filterServices: string[];
  filterExternal: string[];
}

export function familyOf(ip: string): Family {
  return ip.includes(':') ? 6 : 4;
}

export function rejectTarget(family: Family): string {
  return `REJECT --reject-with ${family === 6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'}`;
}

function comment(text: string): string {
  return `-m comment --comment "${text.replace(/["\\]/g, '')}"`;
}

function protoMatch(sp: ServicePortInfo): string {
  const p = sp.protocol.toLowerCase();
  return `-p ${p} -m ${p}`;
}

/** Upstream's ServicePortName string: `namespace/name` plus `:portName` when named. */
export function servicePortName(sp: ServicePortInfo): string {
  return `${sp.namespace}/${sp.name}${sp.portName ? `:${sp.portName}` : ''}`;
}

function sortEndpoints(eps: EndpointInfo[]): EndpointInfo[] {
  return [...eps].sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}

/** 1/n with ten decimals, as upstream writes probabilities. */
function probability(n: number): string {
  return (1 / n).toFixed(10);
}

/** Balancing rules of a policy chain (SVC or SVL) over `eps`, with ClientIP affinity first. */
function balancingLines(chain: string, sp: ServicePortInfo, eps: EndpointInfo[], name: string): string[] {
  const lines: string[] = [];
  const targets = eps.map((e) => ({ sep: endpointChain(sp.key, e.ip, e.port), text: `${name} -> ${endpointString(e.ip, e.port)}` }));
  if (sp.sessionAffinityTimeoutSeconds !== undefined) {
    for (const t of targets) {
      lines.push(`-A ${chain} ${comment(t.text)} -m recent --name ${t.sep} --rcheck --seconds ${sp.sessionAffinityTimeoutSeconds} --reap -j ${t.sep}`);
    }
  }
  targets.forEach((t, i) => {
    const left = targets.length - i;
    const pick = left > 1 ? ` -m statistic --mode random --probability ${probability(left)}` : '';
    lines.push(`-A ${chain} ${comment(t.text)}${pick} -j ${t.sep}`);
  });
  return lines;
}

function endpointChainOf(sp: ServicePortInfo, e: EndpointInfo, name: string): NatChain {
  const sep = endpointChain(sp.key, e.ip, e.port);
  const affinity = sp.sessionAffinityTimeoutSeconds !== undefined ? ` -m recent --name ${sep} --set` : '';
  return {
    name: sep,
    lines: [
      `-A ${sep} ${comment(name)} -s ${e.ip} -j ${MARK_MASQ_CHAIN}`,
      `-A ${sep} ${comment(name)}${affinity} ${protoMatch(sp)} -j DNAT --to-destination ${endpointString(e.ip, e.port)}`,
    ],
  };
}

/**
 * The rules of `sp` for `opts.family`; undefined when the port has none in this family (a
 * headless Service, or no cluster IP of this family).
 */
export function servicePortRules(sp: ServicePortInfo, opts: FamilyOptions): ServicePortRules | undefined {
  const { family, clusterCIDR } = opts;
  const clusterIP = sp.clusterIPs.find((ip) => familyOf(ip) === family);
  if (!clusterIP) return undefined;
  const inFamily: ServicePortInfo = { ...sp, endpoints: sp.endpoints.filter((e) => familyOf(e.ip) === family) };
  const allEps = sortEndpoints(clusterEndpoints({ ...inFamily, internalTrafficLocal: false }));
  const localEps = sortEndpoints(clusterEndpoints({ ...inFamily, internalTrafficLocal: true }));
  const hasInternal = clusterEndpoints(inFamily).length > 0;
  const hasExternal = externalEndpoints(inFamily).length > 0;
  const externalIPs = sp.externalIPs.filter((ip) => familyOf(ip) === family);
  const lbIPs = sp.loadBalancerIPs.filter((ip) => familyOf(ip) === family);
  const nodePort = sp.nodePort && sp.nodePort > 0 ? sp.nodePort : undefined;
  const externallyAccessible = nodePort !== undefined || externalIPs.length > 0 || lbIPs.length > 0;

  // Upstream's UsesClusterEndpoints / UsesLocalEndpoints: the cluster chain also backs the
  // short circuit of ETP Local, so an externally reachable port always needs it.
  const usesClusterChain = allEps.length > 0 && (!sp.internalTrafficLocal || externallyAccessible);
  const usesLocalChain = localEps.length > 0 && (sp.internalTrafficLocal || (sp.externalTrafficLocal && externallyAccessible));
  const reachable = new Map<string, EndpointInfo>();
  for (const e of usesClusterChain ? allEps : []) reachable.set(endpointString(e.ip, e.port), e);
  for (const e of usesLocalChain ? localEps : []) reachable.set(endpointString(e.ip, e.port), e);
  const hasEndpoints = reachable.size > 0;

  const name = servicePortName(sp);
  const svc = serviceChain(sp.key);
  const svl = serviceLocalChain(sp.key);
  const ext = externalChain(sp.key);
  const proto = protoMatch(sp);
  const internalChain = sp.internalTrafficLocal ? svl : svc;
  const externalPolicyChain = sp.externalTrafficLocal ? svl : svc;
  const out: ServicePortRules = { key: sp.key, chains: [], natServices: [], natNodePorts: [], filterServices: [], filterExternal: [] };
  const reject = rejectTarget(family);

  // Cluster IP.
  if (hasInternal) {
    out.natServices.push(`-A ${SERVICES_CHAIN} ${comment(`${name} cluster IP`)} ${proto} -d ${clusterIP} --dport ${sp.port} -j ${internalChain}`);
  } else {
    const why = hasEndpoints ? 'has no local endpoints' : 'has no endpoints';
    out.filterServices.push(`-A ${FILTER_SERVICES_CHAIN} ${comment(`${name} ${why}`)} ${proto} -d ${clusterIP} --dport ${sp.port} -j ${hasEndpoints ? 'DROP' : reject}`);
  }

  // External IPs, LB IPs, NodePort: into EXT when anything can serve, filtered when nothing serves
  // external traffic (DROP what the EXT chain did not short-circuit, REJECT when nothing serves at all).
  const externalFilter = hasEndpoints ? 'DROP' : reject;
  const externalWhy = hasEndpoints ? 'has no local endpoints' : 'has no endpoints';
  for (const [ips, what] of [[externalIPs, 'external IP'], [lbIPs, 'loadbalancer IP']] as const) {
    for (const ip of ips) {
      if (hasEndpoints) out.natServices.push(`-A ${SERVICES_CHAIN} ${comment(`${name} ${what}`)} ${proto} -d ${ip} --dport ${sp.port} -j ${ext}`);
      if (!hasExternal) out.filterExternal.push(`-A ${EXTERNAL_SERVICES_CHAIN} ${comment(`${name} ${externalWhy}`)} ${proto} -d ${ip} --dport ${sp.port} -j ${externalFilter}`);
    }
  }
  if (nodePort !== undefined) {
    if (hasEndpoints) out.natNodePorts.push(`-A ${NODEPORTS_CHAIN} ${comment(name)} ${proto} --dport ${nodePort} -j ${ext}`);
    if (!hasExternal) out.filterExternal.push(`-A ${EXTERNAL_SERVICES_CHAIN} ${comment(`${name} ${externalWhy}`)} -m addrtype --dst-type LOCAL ${proto} --dport ${nodePort} -j ${externalFilter}`);
  }

  if (hasEndpoints && externallyAccessible) {
    const lines: string[] = [];
    if (!sp.externalTrafficLocal) {
      lines.push(`-A ${ext} ${comment(`masquerade traffic for ${name} external destinations`)} -j ${MARK_MASQ_CHAIN}`);
    } else {
      // Pods of the cluster reaching an external address are treated as cluster traffic (as if
      // they had gone out to the load balancer and back); the node itself must be masqueraded,
      // since its source would be the very address it connects to.
      if (clusterCIDR) lines.push(`-A ${ext} ${comment(`pod traffic for ${name} external destinations`)} -s ${clusterCIDR} -j ${svc}`);
      lines.push(`-A ${ext} ${comment(`masquerade LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${MARK_MASQ_CHAIN}`);
      lines.push(`-A ${ext} ${comment(`route LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`);
    }
    if (hasExternal) lines.push(`-A ${ext} -j ${externalPolicyChain}`);
    out.chains.push({ name: ext, lines });
  }

  if (usesClusterChain) {
    const lines: string[] = [];
    if (clusterCIDR) lines.push(`-A ${svc} ${comment(`${name} cluster IP`)} ${proto} -d ${clusterIP} --dport ${sp.port} ! -s ${clusterCIDR} -j ${MARK_MASQ_CHAIN}`);
    lines.push(...balancingLines(svc, sp, allEps, name));
    out.chains.push({ name: svc, lines });
  }
  if (usesLocalChain) out.chains.push({ name: svl, lines: balancingLines(svl, sp, localEps, name) });
  for (const e of sortEndpoints([...reachable.values()])) {
    out.chains.push(endpointChainOf(sp, e, name));
  }
  return out;
}
