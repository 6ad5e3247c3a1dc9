// Public surface of the kubelet component.
//
// A real node runs `new PodWorkers({ client, nodeName, runtime, images, deps, hostIPs }).start(signal)`:
// `deps` (PodDeps) is where the pod-spec → CRI translation, volumes and pull secrets plug in; a
// config builder throws ContainerConfigError for CreateContainerConfigError.
export * from './hollow/index.js';
export * from './podspec/index.js';
export * from './volumes/index.js';
export * from './node/index.js';
export * from './logs/index.js';
export * from './server/index.js';
export { PodWorkers, type PodWorkersOptions } from './pods/pod-workers.js';
export {
  ContainerConfigError, simplePodDeps, type PodDeps, type PodVolumes, type ContainerConfigContext,
} from './pods/deps.js';
export { computePodActions, type PodActions, type ContainerHealth, type ContainerToKill } from './pods/pod-actions.js';
export { runtimeStateByPod, type PodRuntimeState } from './pods/runtime-state.js';
export { podLabels, sandboxPodUID, containerAttempt, RESTART_COUNT_ANNOTATION } from './pods/labels.js';
export { generatePodStatus, podPhase, type PodStatusInput } from './status/pod-status.js';
export { StatusManager } from './status/status-manager.js';
export { ProbeManager, type ProbeType } from './probes/probe-manager.js';
export { runHandler } from './probes/prober.js';
export { Kubelet, type KubeletOptions } from './agent/kubelet.js';
