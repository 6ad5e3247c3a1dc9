// core/v1 PersistentVolumeClaim resource. The claim's shapes are shared with pod ephemeral volumes
// and StatefulSet templates (volume-claim.ts); this file adds the resource's rules.
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, type FieldError } from '../field-errors.js';
import { compareQuantity } from '../meta/quantity.js';
import { PersistentVolumeClaimSchema, defaultPersistentVolumeClaim, type PersistentVolumeClaim, type PersistentVolumeClaimSpec } from './volume-claim.js';
import { ACCESS_MODES, VOLUME_MODES } from './persistent-volume.js';
import {
  isQuantity, jsonEqual, validateDNS1123Subdomain, validateEnum, validateImmutable, validateLabelSelector,
  validateNonnegativeQuantity, validatePositiveQuantity,
} from './field-checks.js';

/** Upstream ValidatePersistentVolumeClaimSpec (main rules). */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(fieldError.required(`${path}.accessModes`, 'at least 1 access mode is required'));
  for (const m of modes) errs.push(...validateEnum(m, ACCESS_MODES, `${path}.accessModes`));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(fieldError.forbidden(`${path}.accessModes`, 'may not use ReadWriteOncePod with other access modes'));
  }
  errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(fieldError.required(indexPath(`${path}.resources`, 'storage'), ''));
  else errs.push(...validatePositiveQuantity(storage, indexPath(`${path}.resources.requests`, 'storage')));
  for (const [k, q] of Object.entries(spec.resources?.limits ?? {})) errs.push(...validateNonnegativeQuantity(q, indexPath(`${path}.resources.limits`, k)));
  if (spec.storageClassName) errs.push(...validateDNS1123Subdomain(spec.storageClassName, `${path}.storageClassName`));
  errs.push(...validateEnum(spec.volumeMode, VOLUME_MODES, `${path}.volumeMode`));
  for (const key of ['dataSource', 'dataSourceRef'] as const) {
    const ref = spec[key];
    if (!ref) continue;
    if (!ref.name) errs.push(fieldError.required(`${path}.${key}.name`, ''));
    if (!ref.kind) errs.push(fieldError.required(`${path}.${key}.kind`, ''));
    if (!ref.apiGroup && ref.kind && ref.kind !== 'PersistentVolumeClaim') {
      errs.push(fieldError.invalid(`${path}.${key}`, ref.kind, 'must be \'PersistentVolumeClaim\' when referencing the default apiGroup'));
    }
  }
  return errs;
}

/** Upstream ValidatePersistentVolumeClaimUpdate: only binding, expansion and class changes pass. */
export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs = validatePersistentVolumeClaimSpec(pvc.spec ?? {}, 'spec');
  const spec = structuredClone(pvc.spec ?? {});
  const oldSpec = structuredClone(old.spec ?? {});
  if (!oldSpec.volumeName) oldSpec.volumeName = spec.volumeName;
  if (oldSpec.storageClassName === undefined && !old.spec?.volumeName) oldSpec.storageClassName = spec.storageClassName;
  if (pvc.status?.phase === 'Bound' && spec.resources?.requests) {
    if (oldSpec.resources?.requests?.storage === undefined) delete spec.resources.requests.storage;
    else spec.resources.requests.storage = oldSpec.resources.requests.storage;
  }
  spec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (!jsonEqual(spec, oldSpec)) {
    errs.push(fieldError.forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const [newSize, oldSize] = [pvc.spec?.resources?.requests?.storage, old.spec?.resources?.requests?.storage];
  if (newSize && oldSize && isQuantity(newSize) && isQuantity(oldSize) && compareQuantity(newSize, oldSize) < 0) {
    errs.push(fieldError.forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  errs.push(...validateImmutable(pvc.spec?.volumeMode, old.spec?.volumeMode, 'volumeMode'));
  return errs;
}

export const persistentVolumeClaims: ResourceType<PersistentVolumeClaim> = {
  group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim',
  namespaced: true, shortNames: ['pvc'],
  subresources: [{ name: 'status', kind: 'PersistentVolumeClaim', verbs: ['get', 'patch', 'update'] }],
  schema: PersistentVolumeClaimSchema,
  hasStatus: true,
  prepareForCreate(pvc) {
    delete pvc.status;
  },
  defaults: defaultPersistentVolumeClaim,
  validate: (pvc) => validatePersistentVolumeClaimSpec(pvc.spec ?? {}, 'spec'),
  selectableFields: {
    name: (pvc) => pvc.metadata?.name ?? '', // upstream keeps this legacy alias of metadata.name
  },
  validateUpdate: (pvc, old) => validatePersistentVolumeClaimUpdate(pvc, old),
};
