// The endpoints controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { EndpointsController } from './endpoints-controller.js';

export { EndpointsController, endpointsLabels } from './endpoints-controller.js';
export {
  endpointSubsets, repackSubsets, truncateSubsets, MAX_ENDPOINTS_CAPACITY, OVER_CAPACITY_ANNOTATION,
  LAST_CHANGE_TRIGGER_TIME_ANNOTATION, SKIP_MIRROR_LABEL, HEADLESS_LABEL,
} from './subsets.js';
export { findPort, shouldPodBeInEndpoints } from './pod-endpoints.js';
export { TriggerTimeTracker } from './trigger-time.js';

export const endpointsControllerDescriptor: ControllerDescriptor = {
  name: 'endpoint',
  enabledByDefault: true,
  create: (ctx) => new EndpointsController(ctx),
};
