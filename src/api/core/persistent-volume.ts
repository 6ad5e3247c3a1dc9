// core/v1 PersistentVolume: a piece of storage in the cluster, bound to at most one claim.
// Cluster-scoped. Common sources (hostPath, local, nfs, csi) are modelled field by field; the
// other in-tree sources keep upstream's names and definition names but are opaque.
import { obj, str, bool, list, map, quantity, enumStr, stringMap, time, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, childPath, indexPath, type FieldError } from '../field-errors.js';
import { ObjectReferenceSchema } from './object-reference.js';
import { NodeSelectorSchema } from './affinity.js';
import { validateNodeSelector } from './affinity-validation.js';
import { volumeSourceFields } from './volume.js';
import { jsonEqual, validateDNS1123Subdomain, validateEnum, validateImmutable, validatePositiveQuantity } from './field-checks.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
export const VOLUME_MODES = ['Block', 'Filesystem'] as const;
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'] as const;
const PV_PHASES = ['Available', 'Bound', 'Failed', 'Pending', 'Released'] as const;

const opaque = (kind: string, description: string) => obj(`io.k8s.api.core.v1.${kind}`, description, {}, { preserveUnknownFields: true });

export const SecretReferenceSchema = obj('io.k8s.api.core.v1.SecretReference', 'SecretReference represents a Secret Reference. It has enough information to retrieve secret in any namespace', {
  name: str('name is unique within a namespace to reference a secret resource.'),
  namespace: str('namespace defines the space within which the secret name must be unique.'),
}, { extra: { 'x-kubernetes-map-type': 'atomic' } });

export const CSIPersistentVolumeSourceSchema = obj('io.k8s.api.core.v1.CSIPersistentVolumeSource', 'Represents storage that is managed by an external CSI volume driver', {
  driver: str('driver is the name of the driver to use for this volume. Required.'),
  volumeHandle: str('volumeHandle is the unique volume name returned by the CSI volume plugin\'s CreateVolume to refer to the volume on all subsequent calls. Required.'),
  readOnly: bool('readOnly value to pass to ControllerPublishVolumeRequest. Defaults to false (read/write).'),
  fsType: str('fsType to mount. Must be a filesystem type supported by the host operating system.'),
  volumeAttributes: stringMap('volumeAttributes of the volume to publish.'),
  controllerPublishSecretRef: SecretReferenceSchema,
  nodeStageSecretRef: SecretReferenceSchema,
  nodePublishSecretRef: SecretReferenceSchema,
  controllerExpandSecretRef: SecretReferenceSchema,
  nodeExpandSecretRef: SecretReferenceSchema,
}, { required: ['driver', 'volumeHandle'] });

export const LocalVolumeSourceSchema = obj('io.k8s.api.core.v1.LocalVolumeSource', 'Local represents directly-attached storage with node affinity', {
  path: str('path of the full path to the volume on the node. It can be either a directory or block device (disk, partition, ...).'),
  fsType: str('fsType is the filesystem type to mount. It applies only when the Path is a block device.'),
}, { required: ['path'] });

