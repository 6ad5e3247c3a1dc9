// core/v1 Volume and its sources. Common sources are modelled field by field; rare in-tree
// sources keep upstream's names and definition names but are opaque (unknown fields preserved).
import { obj, str, int32, int64, bool, list, quantity, stringMap, enumStr, type Static } from '../schema/builder.js';
import { ObjectFieldSelectorSchema, ResourceFieldSelectorSchema } from './container.js';
import { PersistentVolumeClaimTemplateSchema } from './volume-claim.js';
import { LabelSelector } from '../schema/meta.js';
import { LocalObjectReferenceSchema } from './object-reference.js';

export const KeyToPathSchema = obj('io.k8s.api.core.v1.KeyToPath', 'Maps a string key to a path within a volume.', {
  key: str('key is the key to project.'),
  path: str('path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element \'..\'.'),
  mode: int32('mode is Optional: mode bits used to set permissions on this file. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.'),
}, { required: ['key', 'path'] });

export const EmptyDirVolumeSourceSchema = obj('io.k8s.api.core.v1.EmptyDirVolumeSource', 'Represents an empty directory for a pod.', {
  medium: str('medium represents what type of storage medium should back this directory. The default is "" which means to use the node\'s default medium.'),
  sizeLimit: quantity('sizeLimit is the total amount of local storage required for this EmptyDir volume.'),
});

