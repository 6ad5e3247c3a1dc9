// The node routes role: host-gateway routes between nodes' pod CIDRs and the egress masquerade.
export { startNodeRoutes, cleanupNodeRoutes, parseClusterCIDRs, installedRoutes, type NodeRoutesOptions } from './node-routes.js';
export { desiredRoutes, diffRoutes, parseInstalledRoutes, routeBatch, ROUTE_PROTOCOL, type NodeRoute, type InstalledRoute, type RouteChanges } from './desired-routes.js';
export { egressMasqueradeRuleset, NODE_TABLE } from './egress-masquerade.js';
export { parseIPv4CIDR } from './cidr.js';
