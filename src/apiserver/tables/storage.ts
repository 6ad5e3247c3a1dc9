// PersistentVolumes and PersistentVolumeClaims.
import { column, nameColumn, ageColumn, type TablePrinter, type TableCell } from './types.js';
import { since, accessModes } from './format.js';

interface Meta { metadata?: { name?: string; creationTimestamp?: string; deletionTimestamp?: string; annotations?: Record<string, string> } }
interface PersistentVolume extends Meta {
  spec?: {
    capacity?: Record<string, string>; accessModes?: string[]; persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string }; storageClassName?: string; volumeAttributesClassName?: string; volumeMode?: string;
  };
  status?: { phase?: string; reason?: string };
}
interface PersistentVolumeClaim extends Meta {
  spec?: { volumeName?: string; storageClassName?: string; volumeAttributesClassName?: string; volumeMode?: string };
  status?: { phase?: string; accessModes?: string[]; capacity?: Record<string, string> };
}

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

/** The storage class: the beta annotation wins over spec.storageClassName, as upstream. */
function storageClassOf(o: Meta & { spec?: { storageClassName?: string } }): string {
  const annotation = o.metadata?.annotations?.[BETA_STORAGE_CLASS];
  return annotation !== undefined ? annotation : (o.spec?.storageClassName ?? '');
}

const phaseOf = (o: Meta & { status?: { phase?: string } }) => (o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''));

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn(),
    column('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 1),
  ],
  cells(pv: PersistentVolume, now: Date): TableCell[] {
    const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '';
    return [pv.metadata?.name ?? '', pv.spec?.capacity?.storage ?? '0', accessModes(pv.spec?.accessModes), pv.spec?.persistentVolumeReclaimPolicy ?? '',
      phaseOf(pv), claim, storageClassOf(pv), pv.spec?.volumeAttributesClassName ?? '<unset>', pv.status?.reason ?? '',
      since(pv.metadata?.creationTimestamp, now), pv.spec?.volumeMode ?? '<unset>'];
  },
};

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    column('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', 1),
  ],
  cells(pvc: PersistentVolumeClaim, now: Date): TableCell[] {
    const bound = !!pvc.spec?.volumeName;
    return [pvc.metadata?.name ?? '', phaseOf(pvc), pvc.spec?.volumeName ?? '', bound ? (pvc.status?.capacity?.storage ?? '0') : '',
      bound ? accessModes(pvc.status?.accessModes) : '', storageClassOf(pvc), pvc.spec?.volumeAttributesClassName ?? '<unset>',
      since(pvc.metadata?.creationTimestamp, now), pvc.spec?.volumeMode ?? '<unset>'];
  },
};
