// core/v1 Node. Cluster-scoped; the kubelet registers its node with a status and keeps it fresh
// through /status; spec holds what the cluster decides about the node (taints, pod CIDRs, cordon).
import { obj, str, int32, int64, bool, list, map, quantity, enumStr, time, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, childPath, type FieldError } from '../field-errors.js';
import { isQualifiedName, isValidCIDR, isValidLabelValue } from '../meta/names.js';
import { validateNonnegativeQuantity } from './field-checks.js';
import { TAINT_EFFECTS } from './taint-effects.js';

export { TAINT_EFFECTS };

export const TaintSchema = obj('io.k8s.api.core.v1.Taint',
  'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.', {
    key: str('Required. The taint key to be applied to a node.'),
    value: str('The taint value corresponding to the taint key.'),
    effect: enumStr('Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.', TAINT_EFFECTS),
    timeAdded: time('TimeAdded represents the time at which the taint was added.'),
  }, { required: ['key', 'effect'] });
export type Taint = Static<typeof TaintSchema>;

export const NodeSpecSchema = obj('io.k8s.api.core.v1.NodeSpec', 'NodeSpec describes the attributes that a node is created with.', {
  podCIDR: str('PodCIDR represents the pod IP range assigned to the node.'),
  podCIDRs: list(str(), 'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.', { strategy: 'merge', listType: 'set' }),
  providerID: str('ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>'),
  unschedulable: bool('Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
  taints: list(TaintSchema, 'If specified, the node\'s taints.', { listType: 'atomic' }),
  externalID: str('Deprecated. Not all kubelets will set this field. Remove field after 1.13.'),
});

export const NodeConditionSchema = obj('io.k8s.api.core.v1.NodeCondition', 'NodeCondition contains condition information for a node.', {
  type: str('Type of node condition.'),
  status: str('Status of the condition, one of True, False, Unknown.'),
  lastHeartbeatTime: time('Last time we got an update on a given condition.'),
  lastTransitionTime: time('Last time the condition transit from one status to another.'),
  reason: str('(brief) reason for the condition\'s last transition.'),
  message: str('Human readable message indicating details about last transition.'),
}, { required: ['type', 'status'] });

export const NodeAddressSchema = obj('io.k8s.api.core.v1.NodeAddress', 'NodeAddress contains information for the node\'s address.', {
  type: str('Node address type, one of Hostname, ExternalIP or InternalIP.'),
  address: str('The node address.'),
}, { required: ['type', 'address'] });

export const DaemonEndpointSchema = obj('io.k8s.api.core.v1.DaemonEndpoint', 'DaemonEndpoint contains information about a single Daemon endpoint.', {
  Port: int32('Port number of the given endpoint.'),
}, { required: ['Port'] });

export const NodeSystemInfoSchema = obj('io.k8s.api.core.v1.NodeSystemInfo', 'NodeSystemInfo is a set of ids/uuids to uniquely identify the node.', {
  machineID: str('MachineID reported by the node.'),
  systemUUID: str('SystemUUID reported by the node.'),
  bootID: str('Boot ID reported by the node.'),
  kernelVersion: str('Kernel Version reported by the node from \'uname -r\'.'),
  osImage: str('OS Image reported by the node from /etc/os-release.'),
  containerRuntimeVersion: str('ContainerRuntime Version reported by the node through runtime remote API.'),
  kubeletVersion: str('Kubelet Version reported by the node.'),
  kubeProxyVersion: str('Deprecated: KubeProxy Version reported by the node.'),
  operatingSystem: str('The Operating System reported by the node'),
  architecture: str('The Architecture reported by the node'),
  swap: obj('io.k8s.api.core.v1.NodeSwapStatus', 'NodeSwapStatus represents swap memory information.', {
    capacity: int64('Total amount of swap memory in bytes.'),
  }),
});

export const ContainerImageSchema = obj('io.k8s.api.core.v1.ContainerImage', 'Describe a container image', {
  names: list(str(), 'Names by which this image is known.', { listType: 'atomic' }),
  sizeBytes: int64('The size of the image in bytes.'),
});

export const AttachedVolumeSchema = obj('io.k8s.api.core.v1.AttachedVolume', 'AttachedVolume describes a volume attached to a node', {
  name: str('Name of the attached volume'),
  devicePath: str('DevicePath represents the device path where the volume should be available'),
}, { required: ['name', 'devicePath'] });

export const NodeRuntimeHandlerSchema = obj('io.k8s.api.core.v1.NodeRuntimeHandler', 'NodeRuntimeHandler is a set of runtime handler information.', {
  name: str('Runtime handler name. Empty for the default runtime handler.'),
  features: obj('io.k8s.api.core.v1.NodeRuntimeHandlerFeatures', 'NodeRuntimeHandlerFeatures is a set of features implemented by the runtime handler.', {
    recursiveReadOnlyMounts: bool('RecursiveReadOnlyMounts is set to true if the runtime handler supports RecursiveReadOnlyMounts.'),
    userNamespaces: bool('UserNamespaces is set to true if the runtime handler supports UserNamespaces, including for volumes.'),
  }),
});

export const NodeStatusSchema = obj('io.k8s.api.core.v1.NodeStatus', 'NodeStatus is information about the current status of a node.', {
  capacity: map(quantity(), 'Capacity represents the total resources of a node.'),
  allocatable: map(quantity(), 'Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.'),
  phase: enumStr('NodePhase is the recently observed lifecycle phase of the node.', ['Pending', 'Running', 'Terminated']),
  conditions: list(NodeConditionSchema, 'Conditions is an array of current observed node conditions.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  addresses: list(NodeAddressSchema, 'List of addresses reachable to the node.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  daemonEndpoints: obj('io.k8s.api.core.v1.NodeDaemonEndpoints', 'NodeDaemonEndpoints lists ports opened by daemons running on the Node.', {
    kubeletEndpoint: DaemonEndpointSchema,
  }),
  nodeInfo: NodeSystemInfoSchema,
  images: list(ContainerImageSchema, 'List of container images on this node', { listType: 'atomic' }),
  volumesInUse: list(str(), 'List of attachable volumes in use (mounted) by the node.', { listType: 'atomic' }),
  volumesAttached: list(AttachedVolumeSchema, 'List of volumes that are attached to the node.', { listType: 'atomic' }),
  runtimeHandlers: list(NodeRuntimeHandlerSchema, 'The available runtime handlers.', { listType: 'atomic' }),
  features: obj('io.k8s.api.core.v1.NodeFeatures', 'NodeFeatures describes the set of features implemented by the CRI implementation.', {
    supplementalGroupsPolicy: bool('SupplementalGroupsPolicy is set to true if the runtime supports SupplementalGroupsPolicy and ContainerUser.'),
  }),
});

export const NodeSchema = resourceSchema('io.k8s.api.core.v1.Node', { group: '', version: 'v1', kind: 'Node' },
  'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).', {
    spec: NodeSpecSchema,
    status: NodeStatusSchema,
  });
export type Node = Static<typeof NodeSchema>;

/** Upstream validateNodeTaints: key/value/effect checks, unique by key and effect. */
export function validateTaints(taints: Taint[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const p = indexPath(path, i);
    for (const m of isQualifiedName(t.key ?? '')) errs.push(fieldError.invalid(childPath(p, 'key'), t.key ?? '', m));
    if (t.value) for (const m of isValidLabelValue(t.value)) errs.push(fieldError.invalid(childPath(p, 'value'), t.value, m));
    if (!t.effect) errs.push(fieldError.required(childPath(p, 'effect'), ''));
    else if (!(TAINT_EFFECTS as readonly string[]).includes(t.effect)) errs.push(fieldError.notSupported(childPath(p, 'effect'), t.effect, TAINT_EFFECTS));
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) {
      const dup = fieldError.duplicate(p, t);
      errs.push({ ...dup, message: `${dup.message}: taints must be unique by key and effect pair` });
    }
    seen.add(key);
  });
  return errs;
}

