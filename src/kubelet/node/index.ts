// The node: host facts, capacity and allocatable, conditions, registration, status and Lease.
export { NodeStatusManager, runtimeReadiness, type NodeStatusManagerOptions, type ReadinessCheck } from './node-status-manager.js';
export { readHostIdentity, readHostSample, readFsSignals, hostInterfaces, type HostIdentity, type HostSample } from './host-readers.js';
export { goArch, goOS, pickNodeIP } from './host-facts.js';
export { DEFAULT_EVICTION_HARD, DEFAULT_MAX_PODS, parseEvictionThresholds, parseReservation, nodeResources, type EvictionThreshold, type Reservation } from './node-resources.js';
export { conditionTransitionEvents, healthyConditions, nodeConditions, observePressure, PressureTracker, type NodeCondition, type NodeSignals, type Pressure } from './node-conditions.js';
export {
  buildNodeLease, defaultNodeLabels, nodeImages, NODE_LEASE_NAMESPACE, NODE_LEASE_DURATION_SECONDS, KUBELET_PORT,
} from './node-object.js';
export { renewNodeLease, type LeaseState } from './node-lease.js';
