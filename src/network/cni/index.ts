// The CNI part of the network component: the executor for plugin lists, the built-in bridge
// network, and CniNetwork, the runtime's pod network.
export { CniNetwork, podCniArgs, podIPsFromResult, portMappingsCapability, POD_INTERFACE, type CniNetworkOptions, type PodNetwork, type PodNetworkRequest } from './cni-network.js';
export { CniExecutor, pluginInvocationConfig, type CniExecutorOptions } from './plugin-list.js';
export { bridgeConflist, egressMasqueradeMatch, parseCIDR, DEFAULT_BRIDGE_NAME, DEFAULT_NETWORK_NAME, DEFAULT_POD_CIDR, LOOPBACK_CONFLIST, type BridgeConflistOptions, type EgressMasqueradeMatch } from './bridge-conflist.js';
export { loadConfDir, parseConfFile, confFileCandidates, type LoadedConf } from './conf-files.js';
export { ResultCache, type CachedAttachment, type CachedEntry } from './result-cache.js';
export { DEFAULT_CNI_BIN_DIRS, findPlugin, parseCniBinDirs } from './exec-plugin.js';
export { CniError, CNI_VERSION, CNI_ERROR_CODES, type CniResult, type NetConfList, type PluginConf, type RuntimeConf } from './types.js';
