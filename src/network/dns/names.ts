// DNS name helpers for the cluster DNS server: pure functions, no I/O.
// Names are handled in lowercase without the trailing dot; callers lowercase what they receive
// (comparisons between queries and cluster data are case-insensitive, as the Kubernetes DNS
// specification requires).
import { isIPv4, isIPv6 } from 'node:net';

/** `10.42.0.5` → `10-42-0-5`; `fd00::5` → `fd00--5` (CoreDNS's dashed form of an endpoint/pod IP). */
export function dashedIP(ip: string): string {
  return ip.replaceAll(isIPv4(ip) ? '.' : ':', '-');
}

/** Inverse of `dashedIP`; undefined when `label` is not a dashed IPv4/IPv6 address. */
export function undashIP(label: string): string | undefined {
  const v4 = label.replaceAll('-', '.');
  if (isIPv4(v4)) return v4;
  const v6 = label.replaceAll('-', ':');
  if (isIPv6(v6)) return canonicalIPv6(v6);
  return undefined;
}

/** The 8 16-bit groups of a valid IPv6 address (accepts `::` and an embedded IPv4 tail). */
export function ipv6Groups(ip: string): number[] {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = text.slice(lastColon + 1).split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = text.split('::');
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(halves[0]);
  if (halves.length === 1) return left;
  const right = parse(halves[1]);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** RFC 5952 form (lowercase, longest zero run compressed), so map keys compare equal. */
export function canonicalIPv6(ip: string): string {
  const g = ipv6Groups(ip);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

/** A canonical key for an IP address (IPv4 as is, IPv6 canonicalised); undefined if not an IP. */
export function canonicalIP(ip: string): string | undefined {
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip)) return canonicalIPv6(ip);
  return undefined;
}

/** `10.43.0.1` → `1.0.43.10.in-addr.arpa`; IPv6 → nibbles under `ip6.arpa`. */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const nibbles = ipv6Groups(ip).flatMap((g) => g.toString(16).padStart(4, '0').split(''));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

/** Inverse of `reverseName` for a full address; undefined for partial or malformed names. */
export function ipFromReverseName(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p))) return undefined;
    const ip = parts.reverse().join('.');
    return isIPv4(ip) ? ip : undefined;
  }
  if (name.endsWith('.ip6.arpa')) {
    const parts = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32 || !parts.every((p) => /^[0-9a-f]$/.test(p))) return undefined;
    const hex = parts.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    return canonicalIPv6(groups.join(':'));
  }
  return undefined;
}

/** A parsed CIDR: family, network bytes, prefix length. */
export interface Cidr { v6: boolean; bytes: number[]; prefix: number }

function ipBytes(ip: string): number[] | undefined {
  if (isIPv4(ip)) return ip.split('.').map(Number);
  if (isIPv6(ip)) return ipv6Groups(ip).flatMap((g) => [g >> 8, g & 0xff]);
  return undefined;
}

/** Parses `10.42.0.0/16`; throws on malformed input (configuration error). */
export function parseCidr(cidr: string): Cidr {
  const [addr, len] = cidr.split('/');
  const bytes = ipBytes(addr);
  const prefix = Number(len);
  if (!bytes || !Number.isInteger(prefix) || prefix < 0 || prefix > bytes.length * 8) throw new Error(`invalid CIDR ${JSON.stringify(cidr)}`);
  return { v6: bytes.length === 16, bytes, prefix };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const bytes = ipBytes(ip);
  if (!bytes || (bytes.length === 16) !== cidr.v6) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (cidr.bytes[i] & mask)) return false;
  }
  return true;
}

/** `Foo.Example.` → `foo.example` (ASCII lowercase only, as DNS case-insensitivity is ASCII-only). */
export function normalizeName(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** True when `name` equals `zone` or lies below it. Both normalized. */
export function inZone(name: string, zone: string): boolean {
  return name === zone || (name.length > zone.length && name.endsWith(zone) && name[name.length - zone.length - 1] === '.');
}
