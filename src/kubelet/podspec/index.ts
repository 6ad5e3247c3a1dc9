// Pod spec → runtime configs: the sandbox (DNS, hostname, ports, namespaces, cgroup parent,
// labels), each container (env, command, mounts, resources, security), the managed hosts file,
// and the object source they read ConfigMaps, Secrets and Services through.
export { sandboxConfigFor, podPortMappings } from './sandbox-config.js';
export { containerConfigFor, type ContainerContext } from './container-config.js';
export { CreateContainerConfigError } from './errors.js';
export { formatPod, type NodeContext, type PodEventRecorder, type EventType } from './node-context.js';
export { hostsFileFor, hostNetworkHostsFile, podHostnameAndDomain, sandboxHostname } from './hosts-file.js';
export { podDNSConfig, parseResolvConf, resolvConfText } from './dns.js';
export { makeEnvironmentVariables, expandCommandAndArgs, isEnvVarName, type EnvVar, type EnvInputs } from './env.js';
export { serviceEnvMap, envFromServices } from './service-env.js';
export { expand, mappingFuncFor } from './expansion.js';
export {
  containerResources, containerOOMScoreAdj, podQOSClass, podCgroupParent, milliCPUToShares, milliCPUToQuota,
} from './resources.js';
export {
  containerSecurityContext, effectiveSecurityContext, verifyRunAsNonRoot, namespacesForPod, imageUser, podSysctls,
} from './security-context.js';
export { sandboxLabels, sandboxAnnotations, containerLabels, containerAnnotations } from './labels.js';
export { MemoryObjectSource, ClientObjectSource, type ObjectSource, type ClaimObject, type ClientObjectSourceOptions } from './object-source.js';
