// The DNS records one Service contributes to the cluster zone, as the Kubernetes DNS-based
// service discovery specification (and CoreDNS's kubernetes plugin) define them. A pure function
// of the Service and its EndpointSlices; the zone (cluster-zone.ts) indexes the result.
//
// - ClusterIP Service: `<svc>.<ns>.svc.<zone>` A/AAAA → spec.clusterIPs; SRV
//   `_<port>._<proto>.<svc>.<ns>.svc.<zone>` per named port → the Service name; PTR for each
//   cluster IP.
// - Headless Service (clusterIP None): `<svc>.<ns>.svc.<zone>` A/AAAA → the ready endpoint
//   addresses (all of them with publishNotReadyAddresses); `<hostname>.<svc>…` (endpoint.hostname,
//   else the dashed IP) A/AAAA per endpoint; SRV per named slice port × endpoint → the endpoint
//   names; PTR per endpoint address → its endpoint name.
// - ExternalName Service: `<svc>.<ns>.svc.<zone>` CNAME → spec.externalName (the resolver chases).
// - A Service whose name exists but has no records of a type answers NODATA (the name is kept
//   in `names`), e.g. a headless Service with no ready endpoints.
import type { EndpointSlice, Service } from '../../api/index.js';
import { canonicalIP, dashedIP, normalizeName, reverseName } from './names.js';

/** Record data by type (the subset the cluster zone serves). */
export type RecordData =
  | { type: 'A' | 'AAAA'; data: string }
  | { type: 'CNAME' | 'PTR'; data: string }
  | { type: 'SRV'; data: { priority: number; weight: number; port: number; target: string } };

export type ZoneRecord = RecordData & { name: string };

export interface ServiceRecords {
  /** Names that exist (answer NODATA rather than NXDOMAIN for types they lack). */
  names: string[];
  records: ZoneRecord[];
  /** Reverse records (`…in-addr.arpa` / `…ip6.arpa` → name). */
  reverse: ZoneRecord[];
}

const EMPTY: ServiceRecords = { names: [], records: [], reverse: [] };

function addressRecord(name: string, ip: string): ZoneRecord {
  return { name, type: ip.includes(':') ? 'AAAA' : 'A', data: ip };
}

/** Whether a slice endpoint is published (the specification's _ready_). */
function published(ep: NonNullable<EndpointSlice['endpoints']>[number], publishNotReady: boolean): boolean {
  return publishNotReady || ep.conditions?.ready !== false;
}

/** SRV weight as CoreDNS: 100 shared evenly among the records of one name. */
function srvWeight(count: number): number {
  return Math.max(1, Math.floor(100 / Math.max(1, count)));
}

/** The records of one Service; `slices` are those labelled `kubernetes.io/service-name: <svc>`. */
export function serviceRecords(svc: Service, slices: readonly EndpointSlice[], zone: string): ServiceRecords {
  const ns = normalizeName(svc.metadata?.namespace ?? '');
  const svcName = normalizeName(svc.metadata?.name ?? '');
  if (!ns || !svcName) return EMPTY;
  const base = `${svcName}.${ns}.svc.${zone}`;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') {
    const target = spec.externalName ? normalizeName(spec.externalName) : '';
    return { names: [base], records: target ? [{ name: base, type: 'CNAME', data: target }] : [], reverse: [] };
  }
  const clusterIPs = (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [])
    .filter((ip) => ip !== 'None').map(canonicalIP).filter((ip): ip is string => !!ip);
  const headless = spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None';
  return headless ? headlessRecords(base, spec.publishNotReadyAddresses === true, slices) : clusterIPRecords(base, svc, clusterIPs);
}

function clusterIPRecords(base: string, svc: Service, clusterIPs: string[]): ServiceRecords {
  const records: ZoneRecord[] = clusterIPs.map((ip) => addressRecord(base, ip));
  const names = [base];
  for (const p of svc.spec?.ports ?? []) {
    if (!p.name || p.port === undefined) continue;
    const srvName = `_${normalizeName(p.name)}._${(p.protocol ?? 'TCP').toLowerCase()}.${base}`;
    names.push(srvName);
    records.push({ name: srvName, type: 'SRV', data: { priority: 0, weight: 100, port: p.port, target: base } });
  }
  const reverse = clusterIPs.map((ip): ZoneRecord => ({ name: reverseName(ip), type: 'PTR', data: base }));
  return { names, records, reverse };
}

interface HeadlessEndpoint { ip: string; name: string }

function headlessRecords(base: string, publishNotReady: boolean, slices: readonly EndpointSlice[]): ServiceRecords {
  const endpoints: HeadlessEndpoint[] = [];
  const seen = new Set<string>();
  /** `_<port>._<proto>` → port number (a named port's number may differ per slice; first wins). */
  const ports = new Map<string, number>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    for (const ep of slice.endpoints ?? []) {
      if (!published(ep, publishNotReady)) continue;
      for (const addr of ep.addresses ?? []) {
        const ip = canonicalIP(addr);
        if (!ip || seen.has(ip)) continue;
        seen.add(ip);
        const label = ep.hostname ? normalizeName(ep.hostname) : dashedIP(ip);
        endpoints.push({ ip, name: `${label}.${base}` });
      }
    }
    for (const p of slice.ports ?? []) {
      if (!p.name || p.port === undefined) continue;
      const key = `_${normalizeName(p.name)}._${(p.protocol ?? 'TCP').toLowerCase()}`;
      if (!ports.has(key)) ports.set(key, p.port);
    }
  }
  const names = [base];
  const records: ZoneRecord[] = [];
  const reverse: ZoneRecord[] = [];
  for (const ep of endpoints) {
    records.push(addressRecord(base, ep.ip), addressRecord(ep.name, ep.ip));
    names.push(ep.name);
    reverse.push({ name: reverseName(ep.ip), type: 'PTR', data: ep.name });
  }
  const targets = [...new Set(endpoints.map((e) => e.name))];
  for (const [key, port] of ports) {
    const srvName = `${key}.${base}`;
    names.push(srvName);
    const weight = srvWeight(targets.length);
    for (const target of targets) records.push({ name: srvName, type: 'SRV', data: { priority: 0, weight, port, target } });
  }
  return { names, records, reverse };
}
