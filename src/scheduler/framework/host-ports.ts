// Host ports in use on a node (upstream framework.HostPortInfo): ip → "protocol/port". An empty IP
// means 0.0.0.0 (all addresses), an empty protocol means TCP.

export const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

function key(protocol: string, port: number): string {
  return `${protocol || 'TCP'}/${port}`;
}

/** Host ports a pod's containers bind (containerPort entries with hostPort > 0). */
export function podHostPorts(pod: { spec?: { containers?: readonly { ports?: readonly { hostPort?: number; hostIP?: string; protocol?: string }[] }[] } }): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) out.push({ ip: p.hostIP || DEFAULT_BIND_ALL_HOST_IP, protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** Multiset of used host ports, counted so removing one pod does not free another pod's port. */
export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>();

  add(ip: string, protocol: string, port: number): void {
    if (port <= 0) return;
    const addr = ip || DEFAULT_BIND_ALL_HOST_IP;
    let m = this.byIP.get(addr);
    if (!m) this.byIP.set(addr, (m = new Map()));
    const k = key(protocol, port);
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  remove(ip: string, protocol: string, port: number): void {
    if (port <= 0) return;
    const addr = ip || DEFAULT_BIND_ALL_HOST_IP;
    const m = this.byIP.get(addr);
    if (!m) return;
    const k = key(protocol, port);
    const n = (m.get(k) ?? 0) - 1;
    if (n > 0) m.set(k, n);
    else m.delete(k);
    if (m.size === 0) this.byIP.delete(addr);
  }

  /**
   * Upstream CheckConflict: a wildcard request conflicts with the port on any IP; a specific IP
   * conflicts with the same IP or the wildcard.
   */
  checkConflict(ip: string, protocol: string, port: number): boolean {
    if (port <= 0) return false;
    const addr = ip || DEFAULT_BIND_ALL_HOST_IP;
    const k = key(protocol, port);
    if (addr === DEFAULT_BIND_ALL_HOST_IP) {
      for (const m of this.byIP.values()) if (m.has(k)) return true;
      return false;
    }
    return (this.byIP.get(DEFAULT_BIND_ALL_HOST_IP)?.has(k) ?? false) || (this.byIP.get(addr)?.has(k) ?? false);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byIP.values()) n += m.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIP) c.byIP.set(ip, new Map(m));
    return c;
  }
}
