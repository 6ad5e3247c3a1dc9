// The DaemonSet controller (upstream pkg/controller/daemon): one pod per eligible node, pinned to
// it by a required `metadata.name` node affinity so the scheduler binds it there; rolling updates
// by revision hash; ControllerRevisions for `kubectl rollout history/undo`; the status counters
// `kubectl rollout status ds/…` reads. Level-triggered: `sync(key)` reads the caches and converges.
//
// Ordering contracts (as upstream syncDaemonSet):
// - the current ControllerRevision exists BEFORE any pod of its hash is created;
// - expectations are raised BEFORE creates/deletes are sent; while writes are unobserved a sync
//   only refreshes status (without raising observedGeneration);
// - the rolling update runs only in a sync whose manage step had nothing to do.
import {
  controllerRevisions as revisionsResource, daemonSets as daemonSetsResource, isStatusError, labelSelectorFromObject, matchesLabels,
  nodes as nodesResource, pods as podsResource,
  type ControllerRevision, type DaemonSet, type KubeObject, type LabelSelectorObject, type Node, type Pod,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import { claimObjects } from '../claim.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { ControllerExpectations } from '../expectations.js';
import { ensureUpdateRevision, POD_REVISION_LABEL, revisionHash, revisionsToPrune } from '../history/index.js';
import { controllerRefOf, newControllerRef } from '../owner-refs.js';
import { isPodReady } from '../pod-util.js';
import { CONTROLLER_UID_INDEX, NAMESPACE_INDEX } from '../shared-informers.js';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../replicaset/slow-start.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { pinToNode, targetNodeName, withDaemonTolerations } from './eligibility.js';
import { FailedPodsBackoff } from './failed-pod-backoff.js';
import { daemonSetCounts, planManage, planRollingUpdate, type SyncPlan } from './plan.js';

/** Upstream ConcurrentDaemonSetSyncs default. */
export const DAEMONSET_WORKERS = 2;
/** Upstream BurstReplicas of the DaemonSet controller. */
export const DAEMONSET_BURST_REPLICAS = 250;
/** Upstream deprecated template-generation annotation and pod label. */
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

const API_VERSION = 'apps/v1';
const KIND = 'DaemonSet';

export class DaemonSetController implements Controller {
  readonly queue: WorkQueue<string>;
  /** Creations and deletions are tracked apart: one sync may issue both. */
  private readonly creations: ControllerExpectations;
  private readonly deletions: ControllerExpectations;
  private readonly dsStore: Indexer;
  private readonly podStore: Indexer;
  private readonly nodeStore: Indexer;
  private readonly revStore: Indexer;
  private readonly dsClient: ResourceClient;
  private readonly podClient: ResourceClient;
  private readonly revClient: ResourceClient;
  private readonly recorder: EventRecorder;
  private readonly failedPodsBackoff: FailedPodsBackoff;

  constructor(private readonly ctx: ControllerContext, private readonly workers = DAEMONSET_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.creations = new ControllerExpectations(ctx.clock);
    this.deletions = new ControllerExpectations(ctx.clock);
    this.dsClient = ctx.client.resource(daemonSetsResource);
    this.podClient = ctx.client.resource(podsResource);
    this.revClient = ctx.client.resource(revisionsResource);
    this.recorder = ctx.recorder('daemonset-controller');
    this.failedPodsBackoff = new FailedPodsBackoff(ctx.clock);
    const dsInformer = ctx.informers.informerFor(daemonSetsResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    const nodeInformer = ctx.informers.informerFor(nodesResource);
    const revInformer = ctx.informers.informerFor(revisionsResource);
    this.dsStore = dsInformer.store;
    this.podStore = podInformer.store;
    this.nodeStore = nodeInformer.store;
    this.revStore = revInformer.store;
    dsInformer.addEventHandler({
      onAdd: (ds) => this.queue.add(objectKey(ds)),
      onUpdate: (_old, ds) => this.queue.add(objectKey(ds)),
      onDelete: (ds) => {
        this.creations.delete(objectKey(ds));
        this.deletions.delete(objectKey(ds));
        this.queue.add(objectKey(ds));
      },
    });
    podInformer.addEventHandler({
      onAdd: (p) => this.podChanged(p as Pod, 'add'),
      onUpdate: (o, p) => {
        if (o.metadata?.resourceVersion === p.metadata?.resourceVersion) return;
        const oldRef = controllerRefOf(o);
        if (oldRef && oldRef.uid !== controllerRefOf(p)?.uid) this.podChanged(o as Pod, 'update');
        this.podChanged(p as Pod, p.metadata?.deletionTimestamp ? 'delete' : 'update');
      },
      onDelete: (p) => this.podChanged(p as Pod, 'delete'),
    });
    nodeInformer.addEventHandler({
      onAdd: () => this.enqueueAll(),
      onUpdate: (o, n) => { if (nodeSchedulingChanged(o as Node, n as Node)) this.enqueueAll(); },
      onDelete: () => this.enqueueAll(),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  private enqueueAll(): void {
    for (const key of this.dsStore.listKeys()) this.queue.add(key);
  }

  private resolveControllerRef(pod: KubeObject): DaemonSet | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== KIND) return undefined;
    const ds = this.dsStore.getByName(pod.metadata?.namespace ?? '', ref.name);
    return ds?.metadata?.uid === ref.uid ? (ds as DaemonSet) : undefined;
  }

  /** Upstream addPod/updatePod/deletePod: observe expectations, wake the owner (or selecting sets for orphans). */
  private podChanged(pod: Pod, how: 'add' | 'update' | 'delete'): void {
    const ds = this.resolveControllerRef(pod);
    if (ds) {
      const key = objectKey(ds);
      if (how === 'add' && !pod.metadata?.deletionTimestamp) this.creations.creationObserved(key);
      if (how === 'delete' || pod.metadata?.deletionTimestamp) this.deletions.deletionObserved(key, objectKey(pod));
      this.queue.add(key);
      const minReady = ds.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && isPodReady(pod)) this.queue.addAfter(key, minReady * 1000 + 1000);
      return;
    }
    if (controllerRefOf(pod) || how === 'delete') return;
    for (const d of this.dsStore.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '') as DaemonSet[]) {
      try {
        const sel = labelSelectorFromObject(d.spec?.selector as LabelSelectorObject | undefined);
        if (sel.requirements.length > 0 && matchesLabels(sel, pod.metadata?.labels)) this.queue.add(objectKey(d));
      } catch {
        // An invalid selector selects nothing.
      }
    }
  }

  /** Converges one DaemonSet (upstream syncDaemonSet). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const ds = this.dsStore.get(key) as DaemonSet | undefined;
    if (!ds) {
      this.creations.delete(key);
      this.deletions.delete(key);
      return;
    }
    if (ds.metadata?.deletionTimestamp) return;
    const { namespace } = splitKey(key);
    const ref = { ...ds, apiVersion: API_VERSION, kind: KIND } as KubeObject;
    let selector;
    try {
      selector = labelSelectorFromObject(ds.spec?.selector as LabelSelectorObject | undefined);
    } catch (e) {
      this.ctx.onError(new Error(`DaemonSet ${key} has an invalid selector: ${(e as Error).message}`));
      return;
    }
    if (selector.requirements.length === 0) {
      this.recorder.event(ref, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    const nodes = this.nodeStore.list() as Node[];
    const owned = this.revStore.byIndex(CONTROLLER_UID_INDEX, ds.metadata?.uid ?? '') as ControllerRevision[];
    const { revision: cur, collisionCount } = await ensureUpdateRevision(this.revClient, {
      obj: ds, apiVersion: API_VERSION, kind: KIND, template: ds.spec?.template, collisionCount: ds.status?.collisionCount,
      extraLabels: (hash) => ({ [POD_REVISION_LABEL]: hash }),
    }, owned);
    const hash = revisionHash(cur);

    const candidates = this.podStore.byIndex(NAMESPACE_INDEX, namespace) as Pod[];
    const { claimed, error: claimError } = await claimObjects({
      owner: ds, ownerApiVersion: API_VERSION, ownerKind: KIND, selector, dependents: this.podClient,
      getOwnerFresh: () => this.dsClient.get(namespace, ds.metadata?.name ?? ''),
    }, candidates);
    if (claimError) throw claimError;
    const nodeToPods = groupByNode(claimed);
    const now = this.ctx.clock.now();

    const satisfied = () => this.creations.satisfied(key) && this.deletions.satisfied(key);
    if (!satisfied()) return this.writeStatus(ds, nodes, nodeToPods, hash, collisionCount, false);

    let failure: unknown;
    let backoffMs: number | undefined;
    try {
      const managed = planManage(ds, nodes, nodeToPods, hash, now);
      // A failed pod is killed at most once per backoff period per node (upstream failedPodsBackoff).
      this.failedPodsBackoff.gc();
      managed.deletePods = managed.deletePods.filter((p) => {
        if (!managed.failedPods.includes(p)) return true;
        const node = targetNodeName(p.spec) ?? '';
        const backoffKey = `${ds.metadata?.uid}/${node}`;
        const left = this.failedPodsBackoff.remainingMs(backoffKey);
        if (left > 0) {
          backoffMs = Math.min(backoffMs ?? left, left);
          return false;
        }
        this.failedPodsBackoff.next(backoffKey);
        this.recorder.event(ref, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata?.namespace}/${p.metadata?.name} on node ${node}, will try to kill it`);
        return true;
      });
      await this.syncNodes(key, ds, managed, hash);
      if (managed.createOn.length === 0 && managed.deletePods.length === 0 && ds.spec?.updateStrategy?.type !== 'OnDelete') {
        await this.syncNodes(key, ds, planRollingUpdate(ds, nodes, nodeToPods, hash, now), hash);
      }
      await this.cleanupHistory(ds, owned, cur, claimed);
    } catch (e) {
      failure = e;
    }
    const res = await this.writeStatus(ds, nodes, nodeToPods, hash, collisionCount, true);
    if (failure) throw failure;
    if (backoffMs !== undefined) return { requeueAfterMs: Math.min(backoffMs, res?.requeueAfterMs ?? backoffMs) };
    return res;
  }

  /** Upstream syncNodes: deletes and creates (slow-start batches), expectations raised first. */
  private async syncNodes(key: string, ds: DaemonSet, plan: SyncPlan, hash: string): Promise<void> {
    const createOn = plan.createOn.slice(0, DAEMONSET_BURST_REPLICAS);
    const victims = plan.deletePods.slice(0, DAEMONSET_BURST_REPLICAS);
    if (createOn.length === 0 && victims.length === 0) return;
    this.creations.expectCreations(key, createOn.length);
    this.deletions.expectDeletions(key, victims.map((p) => objectKey(p)));
    const ref = { ...ds, apiVersion: API_VERSION, kind: KIND } as KubeObject;
    let next = 0;
    const created = slowStartBatch(createOn.length, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      const node = createOn[next++]!;
      try {
        const pod = await this.podClient.create(ds.metadata?.namespace ?? '', daemonPodFor(ds, node, hash));
        this.recorder.event(ref, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
      } catch (e) {
        this.recorder.event(ref, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message ?? String(e)}`);
        throw e;
      }
    });
    const deleted = Promise.allSettled(victims.map(async (p) => {
      try {
        await this.podClient.delete(p.metadata?.namespace ?? '', p.metadata?.name ?? '', { preconditions: { uid: p.metadata?.uid } });
        this.recorder.event(ref, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`);
      } catch (e) {
        this.deletions.deletionObserved(key, objectKey(p));
        if (isStatusError(e, 'NotFound')) return;
        this.recorder.event(ref, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message ?? String(e)}`);
        throw e;
      }
    }));
    const { successes, error } = await created;
    for (let i = successes; i < createOn.length; i++) this.creations.creationObserved(key);
    const failed = (await deleted).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (error) throw error;
    if (failed) throw failed.reason;
  }

  /** Upstream cleanupHistory: keep revisionHistoryLimit old revisions besides the current and those pods run. */
  private async cleanupHistory(ds: DaemonSet, owned: readonly ControllerRevision[], cur: ControllerRevision, pods: readonly Pod[]): Promise<void> {
    const liveHashes = new Set(pods.map((p) => p.metadata?.labels?.[POD_REVISION_LABEL]).filter(Boolean));
    const live = new Set([cur.metadata?.name ?? '', ...owned.filter((r) => liveHashes.has(revisionHash(r))).map((r) => r.metadata?.name ?? '')]);
    for (const r of revisionsToPrune(owned, live, ds.spec?.revisionHistoryLimit ?? 10)) {
      try {
        await this.revClient.delete(r.metadata?.namespace ?? '', r.metadata?.name ?? '', { preconditions: { uid: r.metadata?.uid } });
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
      }
    }
  }

  /** Upstream updateDaemonSetStatus; observedGeneration only when this sync acted on the spec. */
  private async writeStatus(ds: DaemonSet, nodes: readonly Node[], nodeToPods: ReadonlyMap<string, readonly Pod[]>, hash: string, collisionCount: number, observed: boolean): Promise<ReconcileResult | void> {
    const live = new Map([...nodeToPods].map(([n, ps]) => [n, ps.filter((p) => !p.metadata?.deletionTimestamp)] as const));
    const counts = daemonSetCounts(ds, nodes, live, hash, this.ctx.clock.now());
    const prev = ds.status ?? {};
    const status = {
      ...prev, ...counts,
      observedGeneration: observed ? ds.metadata?.generation : prev.observedGeneration,
      ...(collisionCount > 0 || prev.collisionCount !== undefined ? { collisionCount } : {}),
    };
    if (Object.entries(status).some(([k, v]) => (prev as Record<string, unknown>)[k] !== v)) {
      await this.dsClient.updateStatus(ds.metadata?.namespace ?? '', { ...ds, apiVersion: API_VERSION, kind: KIND, status } as KubeObject);
    }
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== counts.numberAvailable) return { requeueAfterMs: minReady * 1000 };
  }
}

/** Daemon pods by the node they target (bound or pinned); pods targeting nothing are left out. */
function groupByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    const node = targetNodeName(p.spec);
    if (!node) continue;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  return out;
}

/** Whether a node change can change where daemon pods belong (labels, taints, unschedulable). */
function nodeSchedulingChanged(a: Node, b: Node): boolean {
  return JSON.stringify(a.metadata?.labels ?? {}) !== JSON.stringify(b.metadata?.labels ?? {})
    || JSON.stringify(a.spec?.taints ?? []) !== JSON.stringify(b.spec?.taints ?? [])
    || (a.spec?.unschedulable ?? false) !== (b.spec?.unschedulable ?? false);
}

/**
 * The pod a DaemonSet creates for `nodeName` (upstream CreatePodTemplate + syncNodes): the
 * template with the revision hash label, the default daemon tolerations and a required node
 * affinity naming the node; `generateName` `<ds-name>-`, controlled by the DaemonSet.
 */
export function daemonPodFor(ds: DaemonSet, nodeName: string, hash: string): KubeObject {
  const tmpl = ds.spec?.template ?? {};
  const meta = tmpl.metadata ?? {};
  const spec = structuredClone(tmpl.spec ?? {});
  spec.tolerations = withDaemonTolerations(spec);
  spec.affinity = pinToNode(spec.affinity, nodeName);
  const generation = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata?.name ?? ''}-`,
      namespace: ds.metadata?.namespace,
      labels: { ...meta.labels, ...(generation ? { [TEMPLATE_GENERATION_LABEL]: generation } : {}), [POD_REVISION_LABEL]: hash },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef(ds, API_VERSION, KIND)],
    },
    spec,
  } as KubeObject;
}
