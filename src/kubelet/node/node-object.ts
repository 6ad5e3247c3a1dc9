// Pure builders of what a kubelet writes about its node, shared by the real node agent and the
// hollow nodes of `capstan sim`: the default labels, the Lease in kube-node-lease, the images
// list, and the registration reconcile of an existing Node (upstream tryRegisterWithAPIServer).
import type { Lease, Node, Taint } from '../../api/index.js';
import { microTime } from '../../client/index.js';
import type { ImageInfo } from '../../runtime/index.js';
import { goArch, goOS } from './host-facts.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Upstream kubelet's default nodeLeaseDurationSeconds. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** Upstream: renewInterval = 0.25 × lease duration. */
export const NODE_LEASE_RENEW_INTERVAL_MS = 10_000;
/** Upstream's nodeStatusReportFrequency: status is posted at least this often, even unchanged. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
/** Upstream's nodeStatusUpdateFrequency: how often status is computed (and posted if changed). */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
/** The kubelet's default --port. */
export const KUBELET_PORT = 10250;
/** Upstream's nodeStatusMaxImages and MaxNamesPerImageInNodeStatus. */
export const NODE_STATUS_MAX_IMAGES = 50;
export const MAX_NAMES_PER_IMAGE = 5;

/** The labels the kubelet owns on its Node (upstream's updateDefaultLabels set). */
export function defaultNodeLabels(name: string, arch = goArch(), os = goOS()): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': os,
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': os,
  };
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

/** The renewed copy of a Lease read or written before (its resourceVersion guards the update). */
export function renewedLease(lease: Lease, nodeName: string, now: number): Lease {
  return {
    ...lease,
    spec: { ...lease.spec, holderIdentity: nodeName, leaseDurationSeconds: lease.spec?.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS, renewTime: microTime(now) },
  };
}

export type ContainerImage = NonNullable<NonNullable<Node['status']>['images']>[number];

/** status.images: the largest first, at most 50, each with up to 5 names (digests, then tags), as upstream; an image with no name at all is left out. */
export function nodeImages(images: readonly ImageInfo[]): ContainerImage[] {
  return [...images]
    .sort((a, b) => b.size - a.size)
    .slice(0, NODE_STATUS_MAX_IMAGES)
    .map((i) => ({ names: [...i.repoDigests, ...i.repoTags].slice(0, MAX_NAMES_PER_IMAGE), sizeBytes: i.size }))
    .filter((i) => i.names.length > 0);
}

/**
 * What to change on a Node that already exists when the kubelet registers (upstream
 * reconcileCMADAnnotationWithExistingNode + updateDefaultLabels): the default and `--node-labels`
 * labels and the attach-detach annotation. Taints are applied only at creation, as upstream.
 * Returns a merge patch, or undefined when nothing differs.
 */
export function reconcileExistingNode(existing: Node, desired: Node): Record<string, unknown> | undefined {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(desired.metadata?.labels ?? {})) {
    if (existing.metadata?.labels?.[k] !== v) labels[k] = v;
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(desired.metadata?.annotations ?? {})) {
    if (existing.metadata?.annotations?.[k] !== v) annotations[k] = v;
  }
  const metadata: Record<string, unknown> = {};
  if (Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return Object.keys(metadata).length ? { metadata } : undefined;
}

/** The Node a kubelet first posts: labels, taints, the attach-detach annotation; status is reported separately. */
export function registrationNode(name: string, labels: Record<string, string>, taints: readonly Taint[]): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: { ...defaultNodeLabels(name), ...labels },
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: taints.length ? { taints: taints.map((t) => ({ ...t })) } : {},
  };
}
