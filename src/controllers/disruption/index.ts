// The disruption controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { DisruptionController } from './disruption-controller.js';

export { DisruptionController, DISRUPTION_WORKERS } from './disruption-controller.js';
export {
  budgetStatus, buildDisruptedPodMap, countHealthyPods, disruptionAllowedCondition, expectedPodCount, failSafeStatus,
  scaledValueFromIntOrPercent, DELETION_TIMEOUT_MS, type PdbStatus,
} from './budget.js';

export const disruptionControllerDescriptor: ControllerDescriptor = {
  name: 'disruption',
  enabledByDefault: true,
  create: (ctx) => new DisruptionController(ctx),
};
