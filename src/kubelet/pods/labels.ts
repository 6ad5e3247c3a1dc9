// Reading back the CRI labels and annotations the kubelet puts on what it creates (written by
// podspec/labels.ts, upstream kuberuntime labels.go), so that after a restart it can find which
// pod and container each sandbox and container belongs to. Read by `podRuntimeState` when adopting.
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import type { Pod } from '../../api/index.js';
import {
  CONTAINER_RESTART_COUNT_ANNOTATION, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, containerLabels as newContainerLabels,
} from '../podspec/labels.js';

export {
  CONTAINER_HASH_ANNOTATION, CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, containerHash,
} from '../podspec/labels.js';
export { formatPod as podDesc } from '../podspec/node-context.js';

/** Annotation: the container's restart count (its CRI attempt). */
export const RESTART_COUNT_ANNOTATION = CONTAINER_RESTART_COUNT_ANNOTATION;

/** The labels naming the pod (upstream newPodLabels without the pod's own labels). */
export function podLabels(pod: Pod): Record<string, string> {
  const m = pod.metadata ?? {};
  return { [POD_UID_LABEL]: m.uid ?? '', [POD_NAME_LABEL]: m.name ?? '', [POD_NAMESPACE_LABEL]: m.namespace ?? '' };
}

export function containerLabels(pod: Pod, containerName: string): Record<string, string> {
  return newContainerLabels(pod, { name: containerName });
}

/** The uid of the pod a sandbox belongs to: its label, else the config's uid. */
export function sandboxPodUID(s: PodSandboxStatus): string {
  return s.config.labels?.[POD_UID_LABEL] ?? s.config.uid;
}

/** The container's attempt (restart count): the runtime's, else the annotation. */
export function containerAttempt(c: ContainerStatus): number {
  if (c.attempt !== undefined) return c.attempt;
  const n = Number(c.annotations?.[RESTART_COUNT_ANNOTATION]);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
