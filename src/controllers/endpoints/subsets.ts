// Pure: the subsets of a Service's Endpoints from its pods (upstream endpoint controller
// syncService + RepackSubsets + truncateEndpoints). A function of a snapshot; the controller only
// compares the result with what is stored and writes the difference.
import type { Endpoints, Pod, Service } from '../../api/index.js';
import { findPort, podHostname, podRef, shouldPodBeInEndpoints, type PodRef } from './pod-endpoints.js';
import { isPodReady } from '../pod-util.js';

type Subset = NonNullable<Endpoints['subsets']>[number];
export type EndpointAddress = NonNullable<Subset['addresses']>[number];
export type EndpointPort = NonNullable<Subset['ports']>[number];

/** Upstream maxCapacity: an Endpoints object holds at most this many addresses. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const LAST_CHANGE_TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
/** On Endpoints the endpoints controller writes: the mirroring controller leaves them alone. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export interface SubsetsResult {
  subsets: Subset[];
  /** Addresses before truncation. */
  total: number;
  /** More than MAX_ENDPOINTS_CAPACITY addresses: the subsets were truncated. */
  truncated: boolean;
}

/**
 * The repacked subsets for `svc` from the pods its selector matches (`pods` is already filtered
 * by selector). Pods without an IP are skipped; terminating pods only with
 * publishNotReadyAddresses; each service port resolves per pod (a pod lacking a named port offers
 * the others). A headless service without ports still lists its pods' addresses.
 */
export function endpointSubsets(svc: Service, pods: readonly Pod[]): SubsetsResult {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const raw: Subset[] = [];
  const svcPorts = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const address = podAddress(pod, svc);
    const ready = tolerateUnready || isPodReady(pod);
    const add = (ports: EndpointPort[] | undefined) =>
      raw.push(ready ? { addresses: [address], ...(ports ? { ports } : {}) } : { notReadyAddresses: [address], ...(ports ? { ports } : {}) });
    if (svcPorts.length === 0) {
      // Only headless services may have no ports (validation): the addresses carry no port.
      add(undefined);
      continue;
    }
    for (const sp of svcPorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      add([{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }]);
    }
  }
  const subsets = repackSubsets(raw);
  const total = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  const truncated = truncateSubsets(subsets, MAX_ENDPOINTS_CAPACITY);
  return { subsets, total, truncated };
}

function podAddress(pod: Pod, svc: Service): EndpointAddress {
  const ref: PodRef = podRef(pod);
  const hostname = podHostname(pod, svc);
  return {
    ip: pod.status?.podIP ?? '',
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: ref,
  };
}

const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`;
const addressKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;

/**
 * Upstream RepackSubsets: addresses grouped by their exact port set, each address once per group
 * (ready wins over not ready), groups, addresses and ports in a canonical order so equal inputs
 * give equal objects.
 */
export function repackSubsets(subsets: readonly Subset[]): Subset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: Map<string, EndpointAddress>; notReady: Map<string, EndpointAddress> }>();
  for (const s of subsets) {
    const ports = [...(s.ports ?? [])].sort((a, b) => cmp(portKey(a), portKey(b)));
    const key = ports.map(portKey).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: new Map(), notReady: new Map() }));
    for (const a of s.addresses ?? []) g.ready.set(addressKey(a), a);
    for (const a of s.notReadyAddresses ?? []) g.notReady.set(addressKey(a), a);
  }
  const out: Subset[] = [];
  for (const key of [...groups.keys()].sort(cmp)) {
    const g = groups.get(key)!;
    for (const k of g.ready.keys()) g.notReady.delete(k);
    const sortAddrs = (m: Map<string, EndpointAddress>) => [...m.values()].sort((a, b) => cmp(a.ip ?? '', b.ip ?? '') || cmp(a.targetRef?.uid ?? '', b.targetRef?.uid ?? ''));
    const ready = sortAddrs(g.ready);
    const notReady = sortAddrs(g.notReady);
    if (ready.length === 0 && notReady.length === 0) continue;
    out.push({
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    });
  }
  return out;
}

/**
 * Upstream truncateEndpoints: keeps at most `max` addresses, ready ones first. When the ready
 * addresses alone exceed `max`, every not-ready address goes and the ready ones are cut per subset
 * in proportion to its share; otherwise the not-ready ones are cut that way. Mutates `subsets`;
 * true when anything was cut.
 */
export function truncateSubsets(subsets: Subset[], max: number): boolean {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= max) return false;
  const cutReady = ready > max;
  const budget = cutReady ? max : max - ready;
  const total = cutReady ? ready : notReady;
  let left = budget;
  for (const s of subsets) {
    const list = (cutReady ? s.addresses : s.notReadyAddresses) ?? [];
    const share = Math.min(Math.ceil((list.length / total) * budget), left);
    const kept = list.slice(0, share);
    left -= kept.length;
    if (cutReady) {
      s.addresses = kept;
      delete s.notReadyAddresses;
    } else if (kept.length) s.notReadyAddresses = kept;
    else delete s.notReadyAddresses;
    if (s.addresses?.length === 0) delete s.addresses;
  }
  return true;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
