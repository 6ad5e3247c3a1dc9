// Cluster IP and NodePort allocation for Services. Pure bookkeeping over an IPv4 CIDR and a
// port range: the registry reserves before it writes and releases on failure or deletion, so
// no address or port is ever handed out twice (one API server owns allocation; the state is
// rebuilt from the stored Services at start).

export function parseCidr(cidr: string): { base: number; size: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`invalid CIDR ${cidr}`);
  const bits = Number(m[5]);
  const ip = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), size };
}

export function ipToString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function ipToNumber(s: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (!m || m.slice(1).some((p) => Number(p) > 255)) return undefined;
  return ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
}

/**
 * The size of a range's static band, as upstream (KEP-3070 for cluster IPs, KEP-3668 for
 * NodePorts): min(max(16, size/16), 256) values at the low end, which dynamic allocation uses
 * only when the rest is full, so fixed addresses such as the cluster DNS IP stay free.
 */
export function staticBandSize(span: number): number {
  return Math.min(Math.max(16, Math.floor(span / 16)), 256);
}

/** Allocates integers from [first, last] (offsets of an IP range, or ports), random-first-fit. */
export class RangeAllocator {
  private readonly used = new Set<number>();
  /** Values below this are the static band (see staticBandSize). */
  private readonly dynamicFirst: number;
  constructor(readonly first: number, readonly last: number) {
    const span = last - first + 1;
    const band = staticBandSize(span);
    this.dynamicFirst = band < span ? first + band : first;
  }

  contains(n: number): boolean {
    return n >= this.first && n <= this.last;
  }

  isUsed(n: number): boolean {
    return this.used.has(n);
  }

  /** Reserves `n`; false when taken or out of range. */
  reserve(n: number): boolean {
    if (!this.contains(n) || this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }

  /**
   * Reserves any free value, or undefined when full: first from the dynamic band, starting at a
   * random offset to spread, then from the static band.
   */
  next(): number | undefined {
    if (this.used.size >= this.last - this.first + 1) return undefined;
    return this.firstFree(this.dynamicFirst, this.last) ?? this.firstFree(this.first, this.dynamicFirst - 1);
  }

  private firstFree(first: number, last: number): number | undefined {
    const span = last - first + 1;
    if (span <= 0) return undefined;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const n = first + ((start + i) % span);
      if (!this.used.has(n)) {
        this.used.add(n);
        return n;
      }
    }
    return undefined;
  }

  release(n: number): void {
    this.used.delete(n);
  }

  get usedCount(): number {
    return this.used.size;
  }
}

export interface ServiceNetwork {
  /** Service CIDR, e.g. 10.43.0.0/16. Its first address belongs to the `kubernetes` Service. */
  serviceCidr: string;
  /** NodePort range, inclusive, e.g. [30000, 32767]. */
  nodePortRange: [number, number];
}

export class ServiceAllocator {
  readonly ips: RangeAllocator;
  readonly ports: RangeAllocator;
  readonly base: number;

  constructor(net: ServiceNetwork) {
    const { base, size } = parseCidr(net.serviceCidr);
    this.base = base;
    // Network and broadcast addresses are never handed out.
    this.ips = new RangeAllocator(base + 1, base + size - 2);
    this.ports = new RangeAllocator(net.nodePortRange[0], net.nodePortRange[1]);
  }

  /** The address of the `kubernetes` Service: the first of the range. */
  get apiServiceIP(): string {
    return ipToString(this.base + 1);
  }

  cidrContains(ip: string): boolean {
    const n = ipToNumber(ip);
    return n !== undefined && this.ips.contains(n);
  }
}
