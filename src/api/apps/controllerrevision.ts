// apps/v1 ControllerRevision: an immutable snapshot of a DaemonSet's or StatefulSet's template,
// written by those controllers to implement rollout history and rollback.
import { int64, anyValue, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { validateNonnegative, validateImmutable } from '../core/field-checks.js';

export const ControllerRevisionSchema = resourceSchema('io.k8s.api.apps.v1.ControllerRevision', { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
  'ControllerRevision implements an immutable snapshot of state data. Clients are responsible for serializing and deserializing the objects that contain their internal state.', {
    data: anyValue('Data is the serialized representation of the state.'),
    revision: int64('Revision indicates the revision of the state represented by Data.'),
  });
(ControllerRevisionSchema as { required?: string[] }).required = ['revision'];
export type ControllerRevision = Static<typeof ControllerRevisionSchema>;

/** Upstream ValidateControllerRevision (metadata is checked generically). */
function validateControllerRevision(cr: ControllerRevision): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data === undefined || cr.data === null) errs.push(fieldError.required('data', 'data is mandatory'));
  errs.push(...validateNonnegative(cr.revision, 'revision'));
  return errs;
}

export const controllerRevisions: ResourceType<ControllerRevision> = {
  group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision',
  namespaced: true,
  schema: ControllerRevisionSchema,
  validate: validateControllerRevision,
  validateUpdate(cr, old) {
    return [...validateControllerRevision(cr), ...validateImmutable(cr.data, old.data, 'data')];
  },
};
