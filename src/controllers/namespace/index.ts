// The namespace controller: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { NamespaceController } from './namespace-controller.js';

export { NamespaceController, estimateGracefulTermination, FINALIZER_KUBERNETES, NAMESPACE_WORKERS } from './namespace-controller.js';
export { deletionConditions, mergeConditions, CONDITION_TYPES, type DeletionReport, type NamespaceCondition } from './conditions.js';
export { deletableResources, discoverNamespacedResources, type DeletableResource, type DiscoveryResult } from './discovery.js';

export const namespaceControllerDescriptor: ControllerDescriptor = {
  name: 'namespace',
  enabledByDefault: true,
  create: (ctx) => new NamespaceController(ctx),
};
