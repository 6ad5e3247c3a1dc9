// Pure: what the service-lb controller (a simplified k3s ServiceLB) writes into a Service's
// `status.loadBalancer`. A `type: LoadBalancer` Service without `spec.loadBalancerClass` is
// served by every eligible node on the Service port (the proxy treats the ingress IPs as it
// treats externalIPs), so its ingress is the InternalIPs of those nodes, of the Service's IP
// families, each `{ ip, ipMode: VIP }`, sorted so that the same nodes always give the same list.
// A node is eligible while it is Ready, schedulable, not being deleted and not opted out (upstream
// label `node.kubernetes.io/exclude-from-external-load-balancers`, or
// `node.capstan.dev/service-lb: "false"`). A Service with a loadBalancerClass belongs to another
// implementation and is never touched; a Service that is no longer a LoadBalancer has its
// ingress cleared. No I/O.
import { jsonEqual, type Node, type Service } from '../../api/index.js';
import { isNodeReady, nodeInternalIPs } from '../cluster-dns/desired.js';

/** Upstream service controller's opt-out label (any value excludes the node). */
export const EXCLUDE_FROM_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';
/** Capstan's opt-out: "false" keeps the node out of every LoadBalancer Service's ingress. */
export const SERVICE_LB_NODE_LABEL = 'node.capstan.dev/service-lb';

export type LoadBalancerIngress = NonNullable<NonNullable<NonNullable<Service['status']>['loadBalancer']>['ingress']>[number];
type Family = 'IPv4' | 'IPv6';

/** Whether this controller provides the Service's load balancer. */
export function wantsServiceLB(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

export function isLoadBalancerNode(node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return isNodeReady(node) && !node.spec?.unschedulable && !node.metadata?.deletionTimestamp
    && !(EXCLUDE_FROM_LB_LABEL in labels) && labels[SERVICE_LB_NODE_LABEL] !== 'false';
}

/** The addresses a node contributes to LoadBalancer ingress (none when it is not eligible). */
export function loadBalancerNodeIPs(node: Node): string[] {
  return isLoadBalancerNode(node) ? [...nodeInternalIPs(node, 'IPv4'), ...nodeInternalIPs(node, 'IPv6')] : [];
}

/** The ingress a LoadBalancer Service of ours should show, given every cached node. */
export function desiredIngress(svc: Service, nodes: readonly Node[]): LoadBalancerIngress[] {
  if (!wantsServiceLB(svc)) return [];
  const families: Family[] = svc.spec?.ipFamilies?.length ? svc.spec.ipFamilies.map((f) => (f === 'IPv6' ? 'IPv6' : 'IPv4')) : ['IPv4'];
  const out: LoadBalancerIngress[] = [];
  for (const family of families) {
    const ips = new Set<string>();
    for (const n of nodes) if (isLoadBalancerNode(n)) for (const ip of nodeInternalIPs(n, family)) ips.add(ip);
    for (const ip of [...ips].sort(compareIPs)) out.push({ ip, ipMode: 'VIP' });
  }
  return out;
}

/**
 * The `status.loadBalancer` to write, or undefined when the current one is right (or not ours to
 * manage: a loadBalancerClass).
 */
export function loadBalancerStatusUpdate(svc: Service, nodes: readonly Node[]): { ingress?: LoadBalancerIngress[] } | undefined {
  if (svc.spec?.type === 'LoadBalancer' && svc.spec.loadBalancerClass) return undefined;
  const current = svc.status?.loadBalancer?.ingress ?? [];
  const wanted = desiredIngress(svc, nodes);
  if (jsonEqual(current, wanted)) return undefined;
  return wanted.length ? { ingress: wanted } : {};
}

/** Numeric order for IPv4 (10.0.0.9 before 10.0.0.10); IPv6 by its expanded form. */
export function compareIPs(a: string, b: string): number {
  const ka = ipSortKey(a);
  const kb = ipSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function ipSortKey(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').map((o) => o.padStart(3, '0')).join('.');
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0').toLowerCase()).join(':');
}
