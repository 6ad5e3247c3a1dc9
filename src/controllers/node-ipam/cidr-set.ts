// The node IPAM allocator's pure core (upstream pkg/controller/nodeipam/ipam/cidrset): the cluster
// CIDR cut into equal node subnets (a /24 each by default), each handed out at most once. IPv4
// only. Allocation goes round-robin from the last subnet handed out, as upstream, so a released
// subnet is not reused at once.

/** Upstream --cluster-cidr as k3s defaults it. */
export const DEFAULT_CLUSTER_CIDR = '10.42.0.0/16';
/** Upstream --node-cidr-mask-size-ipv4 default. */
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;

export class CIDRSetError extends Error {}

function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

const formatIPv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** `a.b.c.d/p` as [network base, prefix length]; undefined for anything else (IPv6 included). */
export function parseCIDR(cidr: string): [number, number] | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr.trim());
  const ip = m ? parseIPv4(m[1]) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (ip === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [(ip & mask) >>> 0, prefix];
}

export class CIDRSet {
  private readonly base: number;
  private readonly used: Uint8Array;
  private next = 0;
  private count = 0;

  constructor(readonly clusterCIDR: string = DEFAULT_CLUSTER_CIDR, readonly nodeMaskSize = DEFAULT_NODE_CIDR_MASK_SIZE) {
    const parsed = parseCIDR(clusterCIDR);
    if (!parsed) throw new CIDRSetError(`invalid cluster CIDR "${clusterCIDR}": want an IPv4 CIDR such as ${DEFAULT_CLUSTER_CIDR}`);
    const [base, prefix] = parsed;
    if (nodeMaskSize < prefix || nodeMaskSize > 32) throw new CIDRSetError(`node CIDR mask size /${nodeMaskSize} does not fit in cluster CIDR ${clusterCIDR}`);
    if (nodeMaskSize - prefix > 24) throw new CIDRSetError(`cluster CIDR ${clusterCIDR} holds too many /${nodeMaskSize} subnets`);
    this.base = base;
    this.used = new Uint8Array(2 ** (nodeMaskSize - prefix));
  }

  /** Subnets in the set. */
  get size(): number { return this.used.length; }
  /** Subnets handed out or occupied. */
  get allocated(): number { return this.count; }

  /** The next free subnet, marked used; undefined when every one is taken (upstream ErrCIDRRangeNoCIDRsRemaining). */
  allocateNext(): string | undefined {
    for (let i = 0; i < this.used.length; i++) {
      const idx = (this.next + i) % this.used.length;
      if (this.used[idx]) continue;
      this.used[idx] = 1;
      this.count++;
      this.next = (idx + 1) % this.used.length;
      return this.format(idx);
    }
    return undefined;
  }

  /** Marks `cidr` used (an existing node's); false when it is not one of this set's subnets. */
  occupy(cidr: string): boolean {
    const idx = this.indexOf(cidr);
    if (idx === undefined) return false;
    if (!this.used[idx]) { this.used[idx] = 1; this.count++; }
    return true;
  }

  /** Frees `cidr` (its node was deleted); unknown CIDRs are ignored. */
  release(cidr: string): void {
    const idx = this.indexOf(cidr);
    if (idx === undefined || !this.used[idx]) return;
    this.used[idx] = 0;
    this.count--;
  }

  isUsed(cidr: string): boolean {
    const idx = this.indexOf(cidr);
    return idx !== undefined && this.used[idx] === 1;
  }

  private indexOf(cidr: string): number | undefined {
    const parsed = parseCIDR(cidr);
    if (!parsed || parsed[1] !== this.nodeMaskSize) return undefined;
    const idx = (parsed[0] - this.base) / 2 ** (32 - this.nodeMaskSize);
    return Number.isInteger(idx) && idx >= 0 && idx < this.used.length ? idx : undefined;
  }

  private format(idx: number): string {
    return `${formatIPv4((this.base + idx * 2 ** (32 - this.nodeMaskSize)) >>> 0)}/${this.nodeMaskSize}`;
  }
}
