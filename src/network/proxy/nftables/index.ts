// The nftables proxy backend: programs a ProxyState into one nftables table, `ip capstan-proxy`.
export { createNftablesBackend, DEFAULT_FULL_REWRITE_PERIOD_MS, type NftablesBackendOptions } from './backend.js';
export { TABLE, TABLE_NAME, MASQUERADE_MARK } from './names.js';
export { renderFull, renderIncremental, type Written, type WrittenPort, type Transaction } from './ruleset.js';
