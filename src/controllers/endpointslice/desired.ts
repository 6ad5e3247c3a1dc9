// Pure: a Service's desired EndpointSlice endpoints from the pods its selector matches (upstream
// endpointslice reconciler podToEndpoint + getEndpointPorts). Terminating pods stay listed with
// `terminating: true` (so the proxy can drain them); `ready` is never true for a terminating pod
// unless the Service publishes not-ready addresses.
import type { Pod, Service } from '../../api/index.js';
import { findPort, podHostname, podRef, shouldPodBeInEndpoints } from '../endpoints/pod-endpoints.js';
import { isPodReady } from '../pod-util.js';
import type { AddressType, EndpointGroup, SliceEndpoint, SlicePort } from './reconcile.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Upstream --max-endpoints-per-slice default. */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export function addressTypeOf(ip: string): AddressType {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

/** The address types a Service's slices carry: its IP families (IPv4 when unset). */
export function serviceAddressTypes(svc: Service): AddressType[] {
  const fams = svc.spec?.ipFamilies ?? [];
  return fams.length ? fams.map((f) => (f === 'IPv6' ? 'IPv6' : 'IPv4')) : ['IPv4'];
}

/** Endpoints grouped by address type and resolved port set, pods in name order. */
export function desiredEndpointGroups(svc: Service, pods: readonly Pod[]): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  const types = serviceAddressTypes(svc);
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const sorted = [...pods].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const pod of sorted) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const ips = (pod.status?.podIPs?.length ? pod.status.podIPs.map((p) => p.ip ?? '') : [pod.status?.podIP ?? '']).filter(Boolean);
    for (const type of types) {
      const ip = ips.find((i) => addressTypeOf(i) === type);
      if (!ip) continue;
      const key = `${type}|${JSON.stringify(ports)}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { addressType: type, ports, endpoints: [] }));
      g.endpoints.push(podToEndpoint(pod, svc, ip, publishNotReady));
    }
  }
  return [...groups.values()];
}

/** The service ports the pod offers, with their resolved target port numbers. */
export function endpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

export function podToEndpoint(pod: Pod, svc: Service, ip: string, publishNotReady: boolean): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const hostname = podHostname(pod, svc);
  return {
    addresses: [ip],
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    ...(hostname ? { hostname } : {}),
    targetRef: podRef(pod),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
}
