// core/v1 PersistentVolumeClaim shapes, the one declaration shared by pod ephemeral volumes,
// StatefulSet volumeClaimTemplates and the persistentvolumeclaims resource.
import { obj, str, list, map, quantity, enumStr, anyValue, stringMap, time, type Static } from '../schema/builder.js';
import { ObjectMeta, LabelSelector, resourceSchema } from '../schema/meta.js';

export const TypedLocalObjectReferenceSchema = obj('io.k8s.api.core.v1.TypedLocalObjectReference', 'TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace.', {
  apiGroup: str('APIGroup is the group for the resource being referenced.'),
  kind: str('Kind is the type of resource being referenced'),
  name: str('Name is the name of resource being referenced'),
}, { required: ['kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const TypedObjectReferenceSchema = obj('io.k8s.api.core.v1.TypedObjectReference', 'TypedObjectReference contains enough information to let you locate the typed referenced object', {
  apiGroup: str('APIGroup is the group for the resource being referenced.'),
  kind: str('Kind is the type of resource being referenced'),
  name: str('Name is the name of resource being referenced'),
  namespace: str('Namespace is the namespace of resource being referenced'),
}, { required: ['kind', 'name'] });

export const VolumeResourceRequirementsSchema = obj('io.k8s.api.core.v1.VolumeResourceRequirements', 'VolumeResourceRequirements describes the storage resource requirements for a volume.', {
  limits: map(quantity(), 'Limits describes the maximum amount of compute resources allowed.'),
  requests: map(quantity(), 'Requests describes the minimum amount of compute resources required.'),
});

export const PersistentVolumeClaimSpecSchema = obj('io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes', {
  accessModes: list(str(), 'accessModes contains the desired access modes the volume should have.', { listType: 'atomic' }),
  selector: LabelSelector,
  resources: VolumeResourceRequirementsSchema,
  volumeName: str('volumeName is the binding reference to the PersistentVolume backing this claim.'),
  storageClassName: str('storageClassName is the name of the StorageClass required by the claim.'),
  volumeMode: enumStr('volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', ['Block', 'Filesystem']),
  dataSource: TypedLocalObjectReferenceSchema,
  dataSourceRef: TypedObjectReferenceSchema,
  volumeAttributesClassName: str('volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.'),
});
export type PersistentVolumeClaimSpec = Static<typeof PersistentVolumeClaimSpecSchema>;

export const PersistentVolumeClaimConditionSchema = obj('io.k8s.api.core.v1.PersistentVolumeClaimCondition', 'PersistentVolumeClaimCondition contains details about state of pvc', {
  type: str('Type is the type of the condition.'),
  status: str('Status is the status of the condition. Can be True, False, Unknown.'),
  lastProbeTime: time('lastProbeTime is the time we probed the condition.'),
  lastTransitionTime: time('lastTransitionTime is the time the condition transitioned from one status to another.'),
  reason: str('reason is a unique, this should be a short, machine understandable string that gives the reason for condition\'s last transition.'),
  message: str('message is the human-readable message indicating details about last transition.'),
}, { required: ['type', 'status'] });

export const PersistentVolumeClaimStatusSchema = obj('io.k8s.api.core.v1.PersistentVolumeClaimStatus', 'PersistentVolumeClaimStatus is the current status of a persistent volume claim.', {
  phase: enumStr('phase represents the current phase of PersistentVolumeClaim.', ['Bound', 'Lost', 'Pending']),
  accessModes: list(str(), 'accessModes contains the actual access modes the volume backing the PVC has.', { listType: 'atomic' }),
  capacity: map(quantity(), 'capacity represents the actual resources of the underlying volume.'),
  conditions: list(PersistentVolumeClaimConditionSchema, 'conditions is the current Condition of persistent volume claim.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  allocatedResources: map(quantity(), 'allocatedResources tracks the resources allocated to a PVC including its capacity.'),
  allocatedResourceStatuses: stringMap('allocatedResourceStatuses stores status of resource being resized for the given PVC.'),
  currentVolumeAttributesClassName: str('currentVolumeAttributesClassName is the current name of the VolumeAttributesClass the PVC is using.'),
  modifyVolumeStatus: anyValue('ModifyVolumeStatus represents the status object of ControllerModifyVolume operation.'),
});

export const PersistentVolumeClaimSchema = resourceSchema('io.k8s.api.core.v1.PersistentVolumeClaim', { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
  'PersistentVolumeClaim is a user\'s request for and claim to a persistent volume', {
    spec: PersistentVolumeClaimSpecSchema,
    status: PersistentVolumeClaimStatusSchema,
  });
export type PersistentVolumeClaim = Static<typeof PersistentVolumeClaimSchema>;

export const PersistentVolumeClaimTemplateSchema = obj('io.k8s.api.core.v1.PersistentVolumeClaimTemplate', 'PersistentVolumeClaimTemplate is used to produce PersistentVolumeClaim objects as part of an EphemeralVolumeSource.', {
  metadata: ObjectMeta,
  spec: PersistentVolumeClaimSpecSchema,
}, { required: ['spec'] });
export type PersistentVolumeClaimTemplate = Static<typeof PersistentVolumeClaimTemplateSchema>;

/** Upstream SetDefaults_PersistentVolumeClaimSpec. */
export function defaultPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec): void {
  spec.volumeMode ??= 'Filesystem';
}

/** Upstream SetDefaults_PersistentVolumeClaim (as applied to StatefulSet volumeClaimTemplates). */
export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  pvc.spec ??= {};
  defaultPersistentVolumeClaimSpec(pvc.spec);
  pvc.status ??= {};
  pvc.status.phase ||= 'Pending';
}
