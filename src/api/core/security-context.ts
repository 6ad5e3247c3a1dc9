// core/v1 pod- and container-level security settings.
import { obj, str, int64, bool, list, enumStr, type Static } from '../schema/builder.js';

export const SELinuxOptionsSchema = obj('io.k8s.api.core.v1.SELinuxOptions', 'SELinuxOptions are the labels to be applied to the container', {
  user: str('User is a SELinux user label that applies to the container.'),
  role: str('Role is a SELinux role label that applies to the container.'),
  type: str('Type is a SELinux type label that applies to the container.'),
  level: str('Level is SELinux level label that applies to the container.'),
});

export const WindowsSecurityContextOptionsSchema = obj('io.k8s.api.core.v1.WindowsSecurityContextOptions', 'WindowsSecurityContextOptions contain Windows-specific options and credentials.', {
  gmsaCredentialSpecName: str('GMSACredentialSpecName is the name of the GMSA credential spec to use.'),
  gmsaCredentialSpec: str('GMSACredentialSpec is where the GMSA admission webhook inlines the contents of the GMSA credential spec named by the GMSACredentialSpecName field.'),
  runAsUserName: str('The UserName in Windows to run the entrypoint of the container process.'),
  hostProcess: bool('HostProcess determines if a container should be run as a \'Host Process\' container.'),
});

export const SeccompProfileSchema = obj('io.k8s.api.core.v1.SeccompProfile', 'SeccompProfile defines a pod/container\'s seccomp profile settings. Only one profile source may be set.', {
  type: enumStr('type indicates which kind of seccomp profile will be applied.', ['Localhost', 'RuntimeDefault', 'Unconfined']),
  localhostProfile: str('localhostProfile indicates a profile defined in a file on the node should be used.'),
}, { required: ['type'], extra: { 'x-kubernetes-unions': [{ discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } }] } });

export const AppArmorProfileSchema = obj('io.k8s.api.core.v1.AppArmorProfile', 'AppArmorProfile defines a pod or container\'s AppArmor settings.', {
  type: enumStr('type indicates which kind of AppArmor profile will be applied.', ['Localhost', 'RuntimeDefault', 'Unconfined']),
  localhostProfile: str('localhostProfile indicates a profile loaded on the node that should be used.'),
}, { required: ['type'] });

export const CapabilitiesSchema = obj('io.k8s.api.core.v1.Capabilities', 'Adds and removes POSIX capabilities from running containers.', {
  add: list(str(), 'Added capabilities', { listType: 'atomic' }),
  drop: list(str(), 'Removed capabilities', { listType: 'atomic' }),
});

export const SysctlSchema = obj('io.k8s.api.core.v1.Sysctl', 'Sysctl defines a kernel parameter to be set', {
  name: str('Name of a property to set'),
  value: str('Value of a property to set'),
}, { required: ['name', 'value'] });

export const SecurityContextSchema = obj('io.k8s.api.core.v1.SecurityContext', 'SecurityContext holds security configuration that will be applied to a container.', {
  capabilities: CapabilitiesSchema,
  privileged: bool('Run container in privileged mode. Processes in privileged containers are essentially equivalent to root on the host. Defaults to false.'),
  seLinuxOptions: SELinuxOptionsSchema,
  windowsOptions: WindowsSecurityContextOptionsSchema,
  runAsUser: int64('The UID to run the entrypoint of the container process.'),
  runAsGroup: int64('The GID to run the entrypoint of the container process.'),
  runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
  readOnlyRootFilesystem: bool('Whether this container has a read-only root filesystem. Default is false.'),
  allowPrivilegeEscalation: bool('AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process.'),
  procMount: enumStr('procMount denotes the type of proc mount to use for the containers.', ['Default', 'Unmasked']),
  seccompProfile: SeccompProfileSchema,
  appArmorProfile: AppArmorProfileSchema,
});
export type SecurityContext = Static<typeof SecurityContextSchema>;

export const PodSecurityContextSchema = obj('io.k8s.api.core.v1.PodSecurityContext', 'PodSecurityContext holds pod-level security attributes and common container settings.', {
  seLinuxOptions: SELinuxOptionsSchema,
  windowsOptions: WindowsSecurityContextOptionsSchema,
  runAsUser: int64('The UID to run the entrypoint of the container process.'),
  runAsGroup: int64('The GID to run the entrypoint of the container process.'),
  runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
  supplementalGroups: list(int64(), 'A list of groups applied to the first process run in each container, in addition to the container\'s primary GID and fsGroup (if specified).', { listType: 'atomic' }),
  supplementalGroupsPolicy: enumStr('Defines how supplemental groups of the first container processes are calculated.', ['Merge', 'Strict']),
  fsGroup: int64('A special supplemental group that applies to all containers in a pod.'),
  fsGroupChangePolicy: enumStr('fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod.', ['Always', 'OnRootMismatch']),
  sysctls: list(SysctlSchema, 'Sysctls hold a list of namespaced sysctls used for the pod.', { listType: 'atomic' }),
  seccompProfile: SeccompProfileSchema,
  appArmorProfile: AppArmorProfileSchema,
  seLinuxChangePolicy: str('seLinuxChangePolicy defines how the container\'s SELinux label is applied to all volumes used by the Pod.'),
});
export type PodSecurityContext = Static<typeof PodSecurityContextSchema>;
