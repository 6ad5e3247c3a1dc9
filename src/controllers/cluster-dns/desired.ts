// Pure: the cluster DNS Service `kube-system/kube-dns` and its EndpointSlice `kube-dns-nodes` as
// the cluster-dns controller wants them, from the configured DNS IP and the cached Nodes. Every
// agent whose DNS server runs labels its Node `node.capstan.dev/cluster-dns: "true"`; each such
// Node with an InternalIP of the slice's family is one endpoint (the server listens on that IP,
// port 53 UDP and TCP), ready and serving while the Node's Ready condition is True. The Service is
// `internalTrafficPolicy: Local`, so the proxy sends a pod's queries to its own node's server.
// No I/O: the controller compares these with the cache and writes only what differs.
import { jsonEqual, type EndpointSlice, type Node, type Service } from '../../api/index.js';
import { readyCondition } from '../node-lifecycle/health.js';
import { newControllerRef, type OwnerRef } from '../owner-refs.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../endpointslice/desired.js';
import type { AddressType, SliceEndpoint, SlicePort } from '../endpointslice/reconcile.js';

export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_SERVICE = 'kube-dns';
export const KUBE_DNS_SLICE = 'kube-dns-nodes';
/** The `endpointslice.kubernetes.io/managed-by` value of the slice this controller owns. */
export const CLUSTER_DNS_MANAGER = 'cluster-dns.capstan.dev';
/** Set to "true" on its Node by an agent whose DNS server runs. */
export const CLUSTER_DNS_NODE_LABEL = 'node.capstan.dev/cluster-dns';
/** Default `--cluster-dns` (10th address of the default service CIDR 10.43.0.0/16, as k3s). */
export const DEFAULT_CLUSTER_DNS = '10.43.0.10';
export const DNS_PORT = 53;
const TOPOLOGY_ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The ports of the Service and the slice: `dns` 53/UDP and `dns-tcp` 53/TCP (upstream kube-dns). */
export const DNS_PORTS: readonly SlicePort[] = [
  { name: 'dns', port: DNS_PORT, protocol: 'UDP' },
  { name: 'dns-tcp', port: DNS_PORT, protocol: 'TCP' },
];

/** The kube-dns Service to create when it is missing (labels as upstream's kube-dns/CoreDNS addon). */
export function desiredDNSService(clusterIP: string): Service {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: KUBE_DNS_SERVICE, namespace: KUBE_DNS_NAMESPACE,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      ports: DNS_PORTS.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: p.protocol })),
      internalTrafficPolicy: 'Local',
    },
  } as Service;
}

/** The slice's address type: the Service's first IP family (IPv4 when unset). */
export function dnsAddressType(svc: Service): AddressType {
  return svc.spec?.ipFamilies?.[0] === 'IPv6' ? 'IPv6' : 'IPv4';
}

export function isNodeReady(node: Node): boolean {
  return readyCondition(node)?.status === 'True';
}

/** The node's InternalIPs of one family, in the order the node reports them. */
export function nodeInternalIPs(node: Node, family: 'IPv4' | 'IPv6'): string[] {
  return (node.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' && !!a.address && a.address.includes(':') === (family === 'IPv6'))
    .map((a) => a.address!);
}

/** The node's endpoint in the DNS slice, or undefined when it runs no DNS server (or has no address). */
export function dnsEndpoint(node: Node, addressType: AddressType = 'IPv4'): SliceEndpoint | undefined {
  if (node.metadata?.labels?.[CLUSTER_DNS_NODE_LABEL] !== 'true' || addressType === 'FQDN') return undefined;
  const ip = nodeInternalIPs(node, addressType)[0];
  if (!ip) return undefined;
  const ready = isNodeReady(node);
  const zone = node.metadata?.labels?.[TOPOLOGY_ZONE_LABEL];
  return {
    addresses: [ip],
    conditions: { ready, serving: ready, terminating: false },
    nodeName: node.metadata?.name ?? '',
    ...(zone ? { zone } : {}),
  };
}

/** Every DNS node's endpoint, in node name order (so the slice does not churn on list order). */
export function dnsEndpoints(nodes: readonly Node[], addressType: AddressType = 'IPv4'): SliceEndpoint[] {
  return [...nodes]
    .sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1))
    .map((n) => dnsEndpoint(n, addressType))
    .filter((e): e is SliceEndpoint => e !== undefined);
}

export function dnsSliceLabels(): Record<string, string> {
  return { [LABEL_SERVICE_NAME]: KUBE_DNS_SERVICE, [LABEL_MANAGED_BY]: CLUSTER_DNS_MANAGER };
}

/**
 * The slice wanted for `svc` and `nodes`. `existing` (the cached slice, if any) keeps its
 * resourceVersion, annotations, labels and owners added by others; ours are set over them.
 */
export function desiredDNSSlice(svc: Service, nodes: readonly Node[], existing?: EndpointSlice): EndpointSlice {
  const owner = newControllerRef(svc, 'v1', 'Service');
  const otherOwners = ((existing?.metadata?.ownerReferences ?? []) as OwnerRef[]).filter((r) => r.uid !== owner.uid && !r.controller);
  const addressType = existing?.addressType as AddressType | undefined ?? dnsAddressType(svc);
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: {
      ...(existing?.metadata ?? {}),
      name: KUBE_DNS_SLICE, namespace: KUBE_DNS_NAMESPACE,
      labels: { ...(existing?.metadata?.labels ?? {}), ...dnsSliceLabels() },
      ownerReferences: [...otherOwners, owner],
    },
    addressType,
    endpoints: dnsEndpoints(nodes, addressType),
    ports: DNS_PORTS.map((p) => ({ ...p })),
  } as EndpointSlice;
}

/** Whether writing `desired` over `existing` changes anything this controller owns. */
export function sliceDiffers(existing: EndpointSlice, desired: EndpointSlice): boolean {
  return !jsonEqual(existing.endpoints ?? [], desired.endpoints ?? [])
    || !jsonEqual(existing.ports ?? [], desired.ports ?? [])
    || !jsonEqual(existing.metadata?.labels ?? {}, desired.metadata?.labels ?? {})
    || !jsonEqual(existing.metadata?.ownerReferences ?? [], desired.metadata?.ownerReferences ?? []);
}
