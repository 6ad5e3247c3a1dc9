// The EndpointSlice mirroring controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { EndpointSliceMirroringController } from './mirroring-controller.js';

export { EndpointSliceMirroringController, mirroredLabels } from './mirroring-controller.js';
export { mirroredGroups, addressToEndpoint, MIRRORING_CONTROLLER_NAME, DEFAULT_MAX_ENDPOINTS_PER_SUBSET } from './mirror.js';

export const endpointSliceMirroringControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslicemirroring',
  enabledByDefault: true,
  create: (ctx) => new EndpointSliceMirroringController(ctx),
};
