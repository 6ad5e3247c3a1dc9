// The built-in pod network (used when no CNI conf dir is given): a pure function of the node's
// pod CIDR(s) and a few names. Plugins, in order:
// - bridge: every pod's eth0 is a veth on one Linux bridge (`capstan0`) that carries the pod
//   CIDR's first address as the pods' gateway (`isGateway`); `hairpinMode` lets a pod reach
//   itself through a Service VIP. `ipMasq` stays off: masquerading pod traffic that leaves the
//   cluster CIDR is the network layer's job (a rule matching source = pod CIDR, destination not
//   in the cluster CIDR, not going out of the bridge), so it is written once with the other
//   node rules instead of by every ADD.
// - host-local IPAM over the pod CIDR, keeping its allocations under its own data dir, and a
//   default route.
// - portmap for hostPorts (`capabilities: {portMappings: true}`), with SNAT so a hairpinned or
//   node-local connection to a hostPort gets its reply.
// The loopback network for `lo` is a separate list of one (`LOOPBACK_CONFLIST`), as containerd
// and CRI-O run it.
import { CNI_VERSION, type NetConfList } from './types.js';

export const DEFAULT_BRIDGE_NAME = 'capstan0';
export const DEFAULT_NETWORK_NAME = 'capstan';

/**
 * The pod CIDR of a node without `spec.podCIDR` (a single-node agent started without a server
 * that allocates node CIDRs): the first /24 of the default cluster CIDR 10.42.0.0/16.
 */
export const DEFAULT_POD_CIDR = '10.42.0.0/24';

/** The loopback network: brings `lo` up in the pod's namespace (CNI_IFNAME=lo). */
export const LOOPBACK_CONFLIST: NetConfList = {
  cniVersion: CNI_VERSION,
  name: 'cni-loopback',
  plugins: [{ type: 'loopback' }],
};

/**
 * Where the network layer hooks pod egress masquerading (the bridge list leaves `ipMasq` off):
 * traffic from the pod CIDRs to anywhere outside the cluster CIDR that does not leave through the
 * pods' bridge is masqueraded to the node's address. Data for the rule writer, not a rule.
 */
export interface EgressMasqueradeMatch {
  sourceCIDRs: readonly string[];
  /** Destinations never masqueraded (pod-to-pod traffic keeps its source). */
  excludedDestinationCIDRs: readonly string[];
  /** Output interface never masqueraded. */
  excludedOutInterface: string;
}

export function egressMasqueradeMatch(podCIDRs: readonly string[], clusterCIDRs: readonly string[], bridgeName = DEFAULT_BRIDGE_NAME): EgressMasqueradeMatch {
  return { sourceCIDRs: podCIDRs.map((c) => parseCIDR(c).subnet), excludedDestinationCIDRs: clusterCIDRs.map((c) => parseCIDR(c).subnet), excludedOutInterface: bridgeName };
}

export interface BridgeConflistOptions {
  /** The node's pod CIDR(s) (`spec.podCIDRs`, or `spec.podCIDR`); defaults to DEFAULT_POD_CIDR. */
  podCIDRs?: readonly string[];
  bridgeName?: string;
  networkName?: string;
  /** host-local's state dir (it keeps one folder per network name inside). */
  ipamDataDir: string;
}

/** The built-in list; throws on a malformed CIDR (e.g. `10.0.0.0/33`). */
export function bridgeConflist(options: BridgeConflistOptions): NetConfList {
  const cidrs = options.podCIDRs?.length ? options.podCIDRs : [DEFAULT_POD_CIDR];
  const subnets = cidrs.map(parseCIDR);
  const routes = [...new Set(subnets.map((s) => (s.family === 4 ? '0.0.0.0/0' : '::/0')))].map((dst) => ({ dst }));
  return {
    cniVersion: CNI_VERSION,
    name: options.networkName ?? DEFAULT_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: options.bridgeName ?? DEFAULT_BRIDGE_NAME,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: subnets.map((s) => [{ subnet: s.subnet, gateway: s.firstAddress }]),
          routes,
          dataDir: options.ipamDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

export interface ParsedCIDR {
  family: 4 | 6;
  /** The network in canonical form (host bits cleared), e.g. `10.42.3.0/24`. */
  subnet: string;
  /** The first usable address (network + 1): the pods' gateway on the bridge. */
  firstAddress: string;
  prefix: number;
}

/** Parses an IPv4 or IPv6 CIDR; throws on anything else or a prefix that leaves no host addresses. */
export function parseCIDR(cidr: string): ParsedCIDR {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!m) throw new Error(`invalid CIDR address: ${cidr}`);
  const family: 4 | 6 = m[1]!.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  const prefix = Number(m[2]);
  const value = family === 4 ? parseIPv4(m[1]!) : parseIPv6(m[1]!);
  if (value === undefined || prefix > bits) throw new Error(`invalid CIDR address: ${cidr}`);
  if (prefix > bits - 2) throw new Error(`CIDR ${cidr} is too small for pods`);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  const network = value & mask;
  const format = family === 4 ? formatIPv4 : formatIPv6;
  return { family, subnet: `${format(network)}/${prefix}`, firstAddress: format(network + 1n), prefix };
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function formatIPv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((v >> shift) & 255n)).join('.');
}

function parseIPv6(s: string): bigint | undefined {
  if (s.includes('.')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function formatIPv6(v: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt((7 - i) * 16)) & 0xffffn));
  // The longest run of two or more zero groups becomes `::` (RFC 5952).
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { start: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`;
}
