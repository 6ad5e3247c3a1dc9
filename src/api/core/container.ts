// core/v1 Container and its pieces (ports, env, resources, mounts). EphemeralContainer shares the
// same fields plus targetContainerName.
import { obj, str, int32, bool, list, enumStr, map, quantity, type Static, type TProperties } from '../schema/builder.js';
import { ProbeSchema, LifecycleSchema } from './probe.js';
import { SecurityContextSchema } from './security-context.js';

export const ContainerPortSchema = obj('io.k8s.api.core.v1.ContainerPort', 'ContainerPort represents a network port in a single container.', {
  name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name.'),
  hostPort: int32('Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536.'),
  containerPort: int32('Number of port to expose on the pod\'s IP address. This must be a valid port number, 0 < x < 65536.'),
  protocol: enumStr('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".', ['SCTP', 'TCP', 'UDP']),
  hostIP: str('What host IP to bind the external port to.'),
}, { required: ['containerPort'] });
export type ContainerPort = Static<typeof ContainerPortSchema>;

export const ObjectFieldSelectorSchema = obj('io.k8s.api.core.v1.ObjectFieldSelector', 'ObjectFieldSelector selects an APIVersioned field of an object.', {
  apiVersion: str('Version of the schema the FieldPath is written in terms of, defaults to "v1".'),
  fieldPath: str('Path of the field to select in the specified API version.'),
}, { required: ['fieldPath'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const ResourceFieldSelectorSchema = obj('io.k8s.api.core.v1.ResourceFieldSelector', 'ResourceFieldSelector represents container resources (cpu, memory) and their output format', {
  containerName: str('Container name: required for volumes, optional for env vars'),
  resource: str('Required: resource to select'),
  divisor: quantity('Specifies the output format of the exposed resources, defaults to "1"'),
}, { required: ['resource'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const ConfigMapKeySelectorSchema = obj('io.k8s.api.core.v1.ConfigMapKeySelector', 'Selects a key from a ConfigMap.', {
  name: str('Name of the referent.'),
  key: str('The key to select.'),
  optional: bool('Specify whether the ConfigMap or its key must be defined'),
}, { required: ['key'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const SecretKeySelectorSchema = obj('io.k8s.api.core.v1.SecretKeySelector', 'SecretKeySelector selects a key of a Secret.', {
  name: str('Name of the referent.'),
  key: str('The key of the secret to select from.  Must be a valid secret key.'),
  optional: bool('Specify whether the Secret or its key must be defined'),
}, { required: ['key'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const EnvVarSourceSchema = obj('io.k8s.api.core.v1.EnvVarSource', 'EnvVarSource represents a source for the value of an EnvVar.', {
  fieldRef: ObjectFieldSelectorSchema,
  resourceFieldRef: ResourceFieldSelectorSchema,
  configMapKeyRef: ConfigMapKeySelectorSchema,
  secretKeyRef: SecretKeySelectorSchema,
});

export const EnvVarSchema = obj('io.k8s.api.core.v1.EnvVar', 'EnvVar represents an environment variable present in a Container.', {
  name: str('Name of the environment variable. Must be a C_IDENTIFIER.'),
  value: str('Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.'),
  valueFrom: EnvVarSourceSchema,
}, { required: ['name'] });
export type EnvVar = Static<typeof EnvVarSchema>;

export const ConfigMapEnvSourceSchema = obj('io.k8s.api.core.v1.ConfigMapEnvSource', 'ConfigMapEnvSource selects a ConfigMap to populate the environment variables with.', {
  name: str('Name of the referent.'),
  optional: bool('Specify whether the ConfigMap must be defined'),
});

export const SecretEnvSourceSchema = obj('io.k8s.api.core.v1.SecretEnvSource', 'SecretEnvSource selects a Secret to populate the environment variables with.', {
  name: str('Name of the referent.'),
  optional: bool('Specify whether the Secret must be defined'),
});

export const EnvFromSourceSchema = obj('io.k8s.api.core.v1.EnvFromSource', 'EnvFromSource represents the source of a set of ConfigMaps or Secrets', {
  prefix: str('Optional text to prepend to the name of each environment variable. Must be a C_IDENTIFIER.'),
  configMapRef: ConfigMapEnvSourceSchema,
  secretRef: SecretEnvSourceSchema,
});
export type EnvFromSource = Static<typeof EnvFromSourceSchema>;

export const ResourceClaimSchema = obj('io.k8s.api.core.v1.ResourceClaim', 'ResourceClaim references one entry in PodSpec.ResourceClaims.', {
  name: str('Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used.'),
  request: str('Request is the name chosen for a request in the referenced claim.'),
}, { required: ['name'] });

export const ResourceRequirementsSchema = obj('io.k8s.api.core.v1.ResourceRequirements', 'ResourceRequirements describes the compute resource requirements.', {
  limits: map(quantity(), 'Limits describes the maximum amount of compute resources allowed.'),
  requests: map(quantity(), 'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified.'),
  claims: list(ResourceClaimSchema, 'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.', { listType: 'map', mapKeys: ['name'] }),
});
export type ResourceRequirements = Static<typeof ResourceRequirementsSchema>;

export const VolumeMountSchema = obj('io.k8s.api.core.v1.VolumeMount', 'VolumeMount describes a mounting of a Volume within a container.', {
  name: str('This must match the Name of a Volume.'),
  readOnly: bool('Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
  recursiveReadOnly: str('RecursiveReadOnly specifies whether read-only mounts should be handled recursively.'),
  mountPath: str('Path within the container at which the volume should be mounted.  Must not contain \':\'.'),
  subPath: str('Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).'),
  mountPropagation: enumStr('mountPropagation determines how mounts are propagated from the host to container and the other way around.', ['Bidirectional', 'HostToContainer', 'None']),
  subPathExpr: str('Expanded path within the volume from which the container\'s volume should be mounted.'),
}, { required: ['name', 'mountPath'] });
export type VolumeMount = Static<typeof VolumeMountSchema>;

export const VolumeDeviceSchema = obj('io.k8s.api.core.v1.VolumeDevice', 'volumeDevice describes a mapping of a raw block device within a container.', {
  name: str('name must match the name of a persistentVolumeClaim in the pod'),
  devicePath: str('devicePath is the path inside of the container that the device will be mapped to.'),
}, { required: ['name', 'devicePath'] });

export const ContainerResizePolicySchema = obj('io.k8s.api.core.v1.ContainerResizePolicy', 'ContainerResizePolicy represents resource resize policy for the container.', {
  resourceName: str('Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.'),
  restartPolicy: str('Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.'),
}, { required: ['resourceName', 'restartPolicy'] });

/** Fields shared by Container and EphemeralContainer, in upstream's order. */
function containerFields() {
  return {
    name: str('Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'),
    image: str('Container image name.'),
    command: list(str(), 'Entrypoint array. Not executed within a shell. The container image\'s ENTRYPOINT is used if this is not provided.', { listType: 'atomic' }),
    args: list(str(), 'Arguments to the entrypoint. The container image\'s CMD is used if this is not provided.', { listType: 'atomic' }),
    workingDir: str('Container\'s working directory. If not specified, the container runtime\'s default will be used.'),
    ports: list(ContainerPortSchema, 'List of ports to expose from the container.', { mergeKey: 'containerPort', strategy: 'merge', listType: 'map', mapKeys: ['containerPort', 'protocol'] }),
    envFrom: list(EnvFromSourceSchema, 'List of sources to populate environment variables in the container.', { listType: 'atomic' }),
    env: list(EnvVarSchema, 'List of environment variables to set in the container. Cannot be updated.', { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] }),
    resources: ResourceRequirementsSchema,
    resizePolicy: list(ContainerResizePolicySchema, 'Resources resize policy for the container.', { listType: 'atomic' }),
    restartPolicy: str('RestartPolicy defines the restart behavior of individual containers in a pod. The only allowed value is "Always", for init containers.'),
    volumeMounts: list(VolumeMountSchema, 'Pod volumes to mount into the container\'s filesystem. Cannot be updated.', { mergeKey: 'mountPath', strategy: 'merge', listType: 'map', mapKeys: ['mountPath'] }),
    volumeDevices: list(VolumeDeviceSchema, 'volumeDevices is the list of block devices to be used by the container.', { mergeKey: 'devicePath', strategy: 'merge', listType: 'map', mapKeys: ['devicePath'] }),
    livenessProbe: ProbeSchema,
    readinessProbe: ProbeSchema,
    startupProbe: ProbeSchema,
    lifecycle: LifecycleSchema,
    terminationMessagePath: str('Optional: Path at which the file to which the container\'s termination message will be written is mounted into the container\'s filesystem. Defaults to /dev/termination-log.'),
    terminationMessagePolicy: enumStr('Indicate how the termination message should be populated. Defaults to File.', ['FallbackToLogsOnError', 'File']),
    imagePullPolicy: enumStr('Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.', ['Always', 'IfNotPresent', 'Never']),
    securityContext: SecurityContextSchema,
    stdin: bool('Whether this container should allocate a buffer for stdin in the container runtime.'),
    stdinOnce: bool('Whether the container runtime should close the stdin channel after it has been opened by a single attach.'),
    tty: bool('Whether this container should allocate a TTY for itself, also requires \'stdin\' to be true.'),
  } satisfies TProperties;
}

export const ContainerSchema = obj('io.k8s.api.core.v1.Container', 'A single application container that you want to run within a pod.', containerFields(), { required: ['name'] });
export type Container = Static<typeof ContainerSchema>;

export const EphemeralContainerSchema = obj('io.k8s.api.core.v1.EphemeralContainer', 'An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging.', {
  ...containerFields(),
  targetContainerName: str('If set, the name of the container from PodSpec that this ephemeral container targets.'),
}, { required: ['name'] });
export type EphemeralContainer = Static<typeof EphemeralContainerSchema>;
