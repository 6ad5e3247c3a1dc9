// IPv4 address and CIDR arithmetic for the node routes (pure). Addresses are numbers 0…2^32-1.

export interface IPv4Net {
  /** The network address as a number. */
  network: number;
  prefix: number;
  /** Canonical text, e.g. `10.42.1.0/24`. */
  text: string;
}

/** `a.b.c.d` as a number, or undefined when it is not a dotted-quad IPv4 address. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.trim().split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => String(Math.floor(n / 2 ** shift) % 256)).join('.');
}

/** `a.b.c.d/p` with its host bits cleared, or undefined when it is not an IPv4 CIDR. */
export function parseIPv4CIDR(s: string): IPv4Net | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const address = parseIPv4(m[1]!);
  const prefix = Number(m[2]);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  return { network, prefix, text: `${formatIPv4(network)}/${prefix}` };
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: IPv4Net, inner: IPv4Net): boolean {
  if (inner.prefix < outer.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return inner.network - (inner.network % size) === outer.network;
}
