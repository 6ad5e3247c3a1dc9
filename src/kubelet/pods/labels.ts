// The CRI labels and annotations the kubelet puts on what it creates, so that after a restart it
// can find which pod and container each sandbox and container belongs to (upstream
// kuberuntime labels.go). Read back by `podRuntimeState` when adopting.
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import type { Pod } from '../../api/index.js';

export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Annotation: the container's restart count (its CRI attempt), upstream's `io.kubernetes.container.restartCount`. */
export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';

export function podLabels(pod: Pod): Record<string, string> {
  const m = pod.metadata ?? {};
  return { [POD_UID_LABEL]: m.uid ?? '', [POD_NAME_LABEL]: m.name ?? '', [POD_NAMESPACE_LABEL]: m.namespace ?? '' };
}

export function containerLabels(pod: Pod, containerName: string): Record<string, string> {
  return { ...podLabels(pod), [CONTAINER_NAME_LABEL]: containerName };
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

/** `name_namespace(uid)`, as upstream's format.Pod in messages. */
export function podDesc(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}
