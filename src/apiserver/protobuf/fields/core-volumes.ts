// Field numbers of core/v1 volumes and their sources, projections, and PersistentVolumeClaim (StatefulSet
// volumeClaimTemplates, ephemeral volumes). Sources Capstan leaves opaque carry wire types.
import { always, inline, ptr, typed, type FieldTables } from './spec.js';

export const CORE_VOLUME_FIELDS: FieldTables = {
  'io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource': {
    volumeID: typed(1, 'string', 'always'), fsType: typed(2, 'string'), partition: typed(3, 'int32'),
    readOnly: typed(4, 'bool'),
  },
  'io.k8s.api.core.v1.AzureDiskVolumeSource': {
    diskName: typed(1, 'string', 'always'), diskURI: typed(2, 'string', 'always'), cachingMode: typed(3, 'string', 'ptr'),
    fsType: typed(4, 'string', 'ptr'), readOnly: typed(5, 'bool', 'ptr'), kind: typed(6, 'string', 'ptr'),
  },
  'io.k8s.api.core.v1.AzureFileVolumeSource': {
    secretName: typed(1, 'string', 'always'), shareName: typed(2, 'string', 'always'), readOnly: typed(3, 'bool'),
  },
  'io.k8s.api.core.v1.CSIVolumeSource': {
    driver: always(1), readOnly: ptr(2), fsType: ptr(3), volumeAttributes: 4, nodePublishSecretRef: 5,
  },
  'io.k8s.api.core.v1.CephFSVolumeSource': {
    monitors: typed(1, 'string[]'), path: typed(2, 'string'), user: typed(3, 'string'), secretFile: typed(4, 'string'),
    secretRef: typed(5, 'io.k8s.api.core.v1.LocalObjectReference'), readOnly: typed(6, 'bool'),
  },
  'io.k8s.api.core.v1.CinderVolumeSource': {
    volumeID: typed(1, 'string', 'always'), fsType: typed(2, 'string'), readOnly: typed(3, 'bool'),
    secretRef: typed(4, 'io.k8s.api.core.v1.LocalObjectReference'),
  },
  'io.k8s.api.core.v1.ClusterTrustBundleProjection': {
    name: ptr(1), signerName: ptr(2), labelSelector: 3, path: always(4), optional: ptr(5),
  },
  'io.k8s.api.core.v1.ConfigMapProjection': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), items: 2, optional: ptr(4),
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), items: 2, defaultMode: ptr(3), optional: ptr(4),
  },
  'io.k8s.api.core.v1.DownwardAPIProjection': { items: 1 },
  'io.k8s.api.core.v1.DownwardAPIVolumeFile': { path: always(1), fieldRef: 2, resourceFieldRef: 3, mode: ptr(4) },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': { items: 1, defaultMode: ptr(2) },
  'io.k8s.api.core.v1.EmptyDirVolumeSource': { medium: 1, sizeLimit: 2 },
  'io.k8s.api.core.v1.EphemeralVolumeSource': { volumeClaimTemplate: 1 },
  'io.k8s.api.core.v1.FCVolumeSource': {
    targetWWNs: typed(1, 'string[]'), lun: typed(2, 'int32', 'ptr'), fsType: typed(3, 'string'), readOnly: typed(4, 'bool'),
    wwids: typed(5, 'string[]'),
  },
  'io.k8s.api.core.v1.FlexVolumeSource': {
    driver: typed(1, 'string', 'always'), fsType: typed(2, 'string'),
    secretRef: typed(3, 'io.k8s.api.core.v1.LocalObjectReference'), readOnly: typed(4, 'bool'),
    options: typed(5, 'map<string>'),
  },
  'io.k8s.api.core.v1.FlockerVolumeSource': { datasetName: typed(1, 'string'), datasetUUID: typed(2, 'string') },
  'io.k8s.api.core.v1.GCEPersistentDiskVolumeSource': {
    pdName: typed(1, 'string', 'always'), fsType: typed(2, 'string'), partition: typed(3, 'int32'), readOnly: typed(4, 'bool'),
  },
  'io.k8s.api.core.v1.GitRepoVolumeSource': {
    repository: typed(1, 'string', 'always'), revision: typed(2, 'string'), directory: typed(3, 'string'),
  },
  'io.k8s.api.core.v1.GlusterfsVolumeSource': {
    endpoints: typed(1, 'string', 'always'), path: typed(2, 'string', 'always'), readOnly: typed(3, 'bool'),
  },
  'io.k8s.api.core.v1.HostPathVolumeSource': { path: always(1), type: ptr(2) },
  'io.k8s.api.core.v1.ISCSIVolumeSource': {
    targetPortal: typed(1, 'string', 'always'), iqn: typed(2, 'string', 'always'), lun: typed(3, 'int32', 'always'),
    iscsiInterface: typed(4, 'string'), fsType: typed(5, 'string'), readOnly: typed(6, 'bool'), portals: typed(7, 'string[]'),
    chapAuthDiscovery: typed(8, 'bool'), secretRef: typed(10, 'io.k8s.api.core.v1.LocalObjectReference'),
    chapAuthSession: typed(11, 'bool'), initiatorName: typed(12, 'string', 'ptr'),
  },
  'io.k8s.api.core.v1.ImageVolumeSource': { reference: 1, pullPolicy: 2 },
  'io.k8s.api.core.v1.KeyToPath': { key: always(1), path: always(2), mode: ptr(3) },
  'io.k8s.api.core.v1.ModifyVolumeStatus': {
    targetVolumeAttributesClassName: typed(1, 'string'), status: typed(2, 'string', 'always'),
  },
  'io.k8s.api.core.v1.NFSVolumeSource': { server: always(1), path: always(2), readOnly: 3 },
  'io.k8s.api.core.v1.PersistentVolumeClaim': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.core.v1.PersistentVolumeClaimCondition': {
    type: always(1), status: always(2), lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6,
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    accessModes: 1, resources: 2, volumeName: 3, selector: 4, storageClassName: ptr(5), volumeMode: ptr(6), dataSource: 7,
    dataSourceRef: 8, volumeAttributesClassName: ptr(9),
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    phase: 1, accessModes: 2, capacity: 3, conditions: 4, allocatedResources: 5, allocatedResourceStatuses: 7,
    currentVolumeAttributesClassName: ptr(8), modifyVolumeStatus: typed(9, 'io.k8s.api.core.v1.ModifyVolumeStatus'),
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimTemplate': { metadata: 1, spec: 2 },
  'io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource': { claimName: always(1), readOnly: 2 },
  'io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource': { pdID: typed(1, 'string', 'always'), fsType: typed(2, 'string') },
  'io.k8s.api.core.v1.PortworxVolumeSource': {
    volumeID: typed(1, 'string', 'always'), fsType: typed(2, 'string'), readOnly: typed(3, 'bool'),
  },
  'io.k8s.api.core.v1.ProjectedVolumeSource': { sources: 1, defaultMode: ptr(2) },
  'io.k8s.api.core.v1.QuobyteVolumeSource': {
    registry: typed(1, 'string', 'always'), volume: typed(2, 'string', 'always'), readOnly: typed(3, 'bool'),
    user: typed(4, 'string'), group: typed(5, 'string'), tenant: typed(6, 'string'),
  },
  'io.k8s.api.core.v1.RBDVolumeSource': {
    monitors: typed(1, 'string[]'), image: typed(2, 'string', 'always'), fsType: typed(3, 'string'), pool: typed(4, 'string'),
    user: typed(5, 'string'), keyring: typed(6, 'string'), secretRef: typed(7, 'io.k8s.api.core.v1.LocalObjectReference'),
    readOnly: typed(8, 'bool'),
  },
  'io.k8s.api.core.v1.ScaleIOVolumeSource': {
    gateway: typed(1, 'string', 'always'), system: typed(2, 'string', 'always'),
    secretRef: typed(3, 'io.k8s.api.core.v1.LocalObjectReference'), sslEnabled: typed(4, 'bool'),
    protectionDomain: typed(5, 'string'), storagePool: typed(6, 'string'), storageMode: typed(7, 'string'),
    volumeName: typed(8, 'string'), fsType: typed(9, 'string'), readOnly: typed(10, 'bool'),
  },
  'io.k8s.api.core.v1.SecretProjection': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), items: 2, optional: ptr(4),
  },
  'io.k8s.api.core.v1.SecretVolumeSource': { secretName: 1, items: 2, defaultMode: ptr(3), optional: ptr(4) },
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': { audience: 1, expirationSeconds: ptr(2), path: always(3) },
  'io.k8s.api.core.v1.StorageOSVolumeSource': {
    volumeName: typed(1, 'string'), volumeNamespace: typed(2, 'string'), fsType: typed(3, 'string'), readOnly: typed(4, 'bool'),
    secretRef: typed(5, 'io.k8s.api.core.v1.LocalObjectReference'),
  },
  'io.k8s.api.core.v1.TypedLocalObjectReference': { apiGroup: ptr(1), kind: always(2), name: always(3) },
  'io.k8s.api.core.v1.TypedObjectReference': { apiGroup: ptr(1), kind: always(2), name: always(3), namespace: ptr(4) },
  'io.k8s.api.core.v1.Volume': { name: always(1), volumeSource: inline(2, 'io.k8s.api.core.v1.VolumeSource') },
  'io.k8s.api.core.v1.VolumeDevice': { name: always(1), devicePath: always(2) },
  'io.k8s.api.core.v1.VolumeMount': {
    name: always(1), readOnly: 2, mountPath: always(3), subPath: 4, mountPropagation: ptr(5), subPathExpr: 6,
    recursiveReadOnly: ptr(7),
  },
  'io.k8s.api.core.v1.VolumeMountStatus': { name: always(1), mountPath: always(2), readOnly: 3, recursiveReadOnly: ptr(4) },
  'io.k8s.api.core.v1.VolumeProjection': {
    secret: 1, downwardAPI: 2, configMap: 3, serviceAccountToken: 4, clusterTrustBundle: 5,
  },
  'io.k8s.api.core.v1.VolumeResourceRequirements': { limits: 1, requests: 2 },
  'io.k8s.api.core.v1.VolumeSource': {
    hostPath: 1, emptyDir: 2, gcePersistentDisk: 3, awsElasticBlockStore: 4, gitRepo: 5, secret: 6, nfs: 7, iscsi: 8,
    glusterfs: 9, persistentVolumeClaim: 10, rbd: 11, flexVolume: 12, cinder: 13, cephfs: 14, flocker: 15, downwardAPI: 16,
    fc: 17, azureFile: 18, configMap: 19, vsphereVolume: 20, quobyte: 21, azureDisk: 22, photonPersistentDisk: 23,
    portworxVolume: 24, scaleIO: 25, projected: 26, storageos: 27, csi: 28, ephemeral: 29, image: 30,
  },
  'io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource': {
    volumePath: typed(1, 'string', 'always'), fsType: typed(2, 'string'), storagePolicyName: typed(3, 'string'),
    storagePolicyID: typed(4, 'string'),
  },
};
