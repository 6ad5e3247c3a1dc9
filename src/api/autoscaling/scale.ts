// autoscaling/v1 Scale: the body of the `scale` subresource of deployments, replicasets and
// statefulsets. Not stored; the registry maps it to and from the owner's spec.replicas,
// status.replicas and selector.
import { obj, int32, str, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema } from '../schema/meta.js';
import type { FieldError } from '../field-errors.js';
import { validateNonnegative } from '../core/field-checks.js';
import { labelSelectorFromObject, selectorToString, type LabelSelectorObject } from '../meta/labels.js';

export const ScaleSpecSchema = obj('io.k8s.api.autoscaling.v1.ScaleSpec', 'ScaleSpec describes the attributes of a scale subresource.', {
  replicas: int32('replicas is the desired number of instances for the scaled object.'),
});

export const ScaleStatusSchema = obj('io.k8s.api.autoscaling.v1.ScaleStatus', 'ScaleStatus represents the current status of a scale subresource.', {
  replicas: int32('replicas is the actual number of observed instances of the scaled object.'),
  selector: str('selector is the label query over pods that should match the replicas count. This is same as the label selector but in the string format to avoid introspection by clients.'),
}, { required: ['replicas'] });

export const ScaleSchema = resourceSchema('io.k8s.api.autoscaling.v1.Scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  'Scale represents a scaling request for a resource.', {
    spec: withMeta(ScaleSpecSchema, { description: 'spec defines the behavior of the scale. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
    status: withMeta(ScaleStatusSchema, { description: 'status is the current status of the scale. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status Read-only.' }),
  });
export type Scale = Static<typeof ScaleSchema>;

/** Upstream ValidateScale (metadata is checked by the caller). */
export function validateScale(scale: Scale): FieldError[] {
  return validateNonnegative(scale.spec?.replicas, 'spec.replicas');
}

/** What a scalable resource (Deployment, ReplicaSet, StatefulSet) exposes to its scale subresource. */
export interface Scalable {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
  spec?: { replicas?: number; selector?: LabelSelectorObject };
  status?: { replicas?: number };
}

/**
 * The Scale view of a scalable object, as upstream's scale REST handlers build it: identity
 * metadata, spec.replicas, status.replicas and the selector rendered as a label-selector string.
 */
export function scaleOf(obj: Scalable): Scale {
  const m = obj.metadata ?? {};
  let selector = '';
  try {
    selector = selectorToString(labelSelectorFromObject(obj.spec?.selector));
  } catch {
    selector = '';
  }
  const metadata: Scale['metadata'] = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  for (const k of Object.keys(metadata!) as (keyof NonNullable<Scale['metadata']>)[]) if (metadata![k] === undefined) delete metadata![k];
  return {
    apiVersion: 'autoscaling/v1', kind: 'Scale', metadata,
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector },
  };
}

/** Applies a validated Scale to a copy of the object (only spec.replicas changes). */
export function applyScale<T extends Scalable>(obj: T, scale: Scale): T {
  const next = structuredClone(obj);
  next.spec = { ...(next.spec ?? {}), replicas: scale.spec?.replicas ?? 0 };
  return next;
}
