// Pure: Services and EndpointSlices → the proxy model's ServicePortInfos, as upstream kube-proxy's
// ServicePortMap and EndpointSliceCache build them. No I/O; the proxier calls this per changed
// Service (incremental) or for every Service (full resync), so it must be a function of its inputs.
//
// Upstream behaviour pinned here (pkg/proxy/servicechangetracker.go, endpointslicecache.go):
// - A Service without a cluster IP ("" or "None": headless) and an ExternalName Service get no
//   ServicePortInfo at all (ShouldSkipService).
// - One ServicePortInfo per spec.ports entry, keyed `ns/name:portName/protocol`; its endpoints come
//   from every slice labelled `kubernetes.io/service-name=<name>` whose port has the same name and
//   protocol; a slice port without a number is ignored, an endpoint without addresses too, and
//   only `addresses[0]` is used.
// - Conditions: ready unset → true; serving unset → true; terminating unset → false.
// - The same ip:port in several slices counts once: the first slice (by name) wins unless a later
//   copy is local (upstream favours the local copy).
// - Only the proxy's IP families are kept: cluster IPs, external IPs, LB ingress IPs and slices
//   (by addressType) of other families are dropped.
// - externalTrafficPolicy Local applies only to externally reachable Services (NodePort,
//   LoadBalancer, or any Service with externalIPs); internalTrafficPolicy Local to cluster IPs.
// - sessionAffinity ClientIP: timeout from sessionAffinityConfig.clientIP.timeoutSeconds, 10800 s
//   by default. LB ingress entries with `ipMode: Proxy` are not programmed (the LB proxies itself).
import { isIP } from 'node:net';
import type { EndpointInfo, ServicePortInfo, ServiceProtocol } from './model.js';

/** The label tying an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Upstream's default sessionAffinityConfig.clientIP.timeoutSeconds. */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

export type IPFamily = 'IPv4' | 'IPv6';

/** The fields of a v1 Service the proxy reads. */
export interface ServiceLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: { name?: string; protocol?: string; port?: number; nodePort?: number }[];
    externalIPs?: string[];
    sessionAffinity?: string;
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    internalTrafficPolicy?: string;
    externalTrafficPolicy?: string;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
}

/** The fields of a discovery.k8s.io/v1 EndpointSlice the proxy reads. */
export interface EndpointSliceLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  addressType?: string;
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    nodeName?: string;
  }[];
  ports?: { name?: string; protocol?: string; port?: number }[];
}

/** Who the proxy is: decides isLocal and which IP families it programs. */
export interface ProxyIdentity {
  nodeName: string;
  /** Families programmed (default IPv4 only). */
  families?: readonly IPFamily[];
}

export function familyOf(ip: string): IPFamily | undefined {
  const v = isIP(ip);
  return v === 4 ? 'IPv4' : v === 6 ? 'IPv6' : undefined;
}

/** The families of CIDRs such as "10.42.0.0/16,fd00::/56" (the proxy's families from its cluster CIDRs). */
export function familiesOfCIDRs(cidrs: readonly string[]): IPFamily[] {
  const out = new Set<IPFamily>();
  for (const c of cidrs) {
    const f = familyOf(c.split('/')[0]!);
    if (f) out.add(f);
  }
  return out.size > 0 ? [...out].sort() : ['IPv4'];
}

/** `namespace/name` of a Service, or of the Service an EndpointSlice belongs to (undefined: unlabelled). */
export function serviceKey(svc: ServiceLike): string {
  return `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
}

export function sliceServiceKey(slice: EndpointSliceLike): string | undefined {
  const name = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata?.namespace ?? ''}/${name}` : undefined;
}

export function servicePortKey(namespace: string, name: string, portName: string, protocol: string): string {
  return `${namespace}/${name}:${portName}/${protocol}`;
}

