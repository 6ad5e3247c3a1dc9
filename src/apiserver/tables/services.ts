// Services, Endpoints, EndpointSlices and Ingresses.
import { column, nameColumn, ageColumn, type TablePrinter, type TableCell } from './types.js';
import { since, formatLabels, listWithMore } from './format.js';

interface Meta { metadata?: { name?: string; creationTimestamp?: string } }
interface LoadBalancerStatus { ingress?: { ip?: string; hostname?: string }[] }
interface Service extends Meta {
  spec?: {
    type?: string; clusterIP?: string; clusterIPs?: string[]; externalIPs?: string[]; externalName?: string;
    ports?: { port?: number; nodePort?: number; protocol?: string }[]; selector?: Record<string, string>;
  };
  status?: { loadBalancer?: LoadBalancerStatus };
}
interface Endpoints extends Meta {
  subsets?: { addresses?: { ip?: string }[]; ports?: { name?: string; port?: number }[] }[];
}
interface EndpointSlice extends Meta {
  addressType?: string;
  ports?: { name?: string; port?: number }[];
  endpoints?: { addresses?: string[] }[];
}
interface Ingress extends Meta {
  spec?: { ingressClassName?: string; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: LoadBalancerStatus };
}

const name = (o: Meta) => o.metadata?.name ?? '';
const age = (o: Meta, now: Date) => since(o.metadata?.creationTimestamp, now);

/** Distinct load-balancer IPs (else hostnames), comma separated, in first-seen order. */
function loadBalancerAddresses(lb: LoadBalancerStatus | undefined): string[] {
  const out = new Set<string>();
  for (const i of lb?.ingress ?? []) {
    if (i.ip) out.add(i.ip);
    else if (i.hostname) out.add(i.hostname);
  }
  return [...out];
}

/** The EXTERNAL-IP cell (upstream getServiceExternalIP, wide form). */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer);
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** `80/TCP,443:30443/TCP`. */
export function servicePorts(svc: Service): string {
  const pieces = (svc.spec?.ports ?? []).map((p) => ((p.nodePort ?? 0) > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`));
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells(svc: Service, now: Date): TableCell[] {
    const clusterIP = svc.spec?.clusterIPs?.[0] ?? '<none>';
    return [name(svc), svc.spec?.type ?? '', clusterIP, serviceExternalIP(svc), servicePorts(svc), age(svc, now), formatLabels(svc.spec?.selector)];
  },
};

/** `10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if ((ss.ports ?? []).length === 0) {
      for (const a of addresses) all.push(a.ip ?? '');
      continue;
    }
    for (const port of ss.ports!) {
      for (const a of addresses) all.push(hostPort(a.ip ?? '', port.port ?? 0));
    }
  }
  return listWithMore(all, 3, '');
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export const endpointsPrinter: TablePrinter = {
  columns: [nameColumn(), column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn()],
  cells: (ep: Endpoints, now): TableCell[] => [name(ep), formatEndpoints(ep), age(ep, now)],
};

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  cells(slice: EndpointSlice, now: Date): TableCell[] {
    const ports = (slice.ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*'));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [name(slice), slice.addressType ?? '', listWithMore(ports, 3, '<unset>'), listWithMore(addresses, 3, '<unset>'), age(slice, now)];
  },
};

/** Ingress HOSTS: the first 3 non-empty rule hosts, `*` when none (upstream formatHosts). */
function ingressHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === 3) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  cells(ing: Ingress, now: Date): TableCell[] {
    return [name(ing), ing.spec?.ingressClassName ?? '<none>', ingressHosts(ing), loadBalancerAddresses(ing.status?.loadBalancer).join(','),
      (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80', age(ing, now)];
  },
};
