// The CRI labels and annotations the kubelet puts on what it creates, so that after a restart it
// can find which pod and container each sandbox and container belongs to (upstream
// kuberuntime labels.go). Read back by `podRuntimeState` when adopting.
import { createHash } from 'node:crypto';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/index.js';
import type { Pod } from '../../api/index.js';

export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Annotation: the container's restart count (its CRI attempt), upstream's `io.kubernetes.container.restartCount`. */
export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';

/** Annotation: a hash of the container's spec; a running container whose spec changed is restarted. */
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';

/** JSON with object keys sorted, so the hash does not depend on how the API ordered fields. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Upstream HashContainer: the spec without its resources (those resize in place), as 8 hex digits. */
export function containerHash(spec: object): string {
  const { resources: _resources, ...rest } = spec as { resources?: unknown };
  return createHash('sha256').update(canonical(rest)).digest('hex').slice(0, 8);
}

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
