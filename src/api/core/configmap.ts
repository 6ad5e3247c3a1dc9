// core/v1 ConfigMap. The pattern every resource file follows: schema → Static type →
// ResourceType with upstream's names, validation and defaults.
import { bool, bytes, map, stringMap, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { isConfigMapKey } from '../meta/names.js';

export const ConfigMapSchema = resourceSchema('io.k8s.api.core.v1.ConfigMap', { group: '', version: 'v1', kind: 'ConfigMap' },
  'ConfigMap holds configuration data for pods to consume.', {
    data: stringMap('Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field.'),
    binaryData: map(bytes(), 'BinaryData contains the binary data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.'),
    immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
  });
export type ConfigMap = Static<typeof ConfigMapSchema>;

/** Upstream: total size of data + binaryData must not exceed 1 MiB. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    for (const msg of isConfigMapKey(k)) errs.push(fieldError.invalid(`data[${k}]`, k, msg));
    if (cm.binaryData && k in cm.binaryData) errs.push(fieldError.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(v);
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    for (const msg of isConfigMapKey(k)) errs.push(fieldError.invalid(`binaryData[${k}]`, k, msg));
    total += Math.floor((v.length * 3) / 4);
  }
  if (total > MAX_CONFIGMAP_BYTES) errs.push(fieldError.tooLong('', MAX_CONFIGMAP_BYTES));
  return errs;
}

export const configMaps: ResourceType<ConfigMap> = {
  group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap',
  namespaced: true, shortNames: ['cm'],
  schema: ConfigMapSchema,
  validate: validateConfigMap,
  validateUpdate(cm, old) {
    const errs = validateConfigMap(cm);
    if (old.immutable) {
      if (JSON.stringify(cm.data ?? {}) !== JSON.stringify(old.data ?? {}) || JSON.stringify(cm.binaryData ?? {}) !== JSON.stringify(old.binaryData ?? {})) {
        errs.push(fieldError.forbidden('data', 'field is immutable when `immutable` is set'));
      }
      if (!cm.immutable) errs.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
};

