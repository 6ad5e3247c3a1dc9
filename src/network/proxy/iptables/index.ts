// The iptables proxy backend (`--proxy-mode=iptables`), the fallback to nftables. Public surface:
// createIptablesBackend; the pure rule builders are exported for tests and benchmarks.
export { createIptablesBackend, type IptablesBackendOptions } from './backend.js';
export type { IptablesRunner } from './runner.js';
export { servicePortRules, type FamilyOptions, type ServicePortRules } from './service-rules.js';
export { fullSyncPlan, partialSyncPlan, renderRestore, JUMPS } from './rules.js';
export { cleanupRestore, parseSave } from './saved-rules.js';
