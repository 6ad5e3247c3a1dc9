// apps/v1 ReplicaSet: keeps a stable set of replica pods running.
import { obj, int32, int64, list, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import type { FieldError } from '../field-errors.js';
import { PodTemplateSpecSchema } from '../core/pod-spec.js';
import { validateNonnegative } from '../core/field-checks.js';
import { statusSubresource, scaleSubresource, workloadCondition, defaultTemplate, validateWorkloadTemplate, validateSelectorImmutable } from './workload.js';

export const ReplicaSetSpecSchema = obj('io.k8s.api.apps.v1.ReplicaSetSpec', 'ReplicaSetSpec is the specification of a ReplicaSet.', {
  replicas: int32('Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.'),
  minReadySeconds: int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.'),
  selector: withMeta(LabelSelector, { description: 'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template\'s labels.' }),
  template: withMeta(PodTemplateSpecSchema, { description: 'Template is the object that describes the pod that will be created if insufficient replicas are detected.' }),
}, { required: ['selector'] });

export const ReplicaSetConditionSchema = workloadCondition('io.k8s.api.apps.v1.ReplicaSetCondition', 'ReplicaSetCondition describes the state of a replica set at a certain point.');

export const ReplicaSetStatusSchema = obj('io.k8s.api.apps.v1.ReplicaSetStatus', 'ReplicaSetStatus represents the current status of a ReplicaSet.', {
  replicas: int32('Replicas is the most recently observed number of non-terminating pods.'),
  fullyLabeledReplicas: int32('The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset.'),
  readyReplicas: int32('The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
  availableReplicas: int32('The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set.'),
  terminatingReplicas: int32('The number of terminating pods for this replica set.'),
  observedGeneration: int64('ObservedGeneration reflects the generation of the most recently observed ReplicaSet.'),
  conditions: list(ReplicaSetConditionSchema, 'Represents the latest available observations of a replica set\'s current state.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
}, { required: ['replicas'] });

export const ReplicaSetSchema = resourceSchema('io.k8s.api.apps.v1.ReplicaSet', { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  'ReplicaSet ensures that a specified number of pod replicas are running at any given time.', {
    spec: withMeta(ReplicaSetSpecSchema, { description: 'Spec defines the specification of the desired behavior of the ReplicaSet. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
    status: withMeta(ReplicaSetStatusSchema, { description: 'Status is the most recently observed status of the ReplicaSet. This data may be out of date by some window of time. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' }),
  });
export type ReplicaSet = Static<typeof ReplicaSetSchema>;
export type ReplicaSetSpec = Static<typeof ReplicaSetSpecSchema>;

/** Upstream apps/v1 SetDefaults_ReplicaSet plus the template's pod defaults. */
export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = (rs.spec ??= {});
  spec.replicas ??= 1;
  defaultTemplate(spec.template);
}

/** Upstream ValidateReplicaSetSpec. */
function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec ?? {};
  return [
    ...validateNonnegative(spec.replicas, 'spec.replicas'),
    ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateWorkloadTemplate(spec, 'deployment', 'ReplicaSet'),
  ];
}

export const replicaSets: ResourceType<ReplicaSet> = {
  group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset',
  namespaced: true, shortNames: ['rs'], categories: ['all'],
  subresources: [statusSubresource('ReplicaSet'), scaleSubresource],
  schema: ReplicaSetSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(rs) { rs.status = { replicas: 0 }; },
  defaults: defaultReplicaSet,
  validate: validateReplicaSet,
  validateUpdate(rs, old) {
    return [...validateReplicaSet(rs), ...validateSelectorImmutable(rs.spec?.selector, old.spec?.selector)];
  },
  selectableFields: {
    'status.replicas': (rs) => String(rs.status?.replicas ?? 0),
  },
};
