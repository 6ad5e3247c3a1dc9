// The cluster zone: an index of every Service's records (service-records.ts) answering lookups
// the way CoreDNS's kubernetes plugin does (`kubernetes cluster.local in-addr.arpa ip6.arpa {
// pods insecure; fallthrough in-addr.arpa ip6.arpa }`). Pure and synchronous; the server feeds it
// from informers with `setService` and reads it with `lookup`.
//
// Contract of `lookup(name, type)` (name normalized: lowercase, no trailing dot):
// - undefined: not this zone's to answer (forward it upstream). Reverse names outside the
//   configured `reverseCIDRs` fall through; a reverse name inside them that has no PTR is NXDOMAIN.
// - otherwise an authoritative answer: records of the type (or the name's CNAME); NODATA
//   (NOERROR, no answers, SOA in authority) for a name that exists without that type, including
//   empty non-terminals (`<ns>.svc.<zone>`, `_tcp.<svc>…`); NXDOMAIN with SOA otherwise.
// - Every change tells the `onChange` listeners which names it may have changed the answer for
//   (the Service's old and new names, their ancestors, and their reverse names), so a cache can
//   drop exactly those; `generation` counts changes.
import type { EndpointSlice, Service } from '../../api/index.js';
import type { Answer } from 'dns-packet';
import { cidrContains, inZone, ipFromReverseName, parseCidr, undashIP, type Cidr } from './names.js';
import { serviceRecords, type ServiceRecords, type ZoneRecord } from './service-records.js';

export const DEFAULT_DOMAIN = 'cluster.local';
/** TTL of every cluster record, as CoreDNS's kubernetes plugin. */
export const CLUSTER_TTL = 5;
/** The schema version served at `dns-version.<zone>` TXT. */
export const DNS_SCHEMA_VERSION = '1.1.0';

export interface ClusterZoneOptions {
  /** Cluster domain (default cluster.local). */
  domain?: string;
  /** Address ranges whose reverse names this zone owns (default the cluster and service CIDRs). */
  reverseCIDRs?: string[];
  /** Addresses `ns.dns.<zone>` resolves to (the cluster DNS Service's IPs). */
  nameserverIPs?: string[];
}

export interface ZoneAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

export class ClusterZone {
  readonly domain: string;
  private readonly reverseCIDRs: Cidr[];
  private readonly nameserverIPs: string[];
  private readonly owned = new Map<string, ServiceRecords>();
  private readonly records = new Map<string, ZoneRecord[]>();
  private readonly reverse = new Map<string, ZoneRecord[]>();
  /** Every existing name below the zone (records' names and their ancestors), reference-counted. */
  private readonly names = new Map<string, number>();
  private serial = Math.floor(Date.now() / 1000) >>> 0;
  private gen = 0;
  private readonly listeners = new Set<(names: ReadonlySet<string>) => void>();

  constructor(opts: ClusterZoneOptions = {}) {
    this.domain = (opts.domain ?? DEFAULT_DOMAIN).toLowerCase().replace(/\.$/, '');
    this.reverseCIDRs = (opts.reverseCIDRs ?? ['10.42.0.0/16', '10.43.0.0/16']).map(parseCidr);
    this.nameserverIPs = opts.nameserverIPs ?? [];
    for (const n of [`svc.${this.domain}`, `pod.${this.domain}`]) this.names.set(n, 1);
  }

  /** Bumped on every change of the zone's contents. */
  get generation(): number { return this.gen; }

