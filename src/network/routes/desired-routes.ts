// Host-gateway routing as pure functions (flannel's host-gw backend, simplified): every other
// Node's pod CIDR is reached through that Node's InternalIP, which must be on a link this node
// shares (one L2 segment). The I/O loop (node-routes.ts) reads Nodes from an informer and the
// kernel's routes from `ip -j route show`, and applies what `diffRoutes` returns.
//
// Contracts:
// - Only IPv4 pod CIDRs inside the cluster CIDR get routes: a Node object can never steer the
//   node's default route or any address outside the pod network.
// - A pod CIDR claimed by two Nodes goes to the one whose name sorts first (deterministic on
//   every node); the node's own pod CIDR never gets a route (the CNI bridge serves it).
// - Routes are tagged with ROUTE_PROTOCOL so exactly ours are found, replaced and removed.
import type { Node } from '../../api/index.js';
import { cidrContains, parseIPv4, parseIPv4CIDR, type IPv4Net } from './cidr.js';

/** The rtnetlink protocol number of Capstan's node routes (`ip route … proto 67`; unassigned in iproute2's rt_protos). */
export const ROUTE_PROTOCOL = 67;

/** One host-gateway route: `<dst> via <via>`, for the pod CIDR of `node`. */
export interface NodeRoute {
  dst: string;
  via: string;
  node: string;
}

/** A route of ours the kernel has (`ip -j route show table main`, filtered to ROUTE_PROTOCOL). */
export interface InstalledRoute {
  dst: string;
  via?: string;
}

/** The node's pod CIDRs: spec.podCIDRs, else spec.podCIDR. */
export function podCIDRsOf(node: Node): string[] {
  const spec = node.spec ?? {};
  return spec.podCIDRs?.length ? spec.podCIDRs : spec.podCIDR ? [spec.podCIDR] : [];
}

/** The first IPv4 InternalIP in status.addresses. */
export function internalIPv4Of(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP' && a.address !== undefined && parseIPv4(a.address) !== undefined)?.address;
}

/** The routes this node (`selfName`) should have to reach every other Node's pods. */
export function desiredRoutes(nodes: readonly Node[], selfName: string, clusterCIDRs: readonly string[]): NodeRoute[] {
  const clusters = clusterCIDRs.map(parseIPv4CIDR).filter((c): c is IPv4Net => c !== undefined);
  const self = nodes.find((n) => n.metadata?.name === selfName);
  const ownCIDRs = new Set((self ? podCIDRsOf(self) : []).map((c) => parseIPv4CIDR(c)?.text).filter(Boolean));
  const selfIP = self ? internalIPv4Of(self) : undefined;
  const byDst = new Map<string, NodeRoute>();
  const sorted = [...nodes].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const node of sorted) {
    const name = node.metadata?.name ?? '';
    if (!name || name === selfName) continue;
    const via = internalIPv4Of(node);
    if (!via || via === selfIP) continue;
    for (const cidr of podCIDRsOf(node)) {
      const net = parseIPv4CIDR(cidr);
      if (!net || ownCIDRs.has(net.text) || byDst.has(net.text)) continue;
      if (!clusters.some((c) => cidrContains(c, net))) continue;
      byDst.set(net.text, { dst: net.text, via, node: name });
    }
  }
  return [...byDst.values()].sort((a, b) => a.dst.localeCompare(b.dst));
}

/** Our routes in `ip -j route show table main` output (a JSON array); other protocols are ignored. */
export function parseInstalledRoutes(json: string): InstalledRoute[] {
  const text = json.trim();
  if (!text) return [];
  const rows = JSON.parse(text) as { dst?: string; gateway?: string; protocol?: string | number }[];
  const out: InstalledRoute[] = [];
  for (const r of rows) {
    if (String(r.protocol) !== String(ROUTE_PROTOCOL) || !r.dst) continue;
    // The kernel prints a host route's dst without "/32".
    const dst = parseIPv4CIDR(r.dst.includes('/') ? r.dst : `${r.dst}/32`)?.text;
    if (dst) out.push({ dst, via: r.gateway });
  }
  return out;
}

export interface RouteChanges {
  /** Routes to add or to point at a new gateway (`ip route replace`). */
  replace: NodeRoute[];
  /** Destinations of our routes that no Node calls for any more (`ip route del … proto 67`). */
  remove: string[];
}

export function diffRoutes(desired: readonly NodeRoute[], installed: readonly InstalledRoute[]): RouteChanges {
  const have = new Map(installed.map((r) => [r.dst, r.via]));
  const want = new Set(desired.map((r) => r.dst));
  return {
    replace: desired.filter((r) => have.get(r.dst) !== r.via || !have.has(r.dst)),
    remove: [...have.keys()].filter((dst) => !want.has(dst)).sort(),
  };
}

/** The `ip -batch` lines that apply `changes` (one `ip` process for the whole sync). */
export function routeBatch(changes: RouteChanges): string {
  const lines = [
    ...changes.remove.map((dst) => `route del ${dst} proto ${ROUTE_PROTOCOL}`),
    ...changes.replace.map((r) => `route replace ${r.dst} via ${r.via} proto ${ROUTE_PROTOCOL}`),
  ];
  return lines.length ? `${lines.join('\n')}\n` : '';
}
