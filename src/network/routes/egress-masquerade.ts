// The node's egress masquerade as nftables text (pure): pod traffic from the cluster CIDR to any
// address outside it leaves with the node's address; pod-to-pod traffic (destination inside the
// cluster CIDR, on this node or another) keeps its source, so a pod sees its peer's pod IP.
// Multicast is left alone, as flannel does. The proxy's Service masquerading is separate (its own
// table); this table only ever holds this one chain.
//
// The text replaces the whole table in one `nft -f` transaction (create, delete, recreate), so
// applying it again repairs any drift and never leaves a moment without the rule.
import { parseIPv4CIDR } from './cidr.js';

export const NODE_TABLE = 'capstan-node';

/** The full `ip capstan-node` table; throws on a cluster CIDR that is not IPv4. */
export function egressMasqueradeRuleset(clusterCIDRs: readonly string[]): string {
  const nets = clusterCIDRs.map((c) => {
    const net = parseIPv4CIDR(c);
    if (!net) throw new Error(`invalid IPv4 cluster CIDR "${c}"`);
    return net.text;
  });
  const set = nets.length === 1 ? nets[0]! : `{ ${nets.join(', ')} }`;
  const rules = nets.length
    ? [`\t\tip saddr ${set} ip daddr != ${set} ip daddr != 224.0.0.0/4 masquerade fully-random`]
    : [];
  return [
    `table ip ${NODE_TABLE} {}`,
    `delete table ip ${NODE_TABLE}`,
    `table ip ${NODE_TABLE} {`,
    '\tchain postrouting {',
    '\t\ttype nat hook postrouting priority srcnat; policy accept;',
    ...rules,
    '\t}',
    '}',
    '',
  ].join('\n');
}

/** Removes the table (after `capstan killall`); harmless when it is absent. */
export function deleteNodeTableRuleset(): string {
  return `table ip ${NODE_TABLE} {}\ndelete table ip ${NODE_TABLE}\n`;
}
