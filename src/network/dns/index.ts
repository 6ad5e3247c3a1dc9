// Public surface of the cluster DNS server: the role (`startClusterDNS`), the Client-less server
// and zone for tests and benchmarks, and the pure pieces worth reusing.
export { startClusterDNS, type ClusterDNSOptions } from './cluster-dns.js';
export { DnsServer, type DnsServerOptions, type ListenAddress, type BoundAddress } from './server.js';
export { ClusterZone, DEFAULT_DOMAIN, CLUSTER_TTL, type ClusterZoneOptions, type ZoneAnswer } from './cluster-zone.js';
export { DnsHandler, type DnsHandlerOptions } from './handler.js';
export { Forwarder, parseUpstream, type Upstream, type ForwarderOptions } from './forwarder.js';
export { parseResolvConf, readResolvConf, upstreamsFromResolvConf, DEFAULT_RESOLV_CONF } from './resolv-conf.js';
export { serviceRecords, type ServiceRecords, type ZoneRecord } from './service-records.js';
