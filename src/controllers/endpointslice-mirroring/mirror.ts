// Pure: the EndpointSlice endpoints mirroring a hand-written Endpoints object (upstream
// endpointslicemirroring reconciler + addressToEndpoint). Each subset becomes a group of its
// port set; `addresses` are ready, `notReadyAddresses` not; at most `maxEndpointsPerSubset`
// addresses of a subset are mirrored (ready first), and addresses that are not valid IPs skipped.
import { isValidIPv4Address, isValidIPv6Address, type Endpoints } from '../../api/index.js';
import type { AddressType, EndpointGroup, SliceEndpoint, SlicePort } from '../endpointslice/reconcile.js';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
/** Upstream --mirroring-max-endpoints-per-subset default. */
export const DEFAULT_MAX_ENDPOINTS_PER_SUBSET = 1000;

type Subset = NonNullable<Endpoints['subsets']>[number];
type Address = NonNullable<Subset['addresses']>[number];

export function mirroredGroups(ep: Endpoints, maxEndpointsPerSubset = DEFAULT_MAX_ENDPOINTS_PER_SUBSET): EndpointGroup[] {
  const groups: EndpointGroup[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports: SlicePort[] = (subset.ports ?? []).map((p) => ({
      name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const byType = new Map<AddressType, SliceEndpoint[]>();
    let budget = maxEndpointsPerSubset;
    const add = (addrs: readonly Address[] | undefined, ready: boolean) => {
      for (const a of addrs ?? []) {
        if (budget <= 0) return;
        const type = addressType(a.ip ?? '');
        if (!type) continue;
        budget--;
        const list = byType.get(type) ?? [];
        byType.set(type, list);
        list.push(addressToEndpoint(a, ready));
      }
    };
    add(subset.addresses, true);
    add(subset.notReadyAddresses, false);
    for (const [addressType, endpoints] of byType) groups.push({ addressType, ports, endpoints });
  }
  return groups;
}

function addressType(ip: string): AddressType | undefined {
  if (isValidIPv4Address(ip).length === 0) return 'IPv4';
  if (isValidIPv6Address(ip).length === 0) return 'IPv6';
  return undefined;
}

export function addressToEndpoint(a: Address, ready: boolean): SliceEndpoint {
  return {
    addresses: [a.ip ?? ''],
    conditions: { ready },
    ...(a.hostname ? { hostname: a.hostname } : {}),
    ...(a.targetRef ? { targetRef: a.targetRef } : {}),
    ...(a.nodeName ? { nodeName: a.nodeName } : {}),
  };
}