export const HostPathVolumeSourceSchema = obj('io.k8s.api.core.v1.HostPathVolumeSource', 'Represents a host path mapped into a pod.', {
  path: str('path of the directory on the host. If the path is a symlink, it will follow the link to the real path.'),
  type: enumStr('type for HostPath Volume. Defaults to ""', ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket']),
}, { required: ['path'] });

export const ConfigMapVolumeSourceSchema = obj('io.k8s.api.core.v1.ConfigMapVolumeSource', 'Adapts a ConfigMap into a volume.', {
  name: str('Name of the referent.'),
  items: list(KeyToPathSchema, 'items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value.', { listType: 'atomic' }),
  defaultMode: int32('defaultMode is optional: mode bits used to set permissions on created files by default. Defaults to 0644.'),
  optional: bool('optional specify whether the ConfigMap or its keys must be defined'),
});

export const SecretVolumeSourceSchema = obj('io.k8s.api.core.v1.SecretVolumeSource', 'Adapts a Secret into a volume.', {
  secretName: str('secretName is the name of the secret in the pod\'s namespace to use.'),
  items: list(KeyToPathSchema, 'items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value.', { listType: 'atomic' }),
  defaultMode: int32('defaultMode is Optional: mode bits used to set permissions on created files by default. Defaults to 0644.'),
  optional: bool('optional field specify whether the Secret or its keys must be defined'),
});

export const DownwardAPIVolumeFileSchema = obj('io.k8s.api.core.v1.DownwardAPIVolumeFile', 'DownwardAPIVolumeFile represents information to create the file containing the pod field', {
  path: str('Required: Path is  the relative path name of the file to be created.'),
  fieldRef: ObjectFieldSelectorSchema,
  resourceFieldRef: ResourceFieldSelectorSchema,
  mode: int32('Optional: mode bits used to set permissions on this file, must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.'),
}, { required: ['path'] });

export const DownwardAPIVolumeSourceSchema = obj('io.k8s.api.core.v1.DownwardAPIVolumeSource', 'DownwardAPIVolumeSource represents a volume containing downward API info.', {
  items: list(DownwardAPIVolumeFileSchema, 'Items is a list of downward API volume file', { listType: 'atomic' }),
  defaultMode: int32('Optional: mode bits to use on created files by default. Defaults to 0644.'),
});

export const SecretProjectionSchema = obj('io.k8s.api.core.v1.SecretProjection', 'Adapts a secret into a projected volume.', {
  name: str('Name of the referent.'),
  items: list(KeyToPathSchema, 'items if unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume.', { listType: 'atomic' }),
  optional: bool('optional field specify whether the Secret or its key must be defined'),
});

export const ConfigMapProjectionSchema = obj('io.k8s.api.core.v1.ConfigMapProjection', 'Adapts a ConfigMap into a projected volume.', {
  name: str('Name of the referent.'),
  items: list(KeyToPathSchema, 'items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume.', { listType: 'atomic' }),
  optional: bool('optional specify whether the ConfigMap or its keys must be defined'),
});

export const DownwardAPIProjectionSchema = obj('io.k8s.api.core.v1.DownwardAPIProjection', 'Represents downward API info for projecting into a projected volume.', {
  items: list(DownwardAPIVolumeFileSchema, 'Items is a list of DownwardAPIVolume file', { listType: 'atomic' }),
});

export const ServiceAccountTokenProjectionSchema = obj('io.k8s.api.core.v1.ServiceAccountTokenProjection', 'ServiceAccountTokenProjection represents a projected service account token volume.', {
  audience: str('audience is the intended audience of the token. Defaults to the identifier of the apiserver.'),
  expirationSeconds: int64('expirationSeconds is the requested duration of validity of the service account token. Defaults to 1 hour and must be at least 10 minutes.'),
  path: str('path is the path relative to the mount point of the file to project the token into.'),
}, { required: ['path'] });

export const ClusterTrustBundleProjectionSchema = obj('io.k8s.api.core.v1.ClusterTrustBundleProjection', 'ClusterTrustBundleProjection describes how to select a set of ClusterTrustBundle objects and project their contents into the pod filesystem.', {
  name: str('Select a single ClusterTrustBundle by object name.'),
  signerName: str('Select all ClusterTrustBundles that match this signer name.'),
  labelSelector: LabelSelector,
  optional: bool('If true, don\'t block pod startup if the referenced ClusterTrustBundle(s) aren\'t available.'),
  path: str('Relative path from the volume root to write the bundle.'),
}, { required: ['path'] });

export const VolumeProjectionSchema = obj('io.k8s.api.core.v1.VolumeProjection', 'Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.', {
  secret: SecretProjectionSchema,
  downwardAPI: DownwardAPIProjectionSchema,
  configMap: ConfigMapProjectionSchema,
  serviceAccountToken: ServiceAccountTokenProjectionSchema,
  clusterTrustBundle: ClusterTrustBundleProjectionSchema,
});

export const ProjectedVolumeSourceSchema = obj('io.k8s.api.core.v1.ProjectedVolumeSource', 'Represents a projected volume source', {
  sources: list(VolumeProjectionSchema, 'sources is the list of volume projections. Each entry in this list handles one source.', { listType: 'atomic' }),
  defaultMode: int32('defaultMode are the mode bits used to set permissions on created files by default. Defaults to 0644.'),
});

export const PersistentVolumeClaimVolumeSourceSchema = obj('io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource', 'PersistentVolumeClaimVolumeSource references the user\'s PVC in the same namespace.', {
  claimName: str('claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume.'),
  readOnly: bool('readOnly Will force the ReadOnly setting in VolumeMounts. Default false.'),
}, { required: ['claimName'] });

export const NFSVolumeSourceSchema = obj('io.k8s.api.core.v1.NFSVolumeSource', 'Represents an NFS mount that lasts the lifetime of a pod.', {
  server: str('server is the hostname or IP address of the NFS server.'),
  path: str('path that is exported by the NFS server.'),
  readOnly: bool('readOnly here will force the NFS export to be mounted with read-only permissions. Defaults to false.'),
}, { required: ['server', 'path'] });

export const CSIVolumeSourceSchema = obj('io.k8s.api.core.v1.CSIVolumeSource', 'Represents a source location of a volume to mount, managed by an external CSI driver', {
  driver: str('driver is the name of the CSI driver that handles this volume.'),
  readOnly: bool('readOnly specifies a read-only configuration for the volume. Defaults to false (read/write).'),
  fsType: str('fsType to mount. Ex. "ext4", "xfs", "ntfs".'),
  volumeAttributes: stringMap('volumeAttributes stores driver-specific properties that are passed to the CSI driver.'),
  nodePublishSecretRef: LocalObjectReferenceSchema,
}, { required: ['driver'] });

export const EphemeralVolumeSourceSchema = obj('io.k8s.api.core.v1.EphemeralVolumeSource', 'Represents an ephemeral volume that is handled by a normal storage driver.', {
  volumeClaimTemplate: PersistentVolumeClaimTemplateSchema,
});

export const ImageVolumeSourceSchema = obj('io.k8s.api.core.v1.ImageVolumeSource', 'ImageVolumeSource represents a image volume resource.', {
  reference: str('Required: Image or artifact reference to be used.'),
  pullPolicy: enumStr('Policy for pulling OCI objects.', ['Always', 'IfNotPresent', 'Never']),
});

/** A rare in-tree source: named as upstream, contents kept as sent. */
const opaque = (kind: string, description: string) => obj(`io.k8s.api.core.v1.${kind}`, description, {}, { preserveUnknownFields: true });

/** Every volume source field, in upstream's order; exactly one may be set on a Volume. */
export const volumeSourceFields = {
  hostPath: HostPathVolumeSourceSchema,
  emptyDir: EmptyDirVolumeSourceSchema,
  gcePersistentDisk: opaque('GCEPersistentDiskVolumeSource', 'Represents a Persistent Disk resource in Google Compute Engine.'),
  awsElasticBlockStore: opaque('AWSElasticBlockStoreVolumeSource', 'Represents a Persistent Disk resource in AWS.'),
  gitRepo: opaque('GitRepoVolumeSource', 'Represents a volume that is populated with the contents of a git repository.'),
  secret: SecretVolumeSourceSchema,
  nfs: NFSVolumeSourceSchema,
  iscsi: opaque('ISCSIVolumeSource', 'Represents an ISCSI disk.'),
  glusterfs: opaque('GlusterfsVolumeSource', 'Represents a Glusterfs mount that lasts the lifetime of a pod.'),
  persistentVolumeClaim: PersistentVolumeClaimVolumeSourceSchema,
  rbd: opaque('RBDVolumeSource', 'Represents a Rados Block Device mount that lasts the lifetime of a pod.'),
  flexVolume: opaque('FlexVolumeSource', 'FlexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin.'),
  cinder: opaque('CinderVolumeSource', 'Represents a cinder volume resource in Openstack.'),
  cephfs: opaque('CephFSVolumeSource', 'Represents a Ceph Filesystem mount that lasts the lifetime of a pod.'),
  flocker: opaque('FlockerVolumeSource', 'Represents a Flocker volume mounted by the Flocker agent.'),
  downwardAPI: DownwardAPIVolumeSourceSchema,
  fc: opaque('FCVolumeSource', 'Represents a Fibre Channel volume.'),
  azureFile: opaque('AzureFileVolumeSource', 'AzureFile represents an Azure File Service mount on the host and bind mount to the pod.'),
  configMap: ConfigMapVolumeSourceSchema,
  vsphereVolume: opaque('VsphereVirtualDiskVolumeSource', 'Represents a vSphere volume resource.'),
  quobyte: opaque('QuobyteVolumeSource', 'Represents a Quobyte mount that lasts the lifetime of a pod.'),
  azureDisk: opaque('AzureDiskVolumeSource', 'AzureDisk represents an Azure Data Disk mount on the host and bind mount to the pod.'),
  photonPersistentDisk: opaque('PhotonPersistentDiskVolumeSource', 'Represents a Photon Controller persistent disk resource.'),
  projected: ProjectedVolumeSourceSchema,
  portworxVolume: opaque('PortworxVolumeSource', 'PortworxVolumeSource represents a Portworx volume resource.'),
  scaleIO: opaque('ScaleIOVolumeSource', 'ScaleIOVolumeSource represents a persistent ScaleIO volume'),
  storageos: opaque('StorageOSVolumeSource', 'Represents a StorageOS persistent volume resource.'),
  csi: CSIVolumeSourceSchema,
  ephemeral: EphemeralVolumeSourceSchema,
  image: ImageVolumeSourceSchema,
};

/** Names of the volume source fields (for the exactly-one-source rule). */
export const VOLUME_SOURCE_NAMES = Object.keys(volumeSourceFields) as (keyof typeof volumeSourceFields)[];

export const VolumeSchema = obj('io.k8s.api.core.v1.Volume', 'Volume represents a named volume in a pod that may be accessed by any container in the pod.', {
  name: str('name of the volume. Must be a DNS_LABEL and unique within the pod.'),
  ...volumeSourceFields,
}, { required: ['name'] });
export type Volume = Static<typeof VolumeSchema>;

/** Default file mode of configMap, secret, projected and downwardAPI volumes (0644). */
export const DEFAULT_VOLUME_MODE = 0o644;

/** Upstream SetDefaults_Volume and the per-source defaults; called by the pod defaulting. */
export function defaultVolume(v: Volume): void {
  if (VOLUME_SOURCE_NAMES.every((k) => v[k] === undefined || v[k] === null)) v.emptyDir = {};
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.secret) v.secret.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const s of v.projected.sources ?? []) {
      for (const item of s.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
  if (v.ephemeral?.volumeClaimTemplate?.spec) v.ephemeral.volumeClaimTemplate.spec.volumeMode ??= 'Filesystem';
  if (v.iscsi) (v.iscsi as Record<string, unknown>).iscsiInterface ??= 'default';
  if (v.rbd) {
    const rbd = v.rbd as Record<string, unknown>;
    rbd.pool ??= 'rbd'; rbd.user ??= 'admin'; rbd.keyring ??= '/etc/ceph/keyring';
  }
  if (v.azureDisk) {
    const d = v.azureDisk as Record<string, unknown>;
    d.cachingMode ??= 'ReadWrite'; d.fsType ??= 'ext4'; d.readOnly ??= false; d.kind ??= 'Shared';
  }
  if (v.scaleIO) {
    const s = v.scaleIO as Record<string, unknown>;
    s.storageMode ??= 'ThinProvisioned'; s.fsType ??= 'xfs';
  }
}

