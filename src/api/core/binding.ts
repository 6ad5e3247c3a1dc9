// core/v1 Binding: the body of POST pods/<name>/binding, by which a scheduler assigns a pod to a
// node. Not stored; the pods registry applies it to the pod's spec.nodeName.
import { type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { ObjectReferenceSchema } from './object-reference.js';

export const BindingSchema = resourceSchema('io.k8s.api.core.v1.Binding', { group: '', version: 'v1', kind: 'Binding' },
  'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.', {
    target: ObjectReferenceSchema,
  });
(BindingSchema as { required?: string[] }).required = ['target'];
export type Binding = Static<typeof BindingSchema>;

/** Upstream ValidatePodBinding: the target must name a Node. */
export function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(fieldError.notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(fieldError.required('target.name'));
  return errs;
}