/** Every PersistentVolumeSource field, in upstream's order; exactly one must be set. */
export const persistentVolumeSourceFields = {
  gcePersistentDisk: volumeSourceFields.gcePersistentDisk,
  awsElasticBlockStore: volumeSourceFields.awsElasticBlockStore,
  hostPath: volumeSourceFields.hostPath,
  glusterfs: opaque('GlusterfsPersistentVolumeSource', 'Represents a Glusterfs mount that lasts the lifetime of a pod.'),
  nfs: volumeSourceFields.nfs,
  rbd: opaque('RBDPersistentVolumeSource', 'Represents a Rados Block Device mount that lasts the lifetime of a pod.'),
  iscsi: opaque('ISCSIPersistentVolumeSource', 'ISCSIPersistentVolumeSource represents an ISCSI disk.'),
  cinder: opaque('CinderPersistentVolumeSource', 'Represents a cinder volume resource in Openstack.'),
  cephfs: opaque('CephFSPersistentVolumeSource', 'Represents a Ceph Filesystem mount that lasts the lifetime of a pod.'),
  fc: volumeSourceFields.fc,
  flocker: volumeSourceFields.flocker,
  flexVolume: opaque('FlexPersistentVolumeSource', 'FlexPersistentVolumeSource represents a generic persistent volume resource that is provisioned/attached using an exec based plugin.'),
  azureFile: opaque('AzureFilePersistentVolumeSource', 'AzureFile represents an Azure File Service mount on the host and bind mount to the pod.'),
  vsphereVolume: volumeSourceFields.vsphereVolume,
  quobyte: volumeSourceFields.quobyte,
  azureDisk: volumeSourceFields.azureDisk,
  photonPersistentDisk: volumeSourceFields.photonPersistentDisk,
  portworxVolume: volumeSourceFields.portworxVolume,
  scaleIO: opaque('ScaleIOPersistentVolumeSource', 'ScaleIOPersistentVolumeSource represents a persistent ScaleIO volume'),
  local: LocalVolumeSourceSchema,
  storageos: opaque('StorageOSPersistentVolumeSource', 'Represents a StorageOS persistent volume resource.'),
  csi: CSIPersistentVolumeSourceSchema,
};
const PV_SOURCE_NAMES = Object.keys(persistentVolumeSourceFields) as (keyof typeof persistentVolumeSourceFields)[];

export const PersistentVolumeSpecSchema = obj('io.k8s.api.core.v1.PersistentVolumeSpec', 'PersistentVolumeSpec is the specification of a persistent volume.', {
  capacity: map(quantity(), 'capacity is the description of the persistent volume\'s resources and capacity.'),
  ...persistentVolumeSourceFields,
  accessModes: list(enumStr('', ACCESS_MODES), 'accessModes contains all ways the volume can be mounted.', { listType: 'atomic' }),
  claimRef: withGranularMap(ObjectReferenceSchema),
  persistentVolumeReclaimPolicy: enumStr('persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Defaults to Retain for manually created volumes.', RECLAIM_POLICIES),
  storageClassName: str('storageClassName is the name of StorageClass to which this persistent volume belongs.'),
  mountOptions: list(str(), 'mountOptions is the list of mount options, e.g. ["ro", "soft"].', { listType: 'atomic' }),
  volumeMode: enumStr('volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', VOLUME_MODES),
  nodeAffinity: obj('io.k8s.api.core.v1.VolumeNodeAffinity', 'VolumeNodeAffinity defines constraints that limit what nodes this volume can be accessed from.', {
    required: NodeSelectorSchema,
  }),
  volumeAttributesClassName: str('Name of VolumeAttributesClass to which this persistent volume belongs.'),
});

/** claimRef is the one ObjectReference upstream marks `granular` (patched field by field). */
function withGranularMap<T extends object>(schema: T): T {
  return { ...schema, 'x-kubernetes-map-type': 'granular' };
}

export const PersistentVolumeSchema = resourceSchema('io.k8s.api.core.v1.PersistentVolume', { group: '', version: 'v1', kind: 'PersistentVolume' },
  'PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node.', {
    spec: PersistentVolumeSpecSchema,
    status: obj('io.k8s.api.core.v1.PersistentVolumeStatus', 'PersistentVolumeStatus is the current status of a persistent volume.', {
      phase: enumStr('phase indicates if a volume is available, bound to a claim, or released by a claim.', PV_PHASES),
      message: str('message is a human-readable message indicating details about why the volume is in this state.'),
      reason: str('reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
      lastPhaseTransitionTime: time('lastPhaseTransitionTime is the time the phase transitioned from one to another and automatically resets to current time everytime a volume phase transitions.'),
    }),
  });
export type PersistentVolume = Static<typeof PersistentVolumeSchema>;
type PVSpec = NonNullable<PersistentVolume['spec']>;

function sourceOf(spec: PVSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of PV_SOURCE_NAMES) if (spec[k] !== undefined) out[k] = spec[k];
  return out;
}

