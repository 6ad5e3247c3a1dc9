// The node's cluster DNS role: informers on Services and EndpointSlices keep a ClusterZone
// current, and a DnsServer answers on the node's address (port 53, UDP and TCP) until the signal
// aborts. One per agent; pods reach it through the kube-dns Service (10.43.0.10), which the
// cluster-dns controller points at the nodes running this role.
//
// Contract: `startClusterDNS` resolves after the server stopped and its sockets closed. Serving
// starts once both informers have synced (or after `syncTimeoutMs`, as CoreDNS serves after its
// 5 s wait), so a restarted server does not answer NXDOMAIN for Services it has not listed yet.
// Every change re-derives the affected Service's records from the caches (level-based), never
// from the event's payload alone. It rejects if a listen address cannot be bound.
import type { EndpointSlice, KubeObject, Service } from '../../api/index.js';
import { endpointSlicesRef, servicesRef } from '../../api/light.js';
import { Informer, objectKey, type Client } from '../../client/index.js';
import { sliceServiceKey } from '../proxy/service-ports.js';
import { DEFAULT_DOMAIN } from './cluster-zone.js';
import { parseUpstream, type Upstream } from './forwarder.js';
import { DEFAULT_RESOLV_CONF, readResolvConf } from './resolv-conf.js';
import { DnsServer, type BoundAddress, type ListenAddress } from './server.js';

export interface ClusterDNSOptions {
  client: Client;
  /** Where to answer: the node's InternalIP (port 53 by default). */
  listen: ListenAddress[];
  /** Cluster domain (default cluster.local). */
  domain?: string;
  /** Upstreams come from here (default /etc/resolv.conf), minus this server's own addresses. */
  resolvConf?: string;
  /** Explicit upstreams (`ip`, `ip:port`, `[ipv6]:port`), replacing resolvConf. */
  upstreams?: string[];
  /** Ranges whose reverse names are answered here (default cluster and service CIDRs). */
  reverseCIDRs?: string[];
  /** The kube-dns Service IPs, answered for `ns.dns.<domain>` (default 10.43.0.10). */
  nameserverIPs?: string[];
  /** Wait at most this long for the informers before serving (default 5000 ms). */
  syncTimeoutMs?: number;
  /** Called once the server is listening (e.g. to label the Node as running cluster DNS). */
  onListening?(addresses: readonly BoundAddress[]): void;
  log?: (msg: string) => void;
}

const BY_SERVICE = 'service';

/** Keeps only what DNS reads, to bound the agent's memory. */
function slimService(obj: KubeObject): KubeObject {
  const s = obj as Service;
  const spec = s.spec ?? {};
  return {
    metadata: { name: s.metadata?.name, namespace: s.metadata?.namespace, resourceVersion: s.metadata?.resourceVersion },
    spec: {
      type: spec.type, clusterIP: spec.clusterIP, clusterIPs: spec.clusterIPs, externalName: spec.externalName,
      publishNotReadyAddresses: spec.publishNotReadyAddresses, ports: spec.ports?.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port })),
    },
  };
}

function slimSlice(obj: KubeObject): KubeObject {
  const s = obj as EndpointSlice;
  return {
    metadata: { name: s.metadata?.name, namespace: s.metadata?.namespace, resourceVersion: s.metadata?.resourceVersion, labels: s.metadata?.labels },
    addressType: s.addressType,
    endpoints: s.endpoints?.map((e) => ({ addresses: e.addresses, hostname: e.hostname, conditions: e.conditions })),
    ports: s.ports?.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port })),
  };
}

export async function startClusterDNS(options: ClusterDNSOptions, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const log = options.log ?? (() => {});
  const upstreams: Upstream[] = options.upstreams
    ? options.upstreams.map(parseUpstream)
    : readResolvConf(options.resolvConf ?? DEFAULT_RESOLV_CONF, options.listen);
  if (upstreams.length === 0) log('dns: no upstream nameservers; names outside the cluster are refused');
  const server = new DnsServer({
    listen: options.listen, upstreams, domain: options.domain ?? DEFAULT_DOMAIN,
    reverseCIDRs: options.reverseCIDRs, nameserverIPs: options.nameserverIPs ?? ['10.43.0.10'], log,
  });
  const onError = (e: unknown) => log(`dns: ${(e as Error).message ?? String(e)}`);
  const services = new Informer(options.client.resource(servicesRef), { transform: slimService, onError });
  const slices = new Informer(options.client.resource(endpointSlicesRef), {
    transform: slimSlice, onError,
    indexers: { [BY_SERVICE]: (s) => { const k = sliceServiceKey(s); return k ? [k] : []; } },
  });
  const sync = (key: string) => {
    const svc = services.store.get(key) as Service | undefined;
    server.zone.setService(key, svc, svc ? (slices.store.byIndex(BY_SERVICE, key) as EndpointSlice[]) : []);
  };
  services.addEventHandler({ onAdd: (o) => sync(objectKey(o)), onUpdate: (_o, n) => sync(objectKey(n)), onDelete: (o) => sync(objectKey(o)) });
  const onSlice = (o: KubeObject) => { const k = sliceServiceKey(o); if (k) sync(k); };
  slices.addEventHandler({
    onAdd: onSlice, onDelete: onSlice,
    onUpdate: (o, n) => { const a = sliceServiceKey(o); const b = sliceServiceKey(n); if (a) sync(a); if (b && b !== a) sync(b); },
  });
  // The informers stop with the role, also when binding fails.
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const running = [services.start(inner.signal), slices.start(inner.signal)];
  try {
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(options.syncTimeoutMs ?? 5000)]);
    const synced = await Promise.all([services.waitForSync(timeout), slices.waitForSync(timeout)]);
    if (signal.aborted) return;
    if (!synced.every(Boolean)) log('dns: informers not synced in time; serving what is known');
    await server.start();
    log(`dns: serving ${options.domain ?? DEFAULT_DOMAIN} on ${server.addresses.map((a) => `${a.host}:${a.port}`).join(', ')}`);
    options.onListening?.(server.addresses);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    signal.removeEventListener('abort', onAbort);
    inner.abort();
    await server.stop();
    await Promise.allSettled(running);
  }
}
