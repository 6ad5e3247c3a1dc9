// What every registry operation gets: its dependencies and the request's coordinates.
import type { KubeObject, ResourceType } from '../../api/index.js';
import type { Store } from '../../store/index.js';
import type { UserInfo } from '../http/types.js';
import type { WatchCache } from '../watchcache/watch-cache.js';
import type { AdmissionChain } from '../admission/chain.js';
import type { Catalogue, ServedResource } from './catalogue.js';
import type { KubeletClientConfig } from '../streaming/kubelet-proxy.js';

/** Per-resource behaviour beyond the generic REST semantics (upstream's strategy/registry hooks). */
export interface ResourceHooks {
  /** Before a new object is stored (after validation and admission); may allocate (cluster IPs). */
  beforeCreate?(obj: KubeObject, ctx: OpContext): void | Promise<void>;
  /**
   * Copies server-assigned values a client may omit on update (a Service's cluster IPs and node
   * ports) from the stored object; runs before defaulting and validation.
   */
  carryOver?(obj: KubeObject, old: KubeObject): void;
  /** Before an update is stored. */
  beforeUpdate?(obj: KubeObject, old: KubeObject, ctx: OpContext): void | Promise<void>;
  /** A create or update failed after beforeCreate/beforeUpdate ran: undo allocations. */
  rollback?(obj: KubeObject, old: KubeObject | undefined): void;
  /** The object is gone from the store (release allocations). */
  afterDelete?(obj: KubeObject): void;
  /** Deletion began (deletionTimestamp set): e.g. namespace phase Terminating. Mutates. */
  onDeletionStarted?(obj: KubeObject): void;
  /** Grace period for a delete request; undefined means "delete at once" (only pods are graceful). */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number;
  /** Whether an object being deleted may go now (default: no metadata.finalizers left). */
  readyToDelete?(obj: KubeObject): boolean;
  /** Objects expire this long after creation (events: upstream's --event-ttl, 1 h). */
  ttlSeconds?: number;
}

/** Hands out store leases for expiring objects, sharing one lease per minute as upstream does. */
export interface LeaseManager {
  leaseFor(ttlSeconds: number): Promise<number>;
}

export interface RegistryDeps {
  store: Store;
  cache: WatchCache;
  catalogue: Catalogue;
  admission: AdmissionChain;
  hooks: Map<ResourceType, ResourceHooks>;
  leases: LeaseManager;
  now: () => Date;
  /** How the server reaches kubelets for pods/log, exec, attach, portforward; absent: 503. */
  kubeletClient?: KubeletClientConfig;
}

export interface OpContext {
  served: ServedResource;
  namespace: string;
  name: string;
  subresource: string;
  query: URLSearchParams;
  user: UserInfo;
  /** Warnings for the `Warning` response header. */
  warnings: string[];
  dryRun: boolean;
}
