// The EndpointSlice controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { EndpointSliceController } from './endpointslice-controller.js';

export { EndpointSliceController, sliceLabels, type EndpointSliceControllerOptions } from './endpointslice-controller.js';
export {
  desiredEndpointGroups, endpointPorts, podToEndpoint, CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, DEFAULT_MAX_ENDPOINTS_PER_SLICE,
} from './desired.js';
export { planSlices, endpointKey, type EndpointGroup, type SlicePlan } from './reconcile.js';

export const endpointSliceControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslice',
  enabledByDefault: true,
  // `--max-endpoints-per-slice` arrives as config.maxEndpointsPerSlice once the flag is bound.
  create: (ctx) => new EndpointSliceController(ctx, { maxEndpointsPerSlice: ctx.config?.maxEndpointsPerSlice }),
};
