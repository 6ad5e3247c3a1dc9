// Public surface of the Service proxy: the role (`startProxy`), rule cleanup for `--cleanup`, the
// backends' registry and the model backends program.
export { startProxy, Proxier, DEFAULT_CLUSTER_CIDRS, DEFAULT_MIN_SYNC_PERIOD_MS, DEFAULT_SYNC_PERIOD_MS, type ProxyOptions, type SyncInfo } from './proxier.js';
export { cleanupProxyRules, createBackend, isProxyMode, PROXY_MODES, type BackendOptions, type ProxyMode } from './backends.js';
export { buildServicePorts, servicePortsFor, familiesOfCIDRs, SERVICE_NAME_LABEL, type ServiceLike, type EndpointSliceLike, type ProxyIdentity } from './service-ports.js';
export { changedServicePorts, ServicePortTracker } from './change-tracker.js';
export { ConntrackCleaner, type ConntrackCleanerOptions, type ConntrackCleanupResult } from './conntrack-runner.js';
export { staleConntrackDeletions, conntrackDeleteArgs, type ConntrackDeletion } from './conntrack.js';
export * from './model.js';
