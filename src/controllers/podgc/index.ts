// The pod garbage collector: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { PodGCController } from './podgc-controller.js';

export { PodGCController, type PodGCOptions } from './podgc-controller.js';
export * from './plan.js';

export const podGCControllerDescriptor: ControllerDescriptor = {
  name: 'podgc',
  enabledByDefault: true,
  create: (ctx) => new PodGCController(ctx),
};