function protocolOf(p: string | undefined): ServiceProtocol {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

/** True when the proxy programs nothing for this Service (headless, ExternalName, no cluster IP). */
export function shouldSkipService(svc: ServiceLike): boolean {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return true;
  return !spec.clusterIP || spec.clusterIP === 'None';
}

function externallyAccessible(svc: ServiceLike): boolean {
  const t = svc.spec?.type;
  return t === 'NodePort' || t === 'LoadBalancer' || (svc.spec?.externalIPs?.length ?? 0) > 0;
}

/**
 * Endpoints of one service port from the Service's slices: `ip:port` → EndpointInfo, sorted by ip
 * then port so equal inputs give equal lists.
 */
function endpointsFor(portName: string, protocol: ServiceProtocol, slices: readonly EndpointSliceLike[], id: ProxyIdentity, families: ReadonlySet<string>): EndpointInfo[] {
  const byAddr = new Map<string, EndpointInfo>();
  const sorted = [...slices].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const slice of sorted) {
    if (!families.has(slice.addressType ?? '')) continue;
    const sp = slice.ports?.find((p) => (p.name ?? '') === portName && protocolOf(p.protocol) === protocol);
    if (!sp || typeof sp.port !== 'number') continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses?.[0];
      if (!ip || !families.has(familyOf(ip) ?? '')) continue;
      const c = ep.conditions ?? {};
      const info: EndpointInfo = {
        ip, port: sp.port,
        ready: c.ready ?? true, serving: c.serving ?? true, terminating: c.terminating ?? false,
        isLocal: ep.nodeName !== undefined && ep.nodeName === id.nodeName,
      };
      if (ep.nodeName !== undefined) info.nodeName = ep.nodeName;
      const key = `${ip}|${sp.port}`;
      if (!byAddr.has(key) || info.isLocal) byAddr.set(key, info);
    }
  }
  return [...byAddr.values()].sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}

/**
 * The ServicePortInfos of one Service (empty when it is skipped or absent) with endpoints from
 * `slices` (its EndpointSlices; slices of other Services are ignored).
 */
export function servicePortsFor(svc: ServiceLike | undefined, slices: readonly EndpointSliceLike[], id: ProxyIdentity): ServicePortInfo[] {
  if (!svc || shouldSkipService(svc)) return [];
  const spec = svc.spec ?? {};
  const namespace = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  const families = new Set<string>(id.families ?? ['IPv4']);
  const inFamily = (ip: string | undefined): ip is string => !!ip && families.has(familyOf(ip) ?? '');
  const own = slices.filter((s) => sliceServiceKey(s) === `${namespace}/${name}`);
  const clusterIPs = (spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP]).filter((ip) => ip !== 'None').filter(inFamily);
  const externalIPs = (spec.externalIPs ?? []).filter(inFamily);
  const loadBalancerIPs = spec.type === 'LoadBalancer'
    ? (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ipMode !== 'Proxy').map((i) => i.ip).filter(inFamily)
    : [];
  const affinity = spec.sessionAffinity === 'ClientIP'
    ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS
    : undefined;
  const nodePortType = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const out: ServicePortInfo[] = [];
  for (const p of spec.ports ?? []) {
    if (typeof p.port !== 'number') continue;
    const portName = p.name ?? '';
    const protocol = protocolOf(p.protocol);
    const info: ServicePortInfo = {
      key: servicePortKey(namespace, name, portName, protocol),
      namespace, name, portName, protocol, clusterIPs, port: p.port,
      externalIPs, loadBalancerIPs,
      internalTrafficLocal: spec.internalTrafficPolicy === 'Local',
      externalTrafficLocal: externallyAccessible(svc) && spec.externalTrafficPolicy === 'Local',
      endpoints: endpointsFor(portName, protocol, own, id, families),
    };
    if (nodePortType && p.nodePort) info.nodePort = p.nodePort;
    if (affinity !== undefined) info.sessionAffinityTimeoutSeconds = affinity;
    out.push(info);
  }
  return out;
}

/** Every ServicePortInfo of `services` (full build): key → info. */
export function buildServicePorts(services: readonly ServiceLike[], slices: readonly EndpointSliceLike[], id: ProxyIdentity): Map<string, ServicePortInfo> {
  const slicesBySvc = new Map<string, EndpointSliceLike[]>();
  for (const s of slices) {
    const k = sliceServiceKey(s);
    if (!k) continue;
    const list = slicesBySvc.get(k);
    if (list) list.push(s);
    else slicesBySvc.set(k, [s]);
  }
  const out = new Map<string, ServicePortInfo>();
  for (const svc of services) {
    for (const sp of servicePortsFor(svc, slicesBySvc.get(serviceKey(svc)) ?? [], id)) out.set(sp.key, sp);
  }
  return out;
}
