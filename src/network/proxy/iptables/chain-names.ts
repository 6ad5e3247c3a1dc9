// Names of the iptables chains the proxy owns. Every chain starts with `CAPSTAN-` so `cleanup()`
// and the stale-chain sweep of a full sync can recognise ours and leave everybody else's alone.
// Per-service chains carry a hash of the service-port key, as upstream kube-proxy does
// (base32 of sha256, first 16 characters), so a name is stable across restarts and fits the
// kernel's 28-character limit for chain names. Pure; no I/O.
import { createHash } from 'node:crypto';

/** nat: dispatch by destination (cluster IPs, external IPs, LB IPs, then the NodePort tail call). */
export const SERVICES_CHAIN = 'CAPSTAN-SERVICES';
/** nat: dispatch by NodePort, reached from SERVICES for local destination addresses. */
export const NODEPORTS_CHAIN = 'CAPSTAN-NODEPORTS';
/** nat: masquerades packets carrying the masquerade mark. */
export const POSTROUTING_CHAIN = 'CAPSTAN-POSTROUTING';
/** nat: sets the masquerade mark. */
export const MARK_MASQ_CHAIN = 'CAPSTAN-MARK-MASQ';
/** filter: REJECT/DROP for cluster IPs without usable endpoints (same name as the nat chain, other table). */
export const FILTER_SERVICES_CHAIN = 'CAPSTAN-SERVICES';
/** filter: REJECT/DROP for NodePorts, external IPs and LB IPs without usable endpoints. */
export const EXTERNAL_SERVICES_CHAIN = 'CAPSTAN-EXTERNAL-SERVICES';
/** filter: accepts forwarded service traffic even when FORWARD's policy is DROP. */
export const FORWARD_CHAIN = 'CAPSTAN-FORWARD';

/** The masquerade mark bit (as kube-proxy's default --iptables-masquerade-bit=14). */
export const MASQ_MARK = '0x4000';

/** Longest chain name the kernel accepts (XT_EXTENSION_MAXNAMELEN - 1). */
export const MAX_CHAIN_NAME = 28;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (upper case, no padding) of the first bytes needed for `chars` characters. */
function base32Prefix(bytes: Buffer, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
      if (out.length === chars) return out;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

function hash16(text: string): string {
  return base32Prefix(createHash('sha256').update(text).digest(), 16);
}

/** `ip:port`, with brackets for IPv6, as the DNAT target and endpoint comments write it. */
export function endpointString(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Cluster-policy chain of a service port: balances over every usable endpoint. */
export function serviceChain(key: string): string {
  return `CAPSTAN-SVC-${hash16(key)}`;
}

/** Local-policy chain of a service port: balances over this node's usable endpoints only. */
export function serviceLocalChain(key: string): string {
  return `CAPSTAN-SVL-${hash16(key)}`;
}

/** External-traffic chain (NodePort, external IPs, LB IPs): masquerade decision, then a policy chain. */
export function externalChain(key: string): string {
  return `CAPSTAN-EXT-${hash16(key)}`;
}

/** Per-endpoint chain: hairpin mark, affinity bookkeeping, DNAT. */
export function endpointChain(key: string, ip: string, port: number): string {
  return `CAPSTAN-SEP-${hash16(`${key}${endpointString(ip, port)}`)}`;
}

const PER_SERVICE = /^CAPSTAN-(SVC|SVL|EXT|SEP|FW)-[A-Z2-7]{16}$/;

/** Fixed chains per table, in the order a restore declares them. */
export const FIXED_CHAINS = {
  nat: [SERVICES_CHAIN, NODEPORTS_CHAIN, POSTROUTING_CHAIN, MARK_MASQ_CHAIN],
  filter: [FILTER_SERVICES_CHAIN, EXTERNAL_SERVICES_CHAIN, FORWARD_CHAIN],
} as const;

/** Whether a chain of `table` is one this backend creates (fixed or per-service). */
export function isOwnChain(table: 'nat' | 'filter', chain: string): boolean {
  if ((FIXED_CHAINS[table] as readonly string[]).includes(chain)) return true;
  return table === 'nat' && PER_SERVICE.test(chain);
}
