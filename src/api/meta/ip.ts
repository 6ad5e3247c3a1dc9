// IP address and CIDR syntax, as upstream accepts them (k8s.io/apimachinery/pkg/util/validation/ip.go,
// which parses with k8s.io/utils/net's "sloppy" parser: IPv4 octets may carry leading zeros and are
// read as decimal; IPv6 may end in an embedded IPv4 address; zones are not allowed).

/** Parses an IPv4 address into 4 bytes, or undefined. */
function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** Parses a bare IPv6 address (no zone) into 16 bytes, or undefined. */
function parseIPv6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string, allowV4Tail: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const fields = part.split(':');
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (allowV4Tail && i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIPv4(f);
        if (!v4) return undefined;
        out.push(v4[0]! << 8 | v4[1]!, v4[2]! << 8 | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]+$/.test(f)) return undefined;
      const n = parseInt(f, 16);
      if (n > 0xffff) return undefined;
      out.push(n);
    }
    return out;
  };
  let words: number[];
  if (halves.length === 1) {
    const all = groups(halves[0]!, true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  } else {
    const head = groups(halves[0]!, false);
    const tail = groups(halves[1]!, true);
    // The ellipsis must stand for at least one zero group.
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** Bytes of an IP (4 for IPv4 text, 16 for IPv6 text), or undefined if not an IP. */
export function parseIP(s: string): number[] | undefined {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

/** True for an IPv6 text form holding an IPv4-mapped address (`::ffff:1.2.3.4`). */
function isV4Mapped(bytes: number[]): boolean {
  return bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Upstream IsValidIP. */
export function isValidIP(value: string): string[] {
  return parseIP(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** Upstream IsValidIPv4Address (IPv4-mapped IPv6 counts as IPv4, as Go's To4 does). */
export function isValidIPv4Address(value: string): string[] {
  const ip = parseIP(value);
  return ip && (ip.length === 4 || isV4Mapped(ip)) ? [] : ['must be a valid IPv4 address'];
}

/** Upstream IsValidIPv6Address. */
export function isValidIPv6Address(value: string): string[] {
  const ip = parseIP(value);
  return ip && ip.length === 16 && !isV4Mapped(ip) ? [] : ['must be a valid IPv6 address'];
}

/** Upstream IsValidCIDR: `addr/prefix` with prefix 0–32 (IPv4) or 0–128 (IPv6). */
export function isValidCIDR(value: string): string[] {
  const bad = ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  const slash = value.indexOf('/');
  if (slash < 0) return bad;
  const ip = parseIP(value.slice(0, slash));
  const mask = value.slice(slash + 1);
  if (!ip || !/^[0-9]+$/.test(mask)) return bad;
  return Number(mask) <= ip.length * 8 ? [] : bad;
}
