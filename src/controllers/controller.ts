// The contract between the controller manager and each controller (upstream
// kube-controller-manager's ControllerDescriptor + ControllerContext).
//
// Lifecycle: the manager calls `create` for every enabled controller BEFORE starting the shared
// informers, so each controller registers its event handlers on informers that have not listed
// yet; then it starts the informers, waits for them to sync, and calls `run` on every controller.
// `run` resolves after the controller's workers stopped (signal aborted).
import type { Client, Clock, EventRecorder } from '../client/index.js';
import type { SharedInformers } from './shared-informers.js';

/**
 * Settings from kube-controller-manager's flags that controllers read (upstream
 * KubeControllerManagerConfiguration); every field is optional and defaults as upstream.
 */
export interface ControllerConfig {
  /** `--node-monitor-period` in ms (default 5 s). */
  nodeMonitorPeriodMs?: number;
  /** `--node-monitor-grace-period` in ms (default 50 s). */
  nodeMonitorGracePeriodMs?: number;
  /** `--cluster-cidr` (default 10.42.0.0/16). */
  clusterCIDR?: string;
  /** `--terminated-pod-gc-threshold` (default 12500; 0 or less disables). */
  terminatedPodGCThreshold?: number;
  /** `--max-endpoints-per-slice` (default 100, upstream's range 1–1000). */
  maxEndpointsPerSlice?: number;
  /** `--cluster-dns`: the kube-dns Service's clusterIP (default 10.43.0.10). */
  clusterDNS?: string;
}

export interface ControllerContext {
  client: Client;
  /** Flag-derived settings (absent fields take upstream's defaults). */
  config?: ControllerConfig;
  /** One informer per resource, shared by every controller of this term. */
  informers: SharedInformers;
  clock: Clock;
  /** An event recorder writing as `component` (e.g. `replicaset-controller`). */
  recorder(component: string): EventRecorder;
  /** Failures the controllers recover from (API errors, retries). */
  onError(err: unknown): void;
}

export interface Controller {
  /** Runs `workers` reconcile loops until `signal` aborts; resolves once they stopped. */
  run(signal: AbortSignal): Promise<void>;
}

export interface ControllerDescriptor {
  /** Upstream name used by `--controllers` (`replicaset`, `deployment`, …). */
  name: string;
  /** Part of `*` (upstream: every controller except a few opt-in ones). */
  enabledByDefault: boolean;
  create(ctx: ControllerContext): Controller;
}