/** Upstream ValidatePersistentVolumeSpec (main rules; per-source details only for common sources). */
export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  const spec = pv.spec ?? {};
  const errs: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(fieldError.required('spec.accessModes', ''));
  for (const m of modes) errs.push(...validateEnum(m, ACCESS_MODES, 'spec.accessModes'));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(fieldError.forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  }
  const capacity = spec.capacity ?? {};
  if (Object.keys(capacity).length === 0) errs.push(fieldError.required('spec.capacity', ''));
  if (Object.keys(capacity).length > 0 && (capacity.storage === undefined || Object.keys(capacity).length > 1)) {
    errs.push(fieldError.notSupported('spec.capacity', capacity, ['storage']));
  }
  for (const [k, q] of Object.entries(capacity)) errs.push(...validatePositiveQuantity(q, indexPath('spec.capacity', k)));
  errs.push(...validateEnum(spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES, 'spec.persistentVolumeReclaimPolicy'));
  if (spec.storageClassName) errs.push(...validateDNS1123Subdomain(spec.storageClassName, 'spec.storageClassName'));
  errs.push(...validateEnum(spec.volumeMode, VOLUME_MODES, 'spec.volumeMode'));

  const sources = PV_SOURCE_NAMES.filter((k) => spec[k] !== undefined);
  if (sources.length === 0) errs.push(fieldError.required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(fieldError.forbidden(childPath('spec', extra), 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(fieldError.required('spec.hostPath.path', ''));
  if (spec.nfs) {
    if (!spec.nfs.server) errs.push(fieldError.required('spec.nfs.server', ''));
    if (!spec.nfs.path) errs.push(fieldError.required('spec.nfs.path', ''));
    else if (!spec.nfs.path.startsWith('/')) errs.push(fieldError.invalid('spec.nfs.path', spec.nfs.path, 'must be an absolute path'));
  }
  if (spec.local) {
    if (!spec.local.path) errs.push(fieldError.required('spec.local.path', ''));
    if (!spec.nodeAffinity) errs.push(fieldError.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (spec.csi) {
    if (!spec.csi.driver) errs.push(fieldError.required('spec.csi.driver', ''));
    if (!spec.csi.volumeHandle) errs.push(fieldError.required('spec.csi.volumeHandle', ''));
  }
  if (spec.nodeAffinity) {
    if (!spec.nodeAffinity.required) errs.push(fieldError.required('spec.nodeAffinity.required', 'must have at least one node selector term'));
    else errs.push(...validateNodeSelector(spec.nodeAffinity.required, 'spec.nodeAffinity.required'));
  }
  errs.push(...validateEnum(pv.status?.phase, PV_PHASES, 'status.phase'));
  return errs;
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs = validatePersistentVolume(pv);
  const [spec, oldSpec] = [pv.spec ?? {}, old.spec ?? {}];
  if (!jsonEqual(sourceOf(spec), sourceOf(oldSpec))) {
    errs.push(fieldError.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  errs.push(...validateImmutable(spec.volumeMode, oldSpec.volumeMode, 'volumeMode'));
  if (oldSpec.nodeAffinity) errs.push(...validateImmutable(spec.nodeAffinity, oldSpec.nodeAffinity, 'nodeAffinity'));
  return errs;
}

export const persistentVolumes: ResourceType<PersistentVolume> = {
  group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', singular: 'persistentvolume',
  namespaced: false, shortNames: ['pv'],
  subresources: [{ name: 'status', kind: 'PersistentVolume', verbs: ['get', 'patch', 'update'] }],
  schema: PersistentVolumeSchema,
  hasStatus: true,
  prepareForCreate(pv) {
    // Upstream: status reset to Pending, the transition stamped with the creation time.
    pv.status = { phase: 'Pending' };
    if (pv.metadata?.creationTimestamp) pv.status.lastPhaseTransitionTime = pv.metadata.creationTimestamp;
  },
  defaults(pv) {
    // Upstream SetDefaults_PersistentVolume.
    const spec = (pv.spec ??= {});
    spec.persistentVolumeReclaimPolicy ||= 'Retain';
    spec.volumeMode ||= 'Filesystem';
    pv.status ??= {};
    pv.status.phase ||= 'Pending';
  },
  validate: (pv) => validatePersistentVolume(pv),
  selectableFields: {
    name: (pv) => pv.metadata?.name ?? '', // upstream keeps this legacy alias of metadata.name
  },
  validateUpdate: (pv, old) => validatePersistentVolumeUpdate(pv, old),
};
