// core/v1 Binding: the body of POST pods/<name>/binding, by which a scheduler assigns a pod to a
// node. Not stored; the pods registry applies it to the pod's spec.nodeName.
import { withMeta, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { ObjectReferenceSchema } from './object-reference.js';

export const BindingSchema = resourceSchema('io.k8s.api.core.v1.Binding', { group: '', version: 'v1', kind: 'Binding' },
  'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.', {
    target: withMeta(ObjectReferenceSchema, { description: 'The target object that you want to bind to the standard object.' }),
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

/** The pod fields a binding reads and writes (structural, so pod.ts need not be imported). */
export interface BindablePod {
  metadata?: { name?: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec?: { nodeName?: string; schedulingGates?: unknown[] };
  status?: { conditions?: { type?: string; status?: string; lastProbeTime?: string; lastTransitionTime?: string; reason?: string; message?: string }[] };
}

/**
 * Upstream BindingREST.setPodNodeAndMetadata: assigns the pod (mutated in place) to the binding's
 * node, copies the binding's annotations and sets PodScheduled=True. Returns the refusal message
 * when the pod cannot be bound; the registry answers it as a Conflict on `pods/binding`.
 * `now` is the RFC 3339 time used for the condition's lastTransitionTime.
 */
export function bindPod(pod: BindablePod, binding: Binding, now: string): string | undefined {
  const name = pod.metadata?.name ?? '';
  if (pod.metadata?.deletionTimestamp) return `pod ${name} is being deleted, cannot be assigned to a host`;
  if (pod.spec?.nodeName) return `pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`;
  if ((pod.spec?.schedulingGates ?? []).length > 0) return `pod ${name} has non-empty .spec.schedulingGates`;
  (pod.spec ??= {}).nodeName = binding.target?.name ?? '';
  const annotations = binding.metadata?.annotations ?? {};
  if (Object.keys(annotations).length > 0) pod.metadata = { ...pod.metadata, annotations: { ...pod.metadata?.annotations, ...annotations } };
  const conditions = ((pod.status ??= {}).conditions ??= []);
  const existing = conditions.find((c) => c.type === 'PodScheduled');
  if (!existing) conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: undefined, lastTransitionTime: now });
  else if (existing.status !== 'True') Object.assign(existing, { status: 'True', lastTransitionTime: now, reason: undefined, message: undefined });
  for (const c of conditions) for (const k of Object.keys(c) as (keyof typeof c)[]) if (c[k] === undefined) delete c[k];
  return undefined;
}
