// How the endpoints-family controllers map between Services and pods through the informer
// caches: a Service with a non-empty selector selects the pods in its namespace whose labels
// match it (upstream labels.Set(selector).AsSelectorPreValidated); pod events requeue every
// Service selecting the pod before or after the change.
import { labelSelectorFromSet, matchesLabels, type Pod, type Service } from '../../api/index.js';
import { objectKey, type Indexer, type WorkQueue } from '../../client/index.js';
import { NAMESPACE_INDEX } from '../shared-informers.js';

/** A selector-less Service is managed by hand (or mirrored): the controllers leave it alone. */
export function hasSelector(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}

export function selects(svc: Service, pod: Pod): boolean {
  return hasSelector(svc) && matchesLabels(labelSelectorFromSet(svc.spec?.selector), pod.metadata?.labels);
}

/** The pods of `svc`'s namespace its selector matches (none without a selector). */
export function podsForService(podStore: Indexer, svc: Service): Pod[] {
  if (!hasSelector(svc)) return [];
  const sel = labelSelectorFromSet(svc.spec?.selector);
  return (podStore.byIndex(NAMESPACE_INDEX, svc.metadata?.namespace ?? '') as Pod[]).filter((p) => matchesLabels(sel, p.metadata?.labels));
}

/** Handlers that queue the keys of the Services selecting a pod (upstream addPod/updatePod/deletePod). */
export function podHandlers(serviceStore: Indexer, queue: WorkQueue<string>) {
  const enqueueFor = (...pods: Pod[]) => {
    const keys = new Set<string>();
    for (const pod of pods) {
      for (const svc of serviceStore.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '') as Service[]) {
        if (selects(svc, pod)) keys.add(objectKey(svc));
      }
    }
    for (const k of keys) queue.add(k);
  };
  return {
    onAdd: (p: object) => enqueueFor(p as Pod),
    onUpdate: (o: object, p: object) => {
      if ((o as Pod).metadata?.resourceVersion === (p as Pod).metadata?.resourceVersion) return;
      enqueueFor(o as Pod, p as Pod);
    },
    onDelete: (p: object) => enqueueFor(p as Pod),
  };
}
