// Names of everything the nftables backend creates: the table, its fixed chains, sets and maps,
// and the per-service-port chains and affinity sets. Pure; the rule generator and the tests use it.
//
// Contract:
// - A per-service-port name is `<prefix>-<HASH>-<namespace>/<name>/<protocol>/<portName>` as
//   upstream kube-proxy's nftables mode: the readable part lets a user find a Service's rules with
//   `nft list table ip capstan-proxy | grep <name>`, the hash (of the unique ServicePortInfo.key)
//   keeps two ports whose readable parts collide apart.
// - Names contain only `[A-Za-z0-9_./-]` and start with a letter, so nft 1.0.6's parser takes them
//   unquoted (it rejects quoted chain names in declarations), and they stay under the kernel's
//   256-byte limit on chain and set names.
import { createHash } from 'node:crypto';
import type { ServicePortInfo } from '../model.js';

export const TABLE_FAMILY = 'ip';
export const TABLE_NAME = 'capstan-proxy';
/** `ip capstan-proxy`, the table as written in nft commands. */
export const TABLE = `${TABLE_FAMILY} ${TABLE_NAME}`;

/** The masquerade mark bit, as kube-proxy's. */
export const MASQUERADE_MARK = 0x4000;

/** Fixed maps and sets. */
export const SERVICE_IPS_MAP = 'service-ips';
export const SERVICE_NODEPORTS_MAP = 'service-nodeports';
export const NO_ENDPOINT_SERVICES_MAP = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS_MAP = 'no-endpoint-nodeports';
export const NODEPORT_IPS_SET = 'nodeport-ips';
export const CLUSTER_CIDRS_SET = 'cluster-cidrs';
/** `<endpoint ip> . <endpoint ip>` pairs: a connection whose source is its own (DNATed) destination is hairpin traffic. */
export const HAIRPIN_SET = 'hairpin-endpoints';

/** Fixed regular chains. */
export const SERVICES_CHAIN = 'services';
export const MASQUERADING_CHAIN = 'masquerading';
export const MARK_MASQ_CHAIN = 'mark-for-masquerade';
export const ENDPOINTS_CHECK_CHAIN = 'endpoints-check';
export const REJECT_CHAIN = 'reject-chain';

export type ElementMap =
  | typeof SERVICE_IPS_MAP
  | typeof SERVICE_NODEPORTS_MAP
  | typeof NO_ENDPOINT_SERVICES_MAP
  | typeof NO_ENDPOINT_NODEPORTS_MAP;

const MAX_READABLE = 200;

const hashCache = new Map<string, string>();

/** The first 8 characters of base32(sha256(s)), upper case, as kube-proxy's chain hashes. Memoized: every sync names every port again. */
export function shortHash(s: string): string {
  let hash = hashCache.get(s);
  if (hash === undefined) {
    if (hashCache.size >= 100_000) hashCache.clear();
    hash = computeShortHash(s);
    hashCache.set(s, hash);
  }
  return hash;
}

function computeShortHash(s: string): string {
  const digest = createHash('sha256').update(s).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 8) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= 8) break;
  }
  return out;
}

/** Replaces anything nft would not take in an unquoted name; names from the API are DNS labels already. */
function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_./-]/g, '_');
}

/** `namespace/name/protocol/portName`, the readable part of a service port's names. */
export function servicePortBase(sp: Pick<ServicePortInfo, 'namespace' | 'name' | 'protocol' | 'portName'>): string {
  return sanitize(`${sp.namespace}/${sp.name}/${sp.protocol.toLowerCase()}/${sp.portName}`).slice(0, MAX_READABLE);
}

/** The chain for traffic to the cluster IPs (internalTrafficPolicy applies). */
export function serviceChainName(sp: ServicePortInfo): string {
  return `service-${shortHash(sp.key)}-${servicePortBase(sp)}`;
}

/** The chain for traffic to NodePorts, externalIPs and load-balancer IPs (externalTrafficPolicy applies). */
export function externalChainName(sp: ServicePortInfo): string {
  return `external-${shortHash(sp.key)}-${servicePortBase(sp)}`;
}

/** The sessionAffinity set of one endpoint of one service port: client addresses recently sent there. */
export function affinitySetName(sp: ServicePortInfo, ip: string, port: number): string {
  return `affinity-${shortHash(`${sp.key}|${ip}:${port}`)}-${servicePortBase(sp)}__${sanitize(ip)}/${port}`;
}
