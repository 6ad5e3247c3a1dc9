// The proxy's model: what every backend (nftables, iptables) programs, as plain data. The proxy
// core turns the informers' Services and EndpointSlices into a ProxyState (a pure function); a
// backend turns a ProxyState into kernel rules. Nothing here does I/O.
//
// Contract between the core and a backend:
// - `ServicePortInfo.endpoints` holds every endpoint of the port from every slice, deduplicated by
//   address, including not-ready and terminating ones; a backend picks which ones serve traffic
//   with `clusterEndpoints` / `externalEndpoints` below, never by its own rules, so the backends
//   balance exactly alike.
// - A backend's `sync(state, changed)` must be safe to call again with the same state (a full
//   resync after drift), and `changed` only narrows the work: a backend may always do more.

export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';

/** One port of one Service: `<namespace>/<name>:<portName>` (portName may be ''). */
export interface ServicePortInfo {
  /** `namespace/name:portName/protocol`, unique in a ProxyState. */
  key: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: ServiceProtocol;
  /** spec.clusterIPs without "None"; empty for a headless Service (which gets no rules). */
  clusterIPs: string[];
  port: number;
  /** spec.ports[].nodePort for NodePort and LoadBalancer Services. */
  nodePort?: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip */
  loadBalancerIPs: string[];
  /** Set when spec.sessionAffinity is ClientIP (default timeout 10800 s). */
  sessionAffinityTimeoutSeconds?: number;
  /** spec.internalTrafficPolicy: Local — cluster-IP traffic only to this node's endpoints. */
  internalTrafficLocal: boolean;
  /** spec.externalTrafficPolicy: Local — NodePort/external/LB traffic only to this node's endpoints. */
  externalTrafficLocal: boolean;
  endpoints: EndpointInfo[];
}

export interface EndpointInfo {
  ip: string;
  /** The target port resolved from the slice's port of the same name and protocol. */
  port: number;
  /** conditions.ready (unset counts as true, as upstream) */
  ready: boolean;
  /** conditions.serving (unset counts as true, as upstream) */
  serving: boolean;
  /** conditions.terminating (unset counts as false) */
  terminating: boolean;
  nodeName?: string;
  /** nodeName equals the proxy's node. */
  isLocal: boolean;
}

export interface ProxyState {
  nodeName: string;
  /** This node's addresses that NodePorts answer on (InternalIP, ExternalIP). */
  nodeIPs: string[];
  /** The cluster CIDR(s): traffic from outside them to a Service is masqueraded. */
  clusterCIDRs: string[];
  /** Keyed by ServicePortInfo.key. */
  servicePorts: Map<string, ServicePortInfo>;
}

/**
 * Endpoints that serve traffic: the ready ones; when none is ready, the serving-and-terminating
 * ones (upstream's ProxyTerminatingEndpoints). `local` keeps only this node's endpoints.
 */
function usableEndpoints(endpoints: readonly EndpointInfo[], local: boolean): EndpointInfo[] {
  const candidates = local ? endpoints.filter((e) => e.isLocal) : endpoints;
  const ready = candidates.filter((e) => e.ready);
  if (ready.length > 0) return ready;
  return candidates.filter((e) => e.serving && e.terminating);
}

/** Endpoints for traffic to the cluster IPs (honours internalTrafficPolicy). */
export function clusterEndpoints(sp: ServicePortInfo): EndpointInfo[] {
  return usableEndpoints(sp.endpoints, sp.internalTrafficLocal);
}

/** Endpoints for traffic to NodePorts, externalIPs and load-balancer IPs (honours externalTrafficPolicy). */
export function externalEndpoints(sp: ServicePortInfo): EndpointInfo[] {
  return usableEndpoints(sp.endpoints, sp.externalTrafficLocal);
}

/** A proxy backend: programs a ProxyState into the kernel. */
export interface ProxyBackend {
  readonly mode: 'nftables' | 'iptables';
  /** Makes the kernel match `state`; `changed` (service-port keys) only narrows the work; 'all' = full resync. */
  sync(state: ProxyState, changed: ReadonlySet<string> | 'all'): Promise<void>;
  /** Removes every rule, chain, set and table this backend owns (`capstan proxy --cleanup`). */
  cleanup(): Promise<void>;
}
