// What one node's pod workers share while syncing pods, and what they remember per pod between
// syncs. Built once by PodWorkers; a PodRecord is touched only by the worker syncing that pod.
import type { Clock } from '../../client/index.js';
import type { ContainerRuntime, Mount } from '../../runtime/index.js';
import type { ProbeManager } from '../probes/probe-manager.js';
import type { Waiting } from '../status/container-statuses.js';
import type { Backoff } from './backoff.js';
import type { PodDeps } from './deps.js';
import type { PodEventSink } from './events.js';
import type { ImagePuller } from './image-puller.js';

export interface SyncContext {
  runtime: ContainerRuntime;
  deps: PodDeps;
  puller: ImagePuller;
  /** CrashLoopBackOff, keyed `<uid>/<container>/<image>`. */
  crashBackoff: Backoff;
  probes: ProbeManager;
  event: PodEventSink;
  clock: Clock;
  hostIPs: string[];
}

export interface PodRecord {
  uid: string;
  /** When this kubelet first synced the pod (status.startTime when the API has none). */
  firstSeen: number;
  /** Waiting reasons by container name (image pulls, back-off, config errors), shown in status. */
  waiting: Map<string, Waiting>;
  /** Mounts by container name, from the last volume setUp. */
  mounts?: Map<string, Mount[]>;
  /** A pod-level failure the worker decided (DeadlineExceeded). */
  failure?: { reason: string; message: string };
  /** Set once the containers are stopped, the sandboxes removed and the final status written. */
  terminated?: boolean;
}
