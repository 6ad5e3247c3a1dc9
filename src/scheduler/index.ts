// Public surface of the scheduler's pure core: the framework (extension points, status codes,
// NodeInfo/Snapshot, configuration), the scheduling algorithm and the in-tree plugins.
export { Code, Status, SUCCESS, SKIP, newStatus, asStatus } from './framework/status.js';
export { CycleState, type StateData } from './framework/cycle-state.js';
export {
  Resource, computePodResourceRequest, isScalarResourceName, DEFAULT_MILLI_CPU_REQUEST, DEFAULT_MEMORY_REQUEST,
  type PodRequestOptions,
} from './framework/resource.js';
export { HostPortInfo, podHostPorts, type HostPort } from './framework/host-ports.js';
export { NodeInfo, PodInfo, podKey } from './framework/node-info.js';
export { Snapshot } from './framework/snapshot.js';
export * from './framework/interfaces.js';
export { Registry, type Handle, type PluginFactory, type Binder } from './framework/registry.js';
export * from './framework/config.js';
export { Framework, type FrameworkOptions, type PreFilterOutcome, type ScoreOutcome } from './framework/framework.js';
export { schedulePod, findNodesThatFitPod, prioritizeNodes, ScheduleError, type ScheduleOptions, type ScheduleResult } from './algorithm/schedule-pod.js';
export { FitError, Diagnosis, fitErrorMessage, NO_NODES_AVAILABLE } from './algorithm/fit-error.js';
export { numFeasibleNodesToFind, MIN_FEASIBLE_NODES_TO_FIND, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND } from './algorithm/num-feasible.js';
export { selectHost, defaultRandomInt, type RandomInt } from './algorithm/select-host.js';
export { newInTreeRegistry } from './plugins/registry.js';
export { defaultNormalizeScore } from './plugins/helper/normalize.js';
export { toleratesTaint, tolerationsTolerateTaint, findMatchingUntoleratedTaint } from './plugins/helper/taints.js';
export { podPriority } from './plugins/priority-sort/priority-sort.js';
export { parseSchedulerConfiguration, validateSchedulerConfiguration, buildProfiles, frameworkForPod, SchedulerConfigError, SCHEDULER_CONFIG_API_VERSION } from './framework/profiles.js';
// The running scheduler: queue, cache, loop and leader election.
export { SchedulingQueue, type SchedulingQueueOptions } from './queue/scheduling-queue.js';
export { type ClusterEvent, nodeUpdateEvents, eventMayHelp } from './queue/cluster-events.js';
export { SchedulerCache, type SchedulerCacheOptions } from './cache/scheduler-cache.js';
export { Scheduler, MAX_BINDINGS_IN_FLIGHT, BINDING_CLIENT_CONNECTIONS, type SchedulerOptions } from './scheduler.js';
export { SchedulerRole, schedulerClients, type SchedulerRoleOptions } from './leader-elected.js';
export { scheduledMessage } from './recorder.js';
