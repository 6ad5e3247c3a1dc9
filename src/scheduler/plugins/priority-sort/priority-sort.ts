// QueueSort: higher spec.priority first, then earlier queue timestamp (upstream PrioritySort).
import type { Pod } from '../../../api/index.js';
import type { QueuedPodInfo, QueueSortPlugin } from '../../framework/interfaces.js';
import type { PluginFactory } from '../../framework/registry.js';

export const name = 'PrioritySort';

/** Upstream corev1helpers.PodPriority: spec.priority, 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

export const factory: PluginFactory = () => ({
  name,
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = podPriority(a.pod);
    const p2 = podPriority(b.pod);
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  },
}) satisfies QueueSortPlugin;
