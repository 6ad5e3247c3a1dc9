// Pods delete gracefully: a pod that runs on a node gets deletionTimestamp + grace period and is
// removed by its kubelet; an unscheduled or finished pod goes at once (upstream pod strategy).
import type { KubeObject } from '../../api/index.js';
import type { ResourceHooks } from '../registry/context.js';

export const podHooks: ResourceHooks = {
  gracePeriodSeconds(obj: KubeObject, requested: number | undefined): number {
    const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, grace);
  },
};
