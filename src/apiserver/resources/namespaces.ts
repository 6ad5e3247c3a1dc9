// Namespaces: deletion marks the namespace Terminating; it disappears once both its metadata
// finalizers and its spec.finalizers (emptied by the namespace controller through /finalize) are gone.
import type { KubeObject } from '../../api/index.js';
import type { ResourceHooks } from '../registry/context.js';

export const namespaceHooks: ResourceHooks = {
  onDeletionStarted(obj) {
    obj.status = { ...(obj.status as object | undefined), phase: 'Terminating' };
  },
  readyToDelete(obj: KubeObject) {
    const specFinalizers = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers;
    return !obj.metadata?.finalizers?.length && !specFinalizers?.length;
  },
};
