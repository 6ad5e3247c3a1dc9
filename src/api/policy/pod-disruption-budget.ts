// policy/v1 PodDisruptionBudget: bounds voluntary disruption (evictions) of a set of pods. The
// disruption controller keeps status; the eviction subresource of pods reads it.
import { obj, int32, int64, list, enumStr, map, time, intOrString, withMeta, type Static } from '../schema/builder.js';
import { resourceSchema, LabelSelector, Condition } from '../schema/meta.js';
import type { ResourceType } from '../resource.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { validateEnum, validateIntOrPercent, validateLabelSelector } from '../core/field-checks.js';

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

export const PodDisruptionBudgetSpecSchema = obj('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.', {
  minAvailable: intOrString('An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction, i.e. even in the absence of the evicted pod.'),
  selector: withMeta(LabelSelector, { description: 'Label query over pods whose evictions are managed by the disruption budget. A null selector will match no pods, while an empty ({}) selector will select all pods within the namespace.', 'x-kubernetes-patch-strategy': 'replace' }),
  maxUnavailable: intOrString('An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction.'),
  unhealthyPodEvictionPolicy: enumStr('UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction.', UNHEALTHY_POD_EVICTION_POLICIES),
});

export const PodDisruptionBudgetStatusSchema = obj('io.k8s.api.policy.v1.PodDisruptionBudgetStatus', 'PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget. Status may trail the actual state of a system.', {
  observedGeneration: int64('Most recent generation observed when updating this PDB status.'),
  disruptedPods: map(time(), 'DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller.'),
  disruptionsAllowed: int32('Number of pod disruptions that are currently allowed.'),
  currentHealthy: int32('current number of healthy pods'),
  desiredHealthy: int32('minimum desired number of healthy pods'),
  expectedPods: int32('total number of pods counted by this disruption budget'),
  conditions: list(Condition, 'Conditions contain conditions for PDB. The disruption controller sets the DisruptionAllowed condition.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
}, { required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] });

export const PodDisruptionBudgetSchema = resourceSchema('io.k8s.api.policy.v1.PodDisruptionBudget', { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
  'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods', {
    spec: PodDisruptionBudgetSpecSchema,
    status: PodDisruptionBudgetStatusSchema,
  });
export type PodDisruptionBudget = Static<typeof PodDisruptionBudgetSchema>;

/** Upstream ValidatePodDisruptionBudgetSpec. */
export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(fieldError.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
  errs.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  errs.push(...validateEnum(spec.unhealthyPodEvictionPolicy, UNHEALTHY_POD_EVICTION_POLICIES, 'spec.unhealthyPodEvictionPolicy'));
  return errs;
}

export const podDisruptionBudgets: ResourceType<PodDisruptionBudget> = {
  group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget',
  namespaced: true, shortNames: ['pdb'],
  subresources: [{ name: 'status', kind: 'PodDisruptionBudget', verbs: ['get', 'patch', 'update'] }],
  schema: PodDisruptionBudgetSchema,
  hasStatus: true,
  tracksGeneration: true,
  prepareForCreate(pdb) {
    delete pdb.status;
  },
  validate: (pdb) => validatePodDisruptionBudget(pdb),
};
