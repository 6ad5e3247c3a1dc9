// Pure builders for what a hollow kubelet writes about its node: the Node it registers (as
// upstream's kubelet initialNode plus its status setters), the heartbeat conditions, and the
// node's Lease in kube-node-lease. No I/O; `now` is passed in.
import type { Node, Taint } from '../../api/index.js';
import { parseQuantity } from '../../api/light.js';
import { goArch } from '../node/host-facts.js';
import { healthyConditions, type NodeCondition } from '../node/node-conditions.js';
import { buildNodeLease, defaultNodeLabels, KUBELET_PORT, NODE_LEASE_DURATION_SECONDS, NODE_LEASE_NAMESPACE } from '../node/node-object.js';

// Shared with the real node agent; re-exported for the hollow nodes' callers and tests.
export { buildNodeLease, goArch, healthyConditions, KUBELET_PORT, NODE_LEASE_DURATION_SECONDS, NODE_LEASE_NAMESPACE, type NodeCondition };

/** Reported as status.nodeInfo.kubeletVersion (the server's version line). */
export const HOLLOW_KUBELET_VERSION = 'v1.31.0+capstan';

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

export function nodeLabels(name: string, template: HollowNodeTemplate): Record<string, string> {
  const arch = goArch();
  return {
    ...defaultNodeLabels(name, arch, 'linux'),
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

/** Checks a resource quantity flag (`--cpu 32`, `--memory 256Gi`); throws a readable error. */
export function checkQuantity(flag: string, value: string): string {
  try {
    parseQuantity(value);
  } catch {
    throw new Error(`invalid ${flag} "${value}": not a resource quantity`);
  }
  return value;
}

