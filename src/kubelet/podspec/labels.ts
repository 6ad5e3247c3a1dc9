// Labels and annotations the kubelet puts on CRI objects (upstream kuberuntime labels.go), so that
// a restarted kubelet can tell which pod and container a runtime object belongs to. Pure.
import { createHash } from 'node:crypto';
import type { Pod } from '../../api/index.js';
import type { Container } from './spec-types.js';
import { POD_UID_LABEL } from '../../runtime/index.js';

export { POD_UID_LABEL };

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const CONTAINER_RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
export const TERMINATION_MESSAGE_PATH_ANNOTATION = 'io.kubernetes.container.terminationMessagePath';
export const TERMINATION_MESSAGE_POLICY_ANNOTATION = 'io.kubernetes.container.terminationMessagePolicy';
/** Where the node keeps the file mounted at terminationMessagePath (this node's own; upstream reads the CRI status' mounts). */
export const TERMINATION_MESSAGE_HOST_PATH_ANNOTATION = 'io.capstan.container.terminationMessageHostPath';
export const POD_DELETION_GRACE_ANNOTATION = 'io.kubernetes.pod.deletionGracePeriod';
export const POD_TERMINATION_GRACE_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';
export const PRESTOP_HANDLER_ANNOTATION = 'io.kubernetes.container.preStopHandler';
export const CONTAINER_PORTS_ANNOTATION = 'io.kubernetes.container.ports';

/** Upstream newPodLabels: the pod's labels plus name, namespace and uid. */
export function sandboxLabels(pod: Pod): Record<string, string> {
  return {
    ...(pod.metadata?.labels ?? {}),
    [POD_NAME_LABEL]: pod.metadata?.name ?? '',
    [POD_NAMESPACE_LABEL]: pod.metadata?.namespace ?? '',
    [POD_UID_LABEL]: pod.metadata?.uid ?? '',
  };
}

/** Upstream newPodAnnotations: the pod's annotations. */
export function sandboxAnnotations(pod: Pod): Record<string, string> {
  return { ...(pod.metadata?.annotations ?? {}) };
}

/** Upstream newContainerLabels. */
export function containerLabels(pod: Pod, container: Container): Record<string, string> {
  return {
    [POD_NAME_LABEL]: pod.metadata?.name ?? '',
    [POD_NAMESPACE_LABEL]: pod.metadata?.namespace ?? '',
    [POD_UID_LABEL]: pod.metadata?.uid ?? '',
    [CONTAINER_NAME_LABEL]: container.name ?? '',
  };
}

/** JSON with object keys sorted, so the hash does not depend on how the API ordered fields. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Upstream HashContainer: the spec without its resources (those resize in place), as 8 hex
 * digits. A running container whose spec hash changed is restarted by the pod workers.
 */
export function containerHash(spec: object): string {
  const { resources: _resources, ...rest } = spec as { resources?: unknown };
  return createHash('sha256').update(canonical(rest)).digest('hex').slice(0, 8);
}

/** Upstream newContainerAnnotations: hash, restart count, termination message and grace settings. */
export function containerAnnotations(pod: Pod, container: Container, restartCount: number): Record<string, string> {
  const out: Record<string, string> = {
    [CONTAINER_HASH_ANNOTATION]: containerHash(container),
    [CONTAINER_RESTART_COUNT_ANNOTATION]: String(restartCount),
    [TERMINATION_MESSAGE_PATH_ANNOTATION]: container.terminationMessagePath ?? '',
    [TERMINATION_MESSAGE_POLICY_ANNOTATION]: container.terminationMessagePolicy ?? '',
  };
  if (pod.metadata?.deletionGracePeriodSeconds !== undefined) out[POD_DELETION_GRACE_ANNOTATION] = String(pod.metadata.deletionGracePeriodSeconds);
  if (pod.spec?.terminationGracePeriodSeconds !== undefined) out[POD_TERMINATION_GRACE_ANNOTATION] = String(pod.spec.terminationGracePeriodSeconds);
  if (container.lifecycle?.preStop) out[PRESTOP_HANDLER_ANNOTATION] = JSON.stringify(container.lifecycle.preStop);
  if ((container.ports ?? []).length > 0) out[CONTAINER_PORTS_ANNOTATION] = JSON.stringify(container.ports);
  return out;
}
