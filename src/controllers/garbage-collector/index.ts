// The garbage collector: registry entry and public pieces.
import type { ControllerDescriptor } from '../controller.js';
import { GarbageCollector } from './garbage-collector.js';

export { GarbageCollector, GC_RESOURCES, GC_WORKERS } from './garbage-collector.js';
export { OwnershipGraph, itemKey, splitItemKey } from './graph.js';
export {
  classifyOwners, dependentAction, deletingOwnerAction, ownerStateOf, removeFinalizerPatch, removeOwnerReferencesPatch,
  FINALIZER_ORPHAN, FINALIZER_DELETE_DEPENDENTS, type OwnerState, type DependentAction, type OwnerAction, type PropagationPolicy,
} from './plan.js';

export const garbageCollectorControllerDescriptor: ControllerDescriptor = {
  name: 'garbage-collector',
  enabledByDefault: true,
  create: (ctx) => new GarbageCollector(ctx),
};
