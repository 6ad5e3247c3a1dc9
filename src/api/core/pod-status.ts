// core/v1 PodStatus: written by the kubelet and the scheduler through pods/status.
import { obj, str, int32, int64, bool, list, map, quantity, time, enumStr, type Static } from '../schema/builder.js';
import { ResourceRequirementsSchema } from './container.js';

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

export const PodConditionSchema = obj('io.k8s.api.core.v1.PodCondition', 'PodCondition contains details for the current condition of this pod.', {
  type: str('Type is the type of the condition.'),
  observedGeneration: int64('If set, this represents the .metadata.generation that the pod condition was set based upon.'),
  status: str('Status is the status of the condition. Can be True, False, Unknown.'),
  lastProbeTime: time('Last time we probed the condition.'),
  lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
  reason: str('Unique, one-word, CamelCase reason for the condition\'s last transition.'),
  message: str('Human-readable message indicating details about last transition.'),
}, { required: ['type', 'status'] });
export type PodCondition = Static<typeof PodConditionSchema>;

export const ContainerStateWaitingSchema = obj('io.k8s.api.core.v1.ContainerStateWaiting', 'ContainerStateWaiting is a waiting state of a container.', {
  reason: str('(brief) reason the container is not yet running.'),
  message: str('Message regarding why the container is not yet running.'),
});

export const ContainerStateRunningSchema = obj('io.k8s.api.core.v1.ContainerStateRunning', 'ContainerStateRunning is a running state of a container.', {
  startedAt: time('Time at which the container was last (re-)started'),
});

export const ContainerStateTerminatedSchema = obj('io.k8s.api.core.v1.ContainerStateTerminated', 'ContainerStateTerminated is a terminated state of a container.', {
  exitCode: int32('Exit status from the last termination of the container'),
  signal: int32('Signal from the last termination of the container'),
  reason: str('(brief) reason from the last termination of the container'),
  message: str('Message regarding the last termination of the container'),
  startedAt: time('Time at which previous execution of the container started'),
  finishedAt: time('Time at which the container last terminated'),
  containerID: str('Container\'s ID in the format \'<type>://<container_id>\''),
}, { required: ['exitCode'] });

export const ContainerStateSchema = obj('io.k8s.api.core.v1.ContainerState', 'ContainerState holds a possible state of container. Only one of its members may be specified. If none of them is specified, the default one is ContainerStateWaiting.', {
  waiting: ContainerStateWaitingSchema,
  running: ContainerStateRunningSchema,
  terminated: ContainerStateTerminatedSchema,
});
export type ContainerState = Static<typeof ContainerStateSchema>;

export const VolumeMountStatusSchema = obj('io.k8s.api.core.v1.VolumeMountStatus', 'VolumeMountStatus shows status of volume mounts.', {
  name: str('Name corresponds to the name of the original VolumeMount.'),
  mountPath: str('MountPath corresponds to the original VolumeMount.'),
  readOnly: bool('ReadOnly corresponds to the original VolumeMount.'),
  recursiveReadOnly: str('RecursiveReadOnly must be set to Disabled, Enabled, or unspecified (for non-readonly mounts).'),
}, { required: ['name', 'mountPath'] });

export const ContainerUserSchema = obj('io.k8s.api.core.v1.ContainerUser', 'ContainerUser represents user identity information', {
  linux: obj('io.k8s.api.core.v1.LinuxContainerUser', 'LinuxContainerUser represents user identity information in Linux containers', {
    uid: int64('UID is the primary uid initially attached to the first process in the container'),
    gid: int64('GID is the primary gid initially attached to the first process in the container'),
    supplementalGroups: list(int64(), 'SupplementalGroups are the supplemental groups initially attached to the first process in the container', { listType: 'atomic' }),
  }, { required: ['uid', 'gid'] }),
});

