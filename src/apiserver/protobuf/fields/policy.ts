// Field numbers of policy/v1: PodDisruptionBudget, Eviction.
import { always, ptr, type FieldTables } from './spec.js';

export const POLICY_FIELDS: FieldTables = {
  'io.k8s.api.policy.v1.Eviction': { metadata: 1, deleteOptions: 2 },
  'io.k8s.api.policy.v1.PodDisruptionBudget': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': {
    minAvailable: 1, selector: 2, maxUnavailable: 3, unhealthyPodEvictionPolicy: ptr(4),
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': {
    observedGeneration: 1, disruptedPods: 2, disruptionsAllowed: always(3), currentHealthy: always(4),
    desiredHealthy: always(5), expectedPods: always(6), conditions: 7,
  },
};
