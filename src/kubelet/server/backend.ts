// What the kubelet server needs from the rest of the kubelet: which pods and containers exist
// on this node, where their logs are, and the runtime's streaming calls. The real kubelet wires
// its pod manager and runtime here; tests wire local processes and files.
import type { ContainerRuntime } from '../../runtime/index.js';

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
  /** The pod's sandbox while it has one (port-forward needs it). */
  sandboxId?: string;
}

/** A container of a pod's spec, as the node knows it. */
export interface ContainerRef {
  /** Runtime id of the current (or last) instance; absent while it never started. */
  containerId?: string;
  /** Log file of the current instance (`<pod dir>/<container>/<restartCount>.log`). */
  logPath?: string;
  /** Log file of the previous instance, when the container restarted and it is still on disk. */
  previousLogPath?: string;
  /** Why it has not started (`ContainerCreating`, `ImagePullBackOff`), for the logs error. */
  waitingReason?: string;
}

export interface StreamingBackend {
  /** The pods bound to this node, as API objects (the kubelet's `/pods`). */
  listPods(): Promise<unknown[]>;
  getPod(namespace: string, name: string): Promise<PodRef | undefined>;
  /** Undefined when the pod's spec has no such container. */
  getContainer(namespace: string, pod: string, container: string): Promise<ContainerRef | undefined>;
  runtime: Pick<ContainerRuntime, 'exec' | 'attach' | 'portForward' | 'containerStatus'>;
}
