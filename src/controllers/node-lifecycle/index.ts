// The node lifecycle and taint eviction controllers: registry entries and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

export { NodeLifecycleController, NODE_LIFECYCLE_WORKERS } from './node-lifecycle-controller.js';
export { TaintEvictionController, TAINT_EVICTION_WORKERS } from './taint-eviction-controller.js';
export * from './health.js';
export * from './taint-eviction.js';
export * from './zones.js';

export const nodeLifecycleControllerDescriptor: ControllerDescriptor = {
  name: 'nodelifecycle',
  enabledByDefault: true,
  create: (ctx) => new NodeLifecycleController(ctx),
};

export const taintEvictionControllerDescriptor: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  enabledByDefault: true,
  create: (ctx) => new TaintEvictionController(ctx),
};
