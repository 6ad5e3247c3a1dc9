// The StatefulSet controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { StatefulSetController } from './statefulset-controller.js';

export { StatefulSetController, STATEFULSET_WORKERS } from './statefulset-controller.js';
export { podName, ordinalOf, claimName, claimsFor, newStatefulSetPod, POD_NAME_LABEL, POD_INDEX_LABEL } from './identity.js';
export { claimOwnerRefs } from './claim-retention.js';
export { planStatefulSet, isRunningAndReady, type StatefulSetAction, type StatefulSetStatusCounts } from './plan.js';

export const statefulSetControllerDescriptor: ControllerDescriptor = {
  name: 'statefulset',
  enabledByDefault: true,
  create: (ctx) => new StatefulSetController(ctx),
};