  /** Calls `listener` after each change with the names whose answers may differ; returns an unsubscribe. */
  onChange(listener: (names: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of Services indexed. */
  get size(): number { return this.owned.size; }

  /**
   * Replaces the records of Service `key` (`ns/name`): `svc` undefined removes them. `slices` are
   * the Service's EndpointSlices. Idempotent.
   */
  setService(key: string, svc: Service | undefined, slices: readonly EndpointSlice[] = []): void {
    const old = this.owned.get(key);
    const next = svc ? serviceRecords(svc, slices, this.domain) : undefined;
    if (old) this.unindex(old);
    if (next && next.names.length > 0) {
      this.owned.set(key, next);
      this.index(next);
    } else {
      this.owned.delete(key);
    }
    if (!old && !next?.names.length) return;
    this.gen++;
    this.serial = Math.max(this.serial + 1, Math.floor(Date.now() / 1000)) >>> 0;
    if (this.listeners.size === 0) return;
    const changed = new Set<string>();
    for (const sr of [old, next]) {
      if (!sr) continue;
      for (const n of sr.names) {
        for (let a = n; a.length > this.domain.length && !changed.has(a); a = a.slice(a.indexOf('.') + 1)) changed.add(a);
      }
      for (const r of sr.reverse) changed.add(r.name);
    }
    for (const l of this.listeners) l(changed);
  }

  lookup(name: string, type: string): ZoneAnswer | undefined {
    if (inZone(name, this.domain)) return this.lookupCluster(name, type);
    if (inZone(name, 'in-addr.arpa') || inZone(name, 'ip6.arpa')) return this.lookupReverse(name, type);
    return undefined;
  }

  private lookupCluster(name: string, type: string): ZoneAnswer {
    const zone = this.domain;
    if (name === zone) {
      if (type === 'SOA' || type === 'ANY') return this.answer([this.soa(zone)]);
      if (type === 'NS') return this.answer([this.ns(zone)], [], this.nameserverRecords());
      return this.nodata(zone);
    }
    if (name === `dns-version.${zone}`) {
      return type === 'TXT' || type === 'ANY' ? this.answer([{ name, type: 'TXT', ttl: CLUSTER_TTL, data: DNS_SCHEMA_VERSION }]) : this.nodata(zone);
    }
    if (name === `ns.dns.${zone}`) {
      const rrs = this.nameserverRecords().filter((r) => r.type === type || type === 'ANY');
      return rrs.length ? this.answer(rrs) : this.nodata(zone);
    }
    const rrs = this.records.get(name);
    if (rrs) {
      const cname = rrs.find((r) => r.type === 'CNAME');
      const match = cname && type !== 'CNAME' ? [cname] : rrs.filter((r) => r.type === type || type === 'ANY');
      if (match.length) return this.answer(match.map(toAnswer), [], this.additionalFor(match));
      return this.nodata(zone);
    }
    const pod = this.podRecord(name);
    if (pod !== undefined) {
      if (pod === null) return this.nxdomain(zone);
      if (pod === 'exists') return this.nodata(zone);
      return pod.type === type || type === 'ANY' ? this.answer([toAnswer(pod)]) : this.nodata(zone);
    }
    return this.names.has(name) || name === `dns.${zone}` ? this.nodata(zone) : this.nxdomain(zone);
  }

  /**
   * `<a-b-c-d>.<ns>.pod.<zone>` (pods insecure): the record; null for a malformed IP; 'exists'
   * for `<ns>.pod.<zone>`; undefined if not a pod name.
   */
  private podRecord(name: string): ZoneRecord | 'exists' | null | undefined {
    const rel = name.slice(0, name.length - this.domain.length - 1).split('.');
    if (rel.length === 2 && rel[1] === 'pod') return 'exists';
    if (rel.length !== 3 || rel[2] !== 'pod') return undefined;
    const ip = undashIP(rel[0]);
    if (!ip) return null;
    return { name, type: ip.includes(':') ? 'AAAA' : 'A', data: ip };
  }

  private lookupReverse(name: string, type: string): ZoneAnswer | undefined {
    const apex = inZone(name, 'in-addr.arpa') ? 'in-addr.arpa' : 'ip6.arpa';
    const ptrs = this.reverse.get(name);
    if (ptrs) return type === 'PTR' || type === 'ANY' ? this.answer(ptrs.map(toAnswer)) : this.nodata(apex);
    const ip = ipFromReverseName(name);
    if (ip && this.reverseCIDRs.some((c) => cidrContains(c, ip))) return this.nxdomain(apex);
    return undefined;
  }

  private additionalFor(match: ZoneRecord[]): Answer[] {
    const out: Answer[] = [];
    for (const r of match) {
      if (r.type !== 'SRV') continue;
      for (const a of this.records.get(r.data.target) ?? []) if (a.type === 'A' || a.type === 'AAAA') out.push(toAnswer(a));
    }
    return out;
  }

  private nameserverRecords(): Answer[] {
    const name = `ns.dns.${this.domain}`;
    return this.nameserverIPs.map((ip) => ({ name, type: ip.includes(':') ? 'AAAA' as const : 'A' as const, ttl: CLUSTER_TTL, data: ip }));
  }

  private soa(zone: string): Answer {
    return {
      name: zone, type: 'SOA', ttl: CLUSTER_TTL,
      data: { mname: `ns.dns.${this.domain}`, rname: `hostmaster.${this.domain}`, serial: this.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: CLUSTER_TTL },
    };
  }

  private ns(zone: string): Answer {
    return { name: zone, type: 'NS', ttl: CLUSTER_TTL, data: `ns.dns.${this.domain}` };
  }

  private answer(answers: Answer[], authorities: Answer[] = [], additionals: Answer[] = []): ZoneAnswer {
    return { rcode: 'NOERROR', answers, authorities, additionals };
  }

  private nodata(zone: string): ZoneAnswer {
    return { rcode: 'NOERROR', answers: [], authorities: [this.soa(zone)], additionals: [] };
  }

  private nxdomain(zone: string): ZoneAnswer {
    return { rcode: 'NXDOMAIN', answers: [], authorities: [this.soa(zone)], additionals: [] };
  }

  private index(sr: ServiceRecords): void {
    for (const n of sr.names) this.refName(n, +1);
    for (const r of sr.records) push(this.records, r);
    for (const r of sr.reverse) push(this.reverse, r);
  }

  private unindex(sr: ServiceRecords): void {
    for (const n of sr.names) this.refName(n, -1);
    pull(this.records, sr.records);
    pull(this.reverse, sr.reverse);
  }

  /** Counts `name` and its ancestors below the zone. */
  private refName(name: string, delta: number): void {
    for (let n = name; n.length > this.domain.length; n = n.slice(n.indexOf('.') + 1)) {
      const c = (this.names.get(n) ?? 0) + delta;
      if (c > 0) this.names.set(n, c);
      else this.names.delete(n);
    }
  }
}

function toAnswer(r: ZoneRecord): Answer {
  return { name: r.name, type: r.type, ttl: CLUSTER_TTL, data: r.data } as Answer;
}

function push(map: Map<string, ZoneRecord[]>, r: ZoneRecord): void {
  const list = map.get(r.name);
  if (list) list.push(r);
  else map.set(r.name, [r]);
}

/** Removes exactly these record objects (by identity), one pass per affected name. */
function pull(map: Map<string, ZoneRecord[]>, gone: readonly ZoneRecord[]): void {
  const byName = new Map<string, Set<ZoneRecord>>();
  for (const r of gone) {
    let s = byName.get(r.name);
    if (!s) byName.set(r.name, (s = new Set()));
    s.add(r);
  }
  for (const [name, set] of byName) {
    const rest = (map.get(name) ?? []).filter((r) => !set.has(r));
    if (rest.length) map.set(name, rest);
    else map.delete(name);
  }
}