export const ContainerStatusSchema = obj('io.k8s.api.core.v1.ContainerStatus', 'ContainerStatus contains details for the current status of this container.', {
  name: str('Name is a DNS_LABEL representing the unique name of the container.'),
  state: ContainerStateSchema,
  lastState: ContainerStateSchema,
  ready: bool('Ready specifies whether the container is currently passing its readiness check.'),
  restartCount: int32('RestartCount holds the number of times the container has been restarted.'),
  image: str('Image is the name of container image that the container is running.'),
  imageID: str('ImageID is the image ID of the container\'s image.'),
  containerID: str('ContainerID is the ID of the container in the format \'<type>://<container_id>\'.'),
  started: bool('Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.'),
  allocatedResources: map(quantity(), 'AllocatedResources represents the compute resources allocated for this container by the node.'),
  resources: ResourceRequirementsSchema,
  volumeMounts: list(VolumeMountStatusSchema, 'Status of volume mounts.', { mergeKey: 'mountPath', strategy: 'merge', listType: 'map', mapKeys: ['mountPath'] }),
  user: ContainerUserSchema,
  stopSignal: str('StopSignal reports the effective stop signal for this container'),
}, { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] });
export type ContainerStatus = Static<typeof ContainerStatusSchema>;

export const HostIPSchema = obj('io.k8s.api.core.v1.HostIP', 'HostIP represents a single IP address allocated to the host.', {
  ip: str('IP is the IP address assigned to the host'),
}, { required: ['ip'] });

export const PodIPSchema = obj('io.k8s.api.core.v1.PodIP', 'PodIP represents a single IP address allocated to the pod.', {
  ip: str('IP is the IP address assigned to the pod'),
}, { required: ['ip'] });

export const PodResourceClaimStatusSchema = obj('io.k8s.api.core.v1.PodResourceClaimStatus', 'PodResourceClaimStatus is stored in the PodStatus for each PodResourceClaim which references a ResourceClaimTemplate.', {
  name: str('Name uniquely identifies this resource claim inside the pod.'),
  resourceClaimName: str('ResourceClaimName is the name of the ResourceClaim that was generated for the Pod in the namespace of the Pod.'),
}, { required: ['name'] });

export const PodStatusSchema = obj('io.k8s.api.core.v1.PodStatus', 'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.', {
  observedGeneration: int64('If set, this represents the .metadata.generation that the pod status was set based upon.'),
  phase: enumStr('The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.', POD_PHASES),
  conditions: list(PodConditionSchema, 'Current service state of pod.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  message: str('A human readable message indicating details about why the pod is in this condition.'),
  reason: str('A brief CamelCase message indicating details about why the pod is in this state. e.g. \'Evicted\''),
  nominatedNodeName: str('nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
  hostIP: str('hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet.'),
  hostIPs: list(HostIPSchema, 'hostIPs holds the IP addresses allocated to the host.', { mergeKey: 'ip', strategy: 'merge', listType: 'atomic' }),
  podIP: str('podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
  podIPs: list(PodIPSchema, 'podIPs holds the IP addresses allocated to the pod.', { mergeKey: 'ip', strategy: 'merge', listType: 'map', mapKeys: ['ip'] }),
  startTime: time('RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.'),
  initContainerStatuses: list(ContainerStatusSchema, 'Statuses of init containers in this pod.', { listType: 'atomic' }),
  containerStatuses: list(ContainerStatusSchema, 'Statuses of containers in this pod.', { listType: 'atomic' }),
  qosClass: enumStr('The Quality of Service (QOS) classification assigned to the pod based on resource requirements.', ['BestEffort', 'Burstable', 'Guaranteed']),
  ephemeralContainerStatuses: list(ContainerStatusSchema, 'Statuses for any ephemeral containers that have run in this pod.', { listType: 'atomic' }),
  resize: str('Status of resources resize desired for pod\'s containers.'),
  resourceClaimStatuses: list(PodResourceClaimStatusSchema, 'Status of resource claims.', { mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', mapKeys: ['name'] }),
});
export type PodStatus = Static<typeof PodStatusSchema>;
