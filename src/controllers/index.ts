// Public surface of the controllers component: the controller manager role, the registry of
// controllers by upstream name, and the controllers' pure cores (for tests and tools).
export type { Controller, ControllerConfig, ControllerContext, ControllerDescriptor } from './controller.js';
export { ControllerManager, type ControllerManagerOptions } from './manager.js';
export { CONTROLLERS, enabledControllers, ControllersFlagError } from './registry.js';
export { SharedInformers } from './shared-informers.js';
export { ControllerExpectations } from './expectations.js';
export { ApiEventRecorder, type EventRecorder } from '../client/index.js';
export * as replicaset from './replicaset/index.js';
export * as deployment from './deployment/index.js';
export * as garbagecollector from './garbage-collector/index.js';
export * as namespace from './namespace/index.js';
export * as endpoints from './endpoints/index.js';
export * as endpointslice from './endpointslice/index.js';
export * as endpointslicemirroring from './endpointslice-mirroring/index.js';
export * as serviceaccount from './serviceaccount/index.js';
export * as disruption from './disruption/index.js';
export * as nodelifecycle from './node-lifecycle/index.js';
export * as nodeipam from './node-ipam/index.js';
export * as servicelb from './service-lb/index.js';
export * as clusterdns from './cluster-dns/index.js';
export * as podgc from './podgc/index.js';
export * as resourcequota from './resourcequota/index.js';
export * as job from './job/index.js';
export * as ttlafterfinished from './ttl-after-finished/index.js';
export * as daemonset from './daemonset/index.js';
export * as statefulset from './statefulset/index.js';
export * as history from './history/index.js';
export * as cronjob from './cronjob/index.js';
