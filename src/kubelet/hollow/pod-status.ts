// Pure: the status a kubelet reports for a pod whose containers all run, from the runtime's view
// of them (upstream kubelet generateAPIPodStatus for a Running, Ready pod without probes).
import type { Pod } from '../../api/index.js';
import type { ContainerStatus as RuntimeContainerStatus } from '../../runtime/index.js';

type PodStatus = NonNullable<Pod['status']>;
type PodCondition = NonNullable<PodStatus['conditions']>[number];
type ApiContainerStatus = NonNullable<PodStatus['containerStatuses']>[number];

/** Conditions the kubelet owns; any other condition on the pod (PodScheduled, DisruptionTarget…) is kept. */
const KUBELET_CONDITIONS: string[] = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

export interface RunningPodFacts {
  hostIP: string;
  podIP: string;
  /** When the kubelet first saw the pod (status.startTime), ms since the epoch. */
  startTime: number;
  /** Runtime status of each container by container name (init containers included). */
  containers: Map<string, RuntimeContainerStatus>;
  now: number;
}

/**
 * The full status to write through `pods/status` (the caller sends it whole). Containers are
 * reported ready and started (no probes); regular init containers as Completed; restartable
 * (sidecar) init containers as running.
 */
export function runningPodStatus(pod: Pod, facts: RunningPodFacts): PodStatus {
  const old = pod.status ?? {};
  const t = rfc3339(facts.now);
  const condition = (type: string): PodCondition => {
    const prev = old.conditions?.find((c) => c.type === type);
    return { type, status: 'True', lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : t };
  };
  const others = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type ?? ''));
  if (!others.some((c) => c.type === 'PodScheduled')) others.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: t });
  const spec = pod.spec ?? { containers: [] };
  const initStatuses = (spec.initContainers ?? []).map((c) => {
    const sidecar = c.restartPolicy === 'Always';
    return containerStatus(c.name ?? '', c.image ?? '', facts.containers.get(c.name ?? ''), sidecar ? 'running' : 'completed');
  });
  // The kubelet sorts regular container statuses by name.
  const statuses = (spec.containers ?? []).map((c) => containerStatus(c.name ?? '', c.image ?? '', facts.containers.get(c.name ?? ''), 'running'))
    .sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
  const status: PodStatus = {
    phase: 'Running',
    conditions: [...KUBELET_CONDITIONS.map(condition), ...others],
    hostIP: facts.hostIP,
    hostIPs: [{ ip: facts.hostIP }],
    podIP: facts.podIP,
    podIPs: [{ ip: facts.podIP }],
    startTime: old.startTime ?? rfc3339(facts.startTime),
    containerStatuses: statuses,
  };
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  if (old.qosClass) status.qosClass = old.qosClass;
  return status;
}

/** True when `pod` already reports what runningPodStatus would (so no write is needed). */
export function reportsRunning(pod: Pod, podIP: string): boolean {
  const s = pod.status;
  if (s?.phase !== 'Running' || s.podIP !== podIP) return false;
  if (!s.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
  const names = new Set((s.containerStatuses ?? []).filter((c) => c.ready && c.containerID).map((c) => c.name));
  return (pod.spec?.containers ?? []).every((c) => names.has(c.name ?? ''));
}

function containerStatus(name: string, image: string, rt: RuntimeContainerStatus | undefined, as: 'running' | 'completed'): ApiContainerStatus {
  const started = rfc3339(rt?.startedAt ?? rt?.createdAt ?? 0);
  const base = { name, image, imageID: rt?.imageRef ?? '', containerID: rt?.id ?? '', restartCount: 0, lastState: {} };
  if (as === 'completed') {
    return {
      ...base, ready: true, started: false,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started, containerID: rt?.id ?? '' } },
    };
  }
  return { ...base, ready: true, started: true, state: { running: { startedAt: started } } };
}

/** Go's RFC 3339 at whole seconds, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
