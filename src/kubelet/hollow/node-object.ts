// Pure builders for what a hollow kubelet writes about its node: the Node it registers (as
// upstream's kubelet initialNode plus its status setters), the heartbeat conditions, and the
// node's Lease in kube-node-lease. No I/O; `now` is passed in.
import { parseQuantity, type Lease, type Node, type Taint } from '../../api/index.js';
import { microTime } from '../../client/index.js';

export type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Upstream kubelet's default nodeLeaseDurationSeconds. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** Reported as status.nodeInfo.kubeletVersion (the server's version line). */
export const HOLLOW_KUBELET_VERSION = 'v1.31.0+capstan';
export const KUBELET_PORT = 10250;

/** What every hollow node of one `capstan sim` has in common. */
export interface HollowNodeTemplate {
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
  /** Extra labels, applied after the well-known ones (so they may override them). */
  labels: Record<string, string>;
  taints: Taint[];
  /** e.g. `fake://1.0`. */
  containerRuntimeVersion: string;
}

/** Go's GOARCH names for Node's `kubernetes.io/arch`. */
export function goArch(nodeArch: string = process.arch): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

/** The node's fake InternalIP: index `i` in 172.16.0.0/12 (room for a million nodes). */
export function hollowNodeIP(index: number): string {
  const n = 0xac100000 + 1 + index; // 172.16.0.1 + index
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The node's fake pod range when it has no spec.podCIDR: a /24 per node in 100.64.0.0/10. */
export function hollowPodCIDR(index: number): string {
  const n = (0x64400000 + index * 256) >>> 0;
  return `${[(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, 0].join('.')}/24`;
}

/**
 * Upstream kubelet's four heartbeat conditions, all healthy. `lastTransitionTime` is kept from
 * `previous` when the status did not change (as the kubelet's setters do).
 */
export function healthyConditions(now: number, previous: NodeCondition[] = []): NodeCondition[] {
  const t = isoSeconds(now);
  const make = (type: string, status: string, reason: string, message: string): NodeCondition => {
    const old = previous.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : t;
    return { type, status, lastHeartbeatTime: t, lastTransitionTime, reason, message };
  };
  return [
    make('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    make('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    make('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeLabels(name: string, template: HollowNodeTemplate): Record<string, string> {
  const arch = goArch();
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'hollow',
    ...template.labels,
  };
}

/** The Node a hollow kubelet registers (POST /api/v1/nodes), status included as the kubelet does. */
export function buildNode(name: string, index: number, template: HollowNodeTemplate, now: number): Node {
  const capacity: Record<string, string> = {
    cpu: template.cpu,
    'ephemeral-storage': template.ephemeralStorage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: template.memory,
    pods: template.pods,
  };
  const node: Node = {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: nodeLabels(name, template),
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: template.taints.length ? { taints: template.taints.map((t) => ({ ...t })) } : {},
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: healthyConditions(now),
      addresses: [{ type: 'InternalIP', address: hollowNodeIP(index) }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
      nodeInfo: {
        machineID: name, systemUUID: name, bootID: name,
        kernelVersion: 'hollow', osImage: 'Capstan hollow node',
        containerRuntimeVersion: template.containerRuntimeVersion,
        kubeletVersion: HOLLOW_KUBELET_VERSION, kubeProxyVersion: '',
        operatingSystem: 'linux', architecture: goArch(),
      },
    },
  };
  return node;
}

/** The node's Lease, owned by the Node (so it goes when the Node is deleted), as upstream. */
export function buildNodeLease(nodeName: string, nodeUID: string, now: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: {
      name: nodeName, namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUID }],
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}

/** Checks a resource quantity flag (`--cpu 32`, `--memory 256Gi`); throws a readable error. */
export function checkQuantity(flag: string, value: string): string {
  try {
    parseQuantity(value);
  } catch {
    throw new Error(`invalid ${flag} "${value}": not a resource quantity`);
  }
  return value;
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