function validateNode(node: Node): FieldError[] {
  const errs = validateTaints(node.spec?.taints, 'spec.taints');
  const cidrs = node.spec?.podCIDRs ?? [];
  cidrs.forEach((c, i) => {
    for (const m of isValidCIDR(c)) errs.push(fieldError.invalid(indexPath('spec.podCIDRs', i), c, m));
  });
  if (cidrs.length > 2) errs.push(fieldError.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  else if (cidrs.length === 2 && cidrs[0]!.includes(':') === cidrs[1]!.includes(':')) {
    errs.push(fieldError.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    if (cidrs[0] === cidrs[1]) errs.push(fieldError.duplicate('spec.podCIDRs[1]', cidrs[1]));
  }
  // Upstream ValidateNodeResources names these `status.capacity.cpu` (a child, not a key).
  for (const list of ['capacity', 'allocatable'] as const) {
    for (const [k, q] of Object.entries(node.status?.[list] ?? {})) errs.push(...validateNonnegativeQuantity(q, `status.${list}.${k}`));
  }
  const addrs = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const key = `${a.type}/${a.address}`;
    if (addrs.has(key)) errs.push(fieldError.duplicate(indexPath('status.addresses', i), a));
    addrs.add(key);
  });
  return errs;
}

function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = validateNode(node);
  // Upstream ValidateNodeUpdate: podCIDRs and providerID change only from unset to set.
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0 && JSON.stringify(oldCIDRs) !== JSON.stringify(node.spec?.podCIDRs ?? [])) {
    errs.push(fieldError.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(fieldError.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export const nodes: ResourceType<Node> = {
  group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node',
  namespaced: false, shortNames: ['no'],
  subresources: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }],
  schema: NodeSchema,
  hasStatus: true,
  defaults(node) {
    // Upstream SetDefaults_NodeStatus: allocatable defaults to capacity.
    if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity };
    // The legacy single podCIDR mirrors the first of podCIDRs (upstream keeps them in sync).
    const spec = node.spec;
    if (spec?.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
    else if (spec?.podCIDRs?.length && !spec.podCIDR) spec.podCIDR = spec.podCIDRs[0];
  },
  validate: (node) => validateNode(node),
  validateUpdate: (node, old) => validateNodeUpdate(node, old),
  selectableFields: {
    'spec.unschedulable': (node) => String(node.spec?.unschedulable ?? false),
  },
};
