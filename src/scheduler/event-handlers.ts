// Informer events → queue and cache (upstream eventhandlers.go). Pods without spec.nodeName whose
// schedulerName has a profile go to the queue; assigned, non-terminal pods go to the cache; node
// changes update the cache and move unschedulable pods the change may help.
import type { KubeObject, Node, Pod } from '../api/index.js';
import type { EventHandlers } from '../client/index.js';
import type { SchedulerCache } from './cache/scheduler-cache.js';
import { ASSIGNED_POD_DELETE, NODE_ADD, nodeUpdateEvents } from './queue/cluster-events.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

const isAssigned = (p: Pod): boolean => !!p.spec?.nodeName;
const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export interface HandlerTargets {
  queue: SchedulingQueue;
  cache: SchedulerCache;
  /** Whether one of this scheduler's profiles is responsible for the pod (by schedulerName). */
  responsibleFor(pod: Pod): boolean;
}

export function podEventHandlers({ queue, cache, responsibleFor }: HandlerTargets): EventHandlers {
  /** The pod is known to run somewhere (or to have finished): account for it, or drop it. */
  const assigned = (pod: Pod): void => {
    if (isTerminal(pod)) {
      cache.removePod(pod);
      queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE);
    } else {
      cache.addPod(pod);
    }
  };
  const pending = (pod: Pod): boolean => !isAssigned(pod) && !isTerminal(pod) && !pod.metadata?.deletionTimestamp && responsibleFor(pod);
  return {
    onAdd(obj: KubeObject) {
      const pod = obj as Pod;
      if (isAssigned(pod)) assigned(pod);
      else if (pending(pod)) queue.add(pod);
    },
    onUpdate(oldObj: KubeObject, newObj: KubeObject) {
      const oldPod = oldObj as Pod;
      const pod = newObj as Pod;
      if (isAssigned(pod)) {
        if (!isAssigned(oldPod)) queue.delete(oldPod);
        assigned(pod);
      } else if (pending(pod)) {
        queue.update(oldPod, pod);
      } else {
        queue.delete(pod);
      }
    },
    onDelete(obj: KubeObject) {
      const pod = obj as Pod;
      if (isAssigned(pod)) {
        cache.removePod(pod);
        queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE);
      } else {
        queue.delete(pod);
      }
    },
  };
}

export function nodeEventHandlers({ queue, cache }: HandlerTargets): EventHandlers {
  return {
    onAdd(obj: KubeObject) {
      cache.addNode(obj as Node);
      queue.moveAllToActiveOrBackoffQueue(NODE_ADD);
    },
    onUpdate(oldObj: KubeObject, newObj: KubeObject) {
      cache.updateNode(oldObj as Node, newObj as Node);
      for (const ev of nodeUpdateEvents(oldObj as Node, newObj as Node)) queue.moveAllToActiveOrBackoffQueue(ev);
    },
    onDelete(obj: KubeObject) {
      cache.removeNode(obj as Node);
    },
  };
}
