// core/v1 Secret. `stringData` is a write-only convenience: on create and update it is merged into
// `data` (base64) and dropped, so it is never stored nor returned.
import { bool, bytes, map, str, stringMap, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, indexPath, type FieldError } from '../field-errors.js';
import { isConfigMapKey } from '../meta/names.js';
import { jsonEqual, validateImmutable } from './field-checks.js';

export const SecretSchema = resourceSchema('io.k8s.api.core.v1.Secret', { group: '', version: 'v1', kind: 'Secret' },
  'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.', {
    data: map(bytes(), 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string.'),
    stringData: stringMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values.'),
    type: str('Used to facilitate programmatic handling of secret data.'),
    immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).'),
  });
export type Secret = Static<typeof SecretSchema>;

/** Upstream MaxSecretSize. */
const MAX_SECRET_BYTES = 1024 * 1024;

/** Keys each built-in secret type requires (upstream ValidateSecret's type switch). */
export const SECRET_TYPE_KEYS = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
} as Record<string, string[]>;

const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** Merges stringData into data (stringData wins) and removes it; upstream does this on decode. */
function mergeStringData(secret: Secret): void {
  if (secret.stringData) {
    const data = { ...secret.data };
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

function decodedLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

export function validateSecret(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const data = secret.data ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(fieldError.invalid(indexPath('data', k), k, m));
    total += decodedLength(v);
  }
  if (total > MAX_SECRET_BYTES) errs.push(fieldError.tooLong('data', MAX_SECRET_BYTES));

  const type = secret.type ?? '';
  if (type === 'kubernetes.io/service-account-token') {
    if (!secret.metadata?.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION]) {
      errs.push(fieldError.required(indexPath('metadata.annotations', SERVICE_ACCOUNT_NAME_ANNOTATION), ''));
    }
  } else if (type === 'kubernetes.io/basic-auth') {
    if (!('username' in data) && !('password' in data)) {
      errs.push(fieldError.required(indexPath('data', 'username'), ''), fieldError.required(indexPath('data', 'password'), ''));
    }
  } else if (SECRET_TYPE_KEYS[type]) {
    // ssh-auth needs a non-empty key; the other types only need the keys present.
    const missing = (key: string) => !(key in data) || (type === 'kubernetes.io/ssh-auth' && !data[key]);
    for (const key of SECRET_TYPE_KEYS[type]) if (missing(key)) errs.push(fieldError.required(indexPath('data', key), ''));
    const jsonKey = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : type === 'kubernetes.io/dockerconfigjson' ? '.dockerconfigjson' : '';
    if (jsonKey && data[jsonKey] !== undefined) {
      try {
        JSON.parse(Buffer.from(data[jsonKey], 'base64').toString('utf8'));
      } catch (e) {
        errs.push(fieldError.invalid(indexPath('data', jsonKey), '<secret contents redacted>', (e as Error).message));
      }
    }
  }
  return errs;
}

export const secrets: ResourceType<Secret> = {
  group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret',
  namespaced: true,
  schema: SecretSchema,
  prepareForCreate: mergeStringData,
  prepareForUpdate: (secret) => mergeStringData(secret),
  defaults(secret) {
    secret.type ||= 'Opaque';
  },
  validate: (secret) => validateSecret(secret),
  validateUpdate(secret, old) {
    const errs = validateSecret(secret);
    errs.push(...validateImmutable(secret.type, old.type, 'type'));
    if (old.immutable) {
      if (!secret.immutable) errs.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
      if (!jsonEqual(secret.data ?? {}, old.data ?? {})) errs.push(fieldError.forbidden('data', 'field is immutable when `immutable` is set'));
    }
    return errs;
  },
  selectableFields: {
    type: (secret) => secret.type ?? '',
  },
};
