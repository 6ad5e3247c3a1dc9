// Public surface of the client component: how every role talks to the API server.
export type { Transport, TransportRequest, TransportResponse } from './transport.js';
export { httpsTransport, type HttpsConfig } from './https-transport.js';
export { loopbackTransport, type LoopbackHandler, type LoopbackRequest, type LoopbackResponse } from './loopback-transport.js';
export { parseKubeconfig, kubeconfigFromFile, transportFromKubeconfig } from './kubeconfig.js';
export { Client } from './client.js';
export {
  ResourceClient, type ResourceRef, type ListOptions, type WatchOptions, type WriteOptions, type PatchOptions,
  type DeleteOptions, type KubeList, type WatchEvent, type WatchEventType, type PatchType,
} from './resource-client.js';
export { responseError } from './response-error.js';
export { CacheStore, objectKey, splitKey, namespaceIndex, type Indexer, type IndexFunc } from './cache-store.js';
export { Informer, type EventHandlers, type InformerOptions } from './informer.js';
export { realClock, ManualClock, sleep, type Clock, type TimerHandle } from './clock.js';
export { WorkQueue, type WorkQueueOptions } from './workqueue.js';
export {
  ItemExponentialRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter, type RateLimiter,
} from './rate-limiter.js';
export { LeaderElector, microTime, runLeaderElected, type LeaderElectionConfig, type LeaderCallbacks } from './leader-election.js';
export { ApiEventRecorder, type EventRecorder, type EventRecorderOptions } from './event-recorder.js';
