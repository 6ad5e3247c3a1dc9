// Pod → the runtime's PodSandboxConfig (upstream kuberuntime generatePodSandboxConfig). Pure.
// Called by the pod worker before RunPodSandbox, with the sandbox's attempt number.
import { podLogDirectory } from '../logs/log-files.js';
import type { Pod } from '../../api/index.js';
import type { Container } from './spec-types.js';
import type { PodSandboxConfig, PortMapping } from '../../runtime/index.js';
import { podDNSConfig } from './dns.js';
import { sandboxHostname } from './hosts-file.js';
import { sandboxLabels, sandboxAnnotations } from './labels.js';
import { podCgroupParent } from './resources.js';
import { namespacesForPod, podSysctls } from './security-context.js';
import type { NodeContext } from './node-context.js';

/**
 * Upstream MakePortMappings per container (duplicate port names skipped). Ports without a
 * hostPort are left out: they need no mapping (the CRI runtimes drop them before CNI too).
 */
export function podPortMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) out.push(...containerPortMappings(c));
  return out;
}

function containerPortMappings(c: Container): PortMapping[] {
  const names = new Set<string>();
  const out: PortMapping[] = [];
  for (const p of c.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    const family = !p.hostIP ? 'any' : p.hostIP.includes(':') ? 'v6' : 'v4';
    const name = p.name || `${family}-${protocol}-${p.hostIP ?? ''}:${p.containerPort}:${p.hostPort ?? 0}`;
    if (names.has(name)) continue;
    names.add(name);
    if (!p.hostPort) continue;
    const m: PortMapping = { protocol: protocol as PortMapping['protocol'], containerPort: p.containerPort ?? 0, hostPort: p.hostPort };
    if (p.hostIP) m.hostIP = p.hostIP;
    out.push(m);
  }
  return out;
}

/**
 * The sandbox config of `pod`. A hostNetwork pod gets no hostname (it keeps the node's), as
 * upstream. Throws when spec.hostname is invalid or the FQDN too long.
 */
export function sandboxConfigFor(pod: Pod, node: NodeContext, attempt = 0): PodSandboxConfig {
  const cfg: PodSandboxConfig = {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    uid: pod.metadata?.uid ?? '',
    attempt,
    labels: sandboxLabels(pod),
    annotations: sandboxAnnotations(pod),
    logDirectory: podLogDirectory(node.logsDir, pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', pod.metadata?.uid ?? ''),
    dnsConfig: podDNSConfig(pod, node),
    portMappings: podPortMappings(pod),
    namespaceOptions: namespacesForPod(pod),
    cgroupParent: podCgroupParent(pod),
  };
  if (!pod.spec?.hostNetwork) cfg.hostname = sandboxHostname(pod, node.clusterDomain);
  const sysctls = podSysctls(pod);
  if (sysctls) cfg.sysctls = sysctls;
  return cfg;
}
