// All field-number tables, merged. The decoder looks definitions up here by upstream name.
import type { FieldTables } from './spec.js';
import { META_FIELDS } from './meta.js';
import { CORE_FIELDS } from './core.js';
import { CORE_POD_FIELDS } from './core-pod.js';
import { CORE_VOLUME_FIELDS } from './core-volumes.js';
import { APPS_FIELDS } from './apps.js';
import { BATCH_FIELDS } from './batch.js';
import { NETWORKING_FIELDS } from './networking.js';
import { AUTHORIZATION_FIELDS } from './authorization.js';
import { POLICY_FIELDS } from './policy.js';
import { SCHEDULING_FIELDS } from './scheduling.js';

export type { FieldSpec, FieldTable, FieldTables, WireType } from './spec.js';

export const FIELD_TABLES: FieldTables = {
  ...META_FIELDS, ...CORE_FIELDS, ...CORE_POD_FIELDS, ...CORE_VOLUME_FIELDS, ...APPS_FIELDS, ...BATCH_FIELDS,
  ...NETWORKING_FIELDS, ...AUTHORIZATION_FIELDS, ...POLICY_FIELDS, ...SCHEDULING_FIELDS,
};
