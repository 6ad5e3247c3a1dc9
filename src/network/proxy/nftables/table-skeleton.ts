// The fixed part of the `ip capstan-proxy` table: its maps and sets, the base chains hooked into
// netfilter, and the helper chains every service port's rules jump to. Pure; ruleset.ts writes it
// at the start of every full transaction (every `add` of it is idempotent).
//
// Packet paths (as kube-proxy's nftables mode):
// - nat prerouting / output → `services`: cluster, external and load-balancer IPs by
//   `service-ips`, NodePorts on the node's addresses by `service-nodeports`, each a `goto` into
//   the service port's chain, which DNATs.
// - nat postrouting: hairpin pairs are marked, then `masquerading` masquerades marked packets.
// - filter input / forward / output at -110 (before DNAT in output): new connections to a
//   Service with no endpoints hit `no-endpoint-*` → `reject-chain` (TCP reset, ICMP unreachable).
import {
  CLUSTER_CIDRS_SET, ENDPOINTS_CHECK_CHAIN, HAIRPIN_SET, MARK_MASQ_CHAIN, MASQUERADE_MARK, MASQUERADING_CHAIN,
  NO_ENDPOINT_NODEPORTS_MAP, NO_ENDPOINT_SERVICES_MAP, NODEPORT_IPS_SET, REJECT_CHAIN, SERVICE_IPS_MAP,
  SERVICE_NODEPORTS_MAP, SERVICES_CHAIN, TABLE, type ElementMap,
} from './names.js';

const mark = `0x${MASQUERADE_MARK.toString(16)}`;
const IP_PROTO_PORT = 'ipv4_addr . inet_proto . inet_service';
export const MAPS: [ElementMap, string][] = [
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

export const BASE_CHAIN_NAMES = BASE_CHAINS.map(([name]) => name);

/** The fixed part: sets, maps, hooks and helper chains, in dependency order. */
export function skeleton(): string[] {
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
    // Hairpin: only a connection the proxy DNATed back to its own source (`ct status dnat`);
    // without it, every connection from an endpoint's address to itself (127.0.0.1 → 127.0.0.1
    // when the node's address is loopback, as kube-dns's endpoint can be) would be masqueraded.
    rule('nat-postrouting', `ct status dnat ip saddr . ip daddr @${HAIRPIN_SET} jump ${MARK_MASQ_CHAIN}`),
    rule('nat-postrouting', `jump ${MASQUERADING_CHAIN}`),
    rule('filter-input', `ct state new jump ${ENDPOINTS_CHECK_CHAIN}`),
    // An out-of-window packet of a DNATed flow is INVALID to conntrack and would reach the pod
    // un-NATed, which answers with a reset (kubernetes#74839): drop it, as kube-proxy.
    rule('filter-forward', 'ct state invalid drop'),
    rule('filter-forward', `ct state new jump ${ENDPOINTS_CHECK_CHAIN}`),
    rule('filter-output', `ct state new jump ${ENDPOINTS_CHECK_CHAIN}`),
  );
  return lines;
}
