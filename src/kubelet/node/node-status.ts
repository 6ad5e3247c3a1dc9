// The Node's status as the kubelet reports it, from one host sample: capacity/allocatable,
// conditions, addresses, nodeInfo, daemonEndpoints and images. Pure.
import type { Node } from '../../api/index.js';
import { goArch, goOS } from './host-facts.js';
import type { HostIdentity, HostSample } from './host-readers.js';
import { conditionsChanged, nodeConditions, type NodeCondition, type NodeSignals, type Pressure } from './node-conditions.js';
import { nodeResources, type EvictionThreshold, type Reservation } from './node-resources.js';
import type { ContainerImage } from './node-object.js';

export type NodeStatus = NonNullable<Node['status']>;

/** What stays fixed for the life of the agent. */
export interface NodeStatusConfig {
  identity: HostIdentity;
  /** `<runtimeName>://<runtimeVersion>`. */
  containerRuntimeVersion: string;
  kubeletVersion: string;
  nodeIP?: string;
  maxPods: number;
  kubeReserved: Reservation;
  systemReserved: Reservation;
  evictionHard: EvictionThreshold[];
  kubeletPort: number;
}

export function nodeSignals(s: HostSample, imagefs?: NodeSignals['imagefs']): NodeSignals {
  return {
    memoryCapacityBytes: s.memoryTotalBytes, memoryAvailableBytes: s.memoryAvailableBytes,
    nodefs: s.nodefs, imagefs, pidMax: s.pidMax, pidAvailable: Math.max(0, s.pidMax - s.threads),
  };
}

export function buildNodeStatus(cfg: NodeStatusConfig, s: HostSample, now: number, previous: readonly NodeCondition[], pressure: Pressure, readinessErrors: readonly string[], images: ContainerImage[]): NodeStatus {
  const { capacity, allocatable } = nodeResources(
    { cpus: s.cpus, memoryBytes: s.memoryTotalBytes, nodefsBytes: s.nodefs.capacityBytes, maxPods: cfg.maxPods, hugepages: s.hugepages },
    cfg.kubeReserved, cfg.systemReserved, cfg.evictionHard,
  );
  const addresses = [
    ...(cfg.nodeIP ? [{ type: 'InternalIP', address: cfg.nodeIP }] : []),
    { type: 'Hostname', address: cfg.identity.hostname },
  ];
  const status: NodeStatus = {
    capacity, allocatable,
    conditions: nodeConditions(now, previous, pressure, readinessErrors),
    addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort } },
    nodeInfo: {
      machineID: cfg.identity.machineID, systemUUID: cfg.identity.systemUUID, bootID: cfg.identity.bootID,
      kernelVersion: cfg.identity.kernelVersion, osImage: cfg.identity.osImage,
      containerRuntimeVersion: cfg.containerRuntimeVersion,
      kubeletVersion: cfg.kubeletVersion, kubeProxyVersion: cfg.kubeletVersion,
      operatingSystem: goOS(), architecture: goArch(),
    },
    images,
  };
  return status;
}

/** True when `next` differs from `last` in anything but condition heartbeats (upstream nodeStatusHasChanged). */
export function nodeStatusChanged(last: NodeStatus | undefined, next: NodeStatus): boolean {
  if (!last) return true;
  if (conditionsChanged(last.conditions, next.conditions)) return true;
  const rest = (s: NodeStatus) => canonical({ ...s, conditions: undefined, volumesInUse: undefined, volumesAttached: undefined, phase: undefined });
  return rest(last) !== rest(next);
}

/** JSON with object keys sorted, so a status read back from the server compares equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
