// The ReplicaSet controller (upstream pkg/controller/replicaset): keeps `spec.replicas` active pods
// for every ReplicaSet, owned through a controller ownerReference, and reports their counts in
// status. Level-triggered: `sync(key)` reads the informer caches and converges, whatever event
// queued the key.
//
// Ordering contracts:
// - expectations are raised BEFORE creates/deletes are sent, and lowered when the informer shows
//   the result (or the write failed), so a sync never counts pods its own writes have not yet
//   made visible;
// - status is written after pods were managed, in the same sync, from the pods that sync saw.
import {
  isStatusError, labelSelectorFromObject, matchesLabels, pods as podsResource, replicaSets as replicaSetsResource,
  type KubeObject, type LabelSelectorObject, type Pod, type ReplicaSet,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import { claimObjects } from '../claim.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { ControllerExpectations } from '../expectations.js';
import { controllerRefOf, newControllerRef } from '../owner-refs.js';
import { isPodActive, isPodReady } from '../pod-util.js';
import { NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { podsToDelete } from './pod-ranking.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './slow-start.js';
import { calculateReplicaSetStatus, replicaSetStatusChanged } from './status.js';

/** Upstream BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;
/** Upstream ConcurrentRSSyncs default. */
export const REPLICASET_WORKERS = 5;

const API_VERSION = 'apps/v1';
const KIND = 'ReplicaSet';

export class ReplicaSetController implements Controller {
  readonly queue: WorkQueue<string>;
  readonly expectations: ControllerExpectations;
  private readonly rsStore: Indexer;
  private readonly podStore: Indexer;
  private readonly rsClient: ResourceClient;
  private readonly podClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = REPLICASET_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.rsClient = ctx.client.resource(replicaSetsResource);
    this.podClient = ctx.client.resource(podsResource);
    this.recorder = ctx.recorder('replicaset-controller');
    const rsInformer = ctx.informers.informerFor(replicaSetsResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    this.rsStore = rsInformer.store;
    this.podStore = podInformer.store;
    rsInformer.addEventHandler({
      onAdd: (rs) => this.queue.add(objectKey(rs)),
      onUpdate: (_old, rs) => this.queue.add(objectKey(rs)),
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        this.queue.add(objectKey(rs));
      },
    });
    podInformer.addEventHandler({
      onAdd: (p) => this.addPod(p as Pod),
      onUpdate: (o, p) => this.updatePod(o as Pod, p as Pod),
      onDelete: (p) => this.deletePod(p as Pod),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** The ReplicaSet `ref` names, if it is in the cache with the same uid. */
  private resolveControllerRef(ns: string, pod: KubeObject): ReplicaSet | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== KIND) return undefined;
    const rs = this.rsStore.getByName(ns, ref.name);
    return rs?.metadata?.uid === ref.uid ? (rs as ReplicaSet) : undefined;
  }

  /** ReplicaSets in the pod's namespace whose selector matches it (candidates to adopt it). */
  private replicaSetsSelecting(pod: Pod): ReplicaSet[] {
    const out: ReplicaSet[] = [];
    for (const rs of this.rsStore.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '') as ReplicaSet[]) {
      try {
        const sel = labelSelectorFromObject(rs.spec?.selector as LabelSelectorObject | undefined);
        if (!sel.matchesNothing && sel.requirements.length > 0 && matchesLabels(sel, pod.metadata?.labels)) out.push(rs);
      } catch {
        // An invalid selector selects nothing.
      }
    }
    return out;
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      // Seen already terminating (e.g. after a relist): a deletion for expectations.
      this.deletePod(pod);
      return;
    }
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
    if (rs) {
      const key = objectKey(rs);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    if (controllerRefOf(pod)) return;
    for (const candidate of this.replicaSetsSelecting(pod)) this.queue.add(objectKey(candidate));
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const ns = cur.metadata?.namespace ?? '';
    if (cur.metadata?.deletionTimestamp) {
      this.deletePod(cur);
      if (JSON.stringify(old.metadata?.labels) !== JSON.stringify(cur.metadata?.labels)) this.deletePod(old);
      return;
    }
    const oldRef = controllerRefOf(old);
    const curRef = controllerRefOf(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) {
      const oldRS = this.resolveControllerRef(ns, old);
      if (oldRS) this.queue.add(objectKey(oldRS));
    }
    const rs = this.resolveControllerRef(ns, cur);
    if (rs) {
      const key = objectKey(rs);
      this.queue.add(key);
      // A pod that just became ready becomes available minReadySeconds later: look again then.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(key, minReady * 1000 + 1000);
      return;
    }
    if (curRef) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels) !== JSON.stringify(cur.metadata?.labels);
    if (labelsChanged || oldRef) for (const candidate of this.replicaSetsSelecting(cur)) this.queue.add(objectKey(candidate));
  }

  private deletePod(pod: Pod): void {
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }

  /** Converges one ReplicaSet (upstream syncReplicaSet). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const rs = this.rsStore.get(key) as ReplicaSet | undefined;
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const { namespace } = splitKey(key);
    const needsSync = this.expectations.satisfied(key);
    let selector;
    try {
      selector = labelSelectorFromObject(rs.spec?.selector as LabelSelectorObject | undefined);
    } catch (e) {
      this.ctx.onError(new Error(`ReplicaSet ${key} has an invalid selector: ${(e as Error).message}`));
      return;
    }
    const active = (this.podStore.byIndex(NAMESPACE_INDEX, namespace) as Pod[]).filter(isPodActive);
    const { claimed, error: claimError } = await claimObjects({
      owner: rs, ownerApiVersion: API_VERSION, ownerKind: KIND, selector, dependents: this.podClient,
      getOwnerFresh: () => this.rsClient.get(namespace, rs.metadata?.name ?? ''),
    }, active);
    if (claimError) throw claimError;

    let manageError: { diff: number; message: string; cause: unknown } | undefined;
    if (needsSync && !rs.metadata?.deletionTimestamp) manageError = await this.manageReplicas(key, claimed, rs);

    const now = this.ctx.clock.now();
    const status = calculateReplicaSetStatus(rs, claimed, now, manageError);
    if (replicaSetStatusChanged(rs, status)) {
      await this.rsClient.updateStatus(namespace, { ...rs, apiVersion: API_VERSION, kind: KIND, status } as KubeObject);
    }
    if (manageError) throw manageError.cause;
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const replicas = rs.spec?.replicas ?? 1;
    if (minReady > 0 && status.readyReplicas === replicas && status.availableReplicas !== replicas) return { requeueAfterMs: minReady * 1000 };
  }

  /** Creates or deletes pods toward spec.replicas (upstream manageReplicas). */
  private async manageReplicas(key: string, pods: Pod[], rs: ReplicaSet): Promise<{ diff: number; message: string; cause: unknown } | undefined> {
    const want = rs.spec?.replicas ?? 1;
    let diff = pods.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      // Raise expectations before any create: the informer may deliver the pods before the calls return.
      this.expectations.expectCreations(key, count);
      const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, () => this.createPod(rs));
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      return error ? { diff: -count, message: (error as Error).message ?? String(error), cause: error } : undefined;
    }
    if (diff > 0) {
      diff = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, diff, this.ctx.clock.now());
      this.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
      const results = await Promise.allSettled(victims.map((p) => this.deletePodOf(rs, p)));
      let firstError: unknown;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        this.expectations.deletionObserved(key, objectKey(victims[i]!));
        if (!isStatusError(r.reason, 'NotFound')) firstError ??= r.reason;
      });
      return firstError ? { diff, message: (firstError as Error).message ?? String(firstError), cause: firstError } : undefined;
    }
    return undefined;
  }

  private async createPod(rs: ReplicaSet): Promise<void> {
    const ref = { ...rs, apiVersion: API_VERSION, kind: KIND } as KubeObject;
    try {
      const pod = await this.podClient.create(rs.metadata?.namespace ?? '', podFromTemplate(rs));
      this.recorder.event(ref, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
    } catch (e) {
      this.recorder.event(ref, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message ?? String(e)}`);
      throw e;
    }
  }

  private async deletePodOf(rs: ReplicaSet, pod: Pod): Promise<void> {
    const ref = { ...rs, apiVersion: API_VERSION, kind: KIND } as KubeObject;
    try {
      await this.podClient.delete(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', { preconditions: { uid: pod.metadata?.uid } });
      this.recorder.event(ref, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name}`);
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) this.recorder.event(ref, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message ?? String(e)}`);
      throw e;
    }
  }
}

/**
 * The pod a ReplicaSet creates (upstream GetPodFromTemplate): the template's labels, annotations,
 * finalizers and spec, `generateName` `<rs-name>-`, and a controller reference to the ReplicaSet.
 */
export function podFromTemplate(rs: ReplicaSet): KubeObject {
  const tmpl = rs.spec?.template ?? {};
  const meta = tmpl.metadata ?? {};
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata?.name ?? ''}-`,
      namespace: rs.metadata?.namespace,
      labels: { ...meta.labels },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef(rs, API_VERSION, KIND)],
    },
    spec: structuredClone(tmpl.spec ?? {}),
  } as KubeObject;
}
