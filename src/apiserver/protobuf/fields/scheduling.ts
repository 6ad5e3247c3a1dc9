// Field numbers of scheduling/v1: PriorityClass.
import { always, ptr, type FieldTables } from './spec.js';

export const SCHEDULING_FIELDS: FieldTables = {
  'io.k8s.api.scheduling.v1.PriorityClass': {
    metadata: 1, value: always(2), globalDefault: 3, description: 4, preemptionPolicy: ptr(5),
  },
};
