// The disruption controller (upstream pkg/controller/disruption): keeps every PodDisruptionBudget's
// status — expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed, the DisruptionAllowed
// condition — which the pods/eviction subresource reads and spends.
//
// Contracts:
// - level-triggered: `sync(key)` recomputes the whole status from the informer caches; pod and
//   budget events only say which budgets to look at;
// - status.disruptedPods holds pods the API server evicted but this controller has not yet seen
//   deleted; they do not count as healthy for DELETION_TIMEOUT_MS, and the budget is looked at
//   again when the first of them expires;
// - a sync that cannot compute the status (a selected pod whose controller is unknown) writes the
//   fail-safe status (nothing allowed, condition SyncFailed) and retries.
import {
  deployments as deploymentsResource, jsonEqual, labelSelectorFromObject, matchesLabels, pods as podsResource,
  podDisruptionBudgets as pdbResource, replicaSets as replicaSetsResource, statefulSets as statefulSetsResource,
  type KubeObject, type LabelSelectorObject, type Pod, type PodDisruptionBudget,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { controllerRefOf } from '../owner-refs.js';
import { NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { budgetStatus, buildDisruptedPodMap, countHealthyPods, expectedPodCount, failSafeStatus, type PdbStatus } from './budget.js';

/** Upstream runs the disruption controller with one worker. */
export const DISRUPTION_WORKERS = 1;

const API_VERSION = 'policy/v1';
const KIND = 'PodDisruptionBudget';

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export class DisruptionController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly pdbStore: Indexer;
  private readonly podStore: Indexer;
  private readonly rsStore: Indexer;
  private readonly deploymentStore: Indexer;
  private readonly statefulSetStore: Indexer;
  private readonly pdbClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = DISRUPTION_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.pdbClient = ctx.client.resource(pdbResource);
    this.recorder = ctx.recorder('controllermanager');
    const pdbInformer = ctx.informers.informerFor(pdbResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    this.pdbStore = pdbInformer.store;
    this.podStore = podInformer.store;
    this.rsStore = ctx.informers.informerFor(replicaSetsResource).store;
    this.deploymentStore = ctx.informers.informerFor(deploymentsResource).store;
    this.statefulSetStore = ctx.informers.informerFor(statefulSetsResource).store;
    const enqueue = (pdb: KubeObject) => this.queue.add(objectKey(pdb));
    pdbInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, pdb) => enqueue(pdb), onDelete: enqueue });
    podInformer.addEventHandler({
      onAdd: (p) => this.enqueueBudgetsOf(p as Pod),
      onUpdate: (old, p) => {
        if (old.metadata?.resourceVersion === p.metadata?.resourceVersion) return;
        this.enqueueBudgetsOf(p as Pod);
        if (!jsonEqual(old.metadata?.labels, p.metadata?.labels)) this.enqueueBudgetsOf(old as Pod);
      },
      onDelete: (p) => this.enqueueBudgetsOf(p as Pod),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  private enqueueBudgetsOf(pod: Pod): void {
    for (const pdb of this.pdbStore.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '')) {
      if (selects(pdb as PodDisruptionBudget, pod)) this.queue.add(objectKey(pdb));
    }
  }

  /** Recomputes one budget's status (upstream sync + trySync). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const pdb = this.pdbStore.get(key) as PodDisruptionBudget | undefined;
    if (!pdb || pdb.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const nowIso = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    const ref = { ...pdb, apiVersion: API_VERSION, kind: KIND } as KubeObject;
    const { namespace } = splitKey(key);
    const pods = (this.podStore.byIndex(NAMESPACE_INDEX, namespace) as Pod[]).filter((p) => selects(pdb, p));
    if (pods.length === 0) this.recorder.event(ref, 'Normal', 'NoPods', 'No matching pods found');

    let counts: { expectedCount: number; desiredHealthy: number };
    const unmanaged: string[] = [];
    try {
      counts = expectedPodCount(pdb.spec ?? {}, pods.length, () => this.expectedScale(pods, unmanaged));
    } catch (e) {
      const message = (e as Error).message;
      this.recorder.event(ref, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message}`);
      await this.writeStatus(pdb, failSafeStatus(pdb, message, nowIso));
      throw e;
    }
    if (unmanaged.length) {
      this.recorder.event(ref, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector ?? null)}) were found to be unmanaged. `
        + 'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');
    }
    const { disruptedPods, recheckAt, notDeleted } = buildDisruptedPodMap(pods, pdb.status?.disruptedPods, now);
    for (const name of notDeleted) {
      const pod = pods.find((p) => p.metadata?.name === name);
      if (pod) this.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' } as KubeObject, 'Warning', 'NotDeleted', `Pod was expected by PDB ${namespace}/${pdb.metadata?.name ?? ''} to be deleted but it wasn't`);
    }
    const currentHealthy = countHealthyPods(pods, disruptedPods, now);
    await this.writeStatus(pdb, budgetStatus(pdb, { ...counts, currentHealthy }, disruptedPods, nowIso));
    if (recheckAt !== undefined) return { requeueAfterMs: Math.max(0, recheckAt - now) };
  }

  /** Writes `status` unless it is what the budget already says (no-op writes are skipped). */
  private async writeStatus(pdb: PodDisruptionBudget, status: PdbStatus): Promise<void> {
    if (jsonEqual(normalise(pdb.status), normalise(status))) return;
    await this.pdbClient.updateStatus(pdb.metadata?.namespace ?? '', { ...pdb, apiVersion: API_VERSION, kind: KIND, status } as KubeObject);
  }

  /**
   * The sum of the scale of the selected pods' controllers (upstream getExpectedScale). Pods
   * without a controller are listed in `unmanaged` and not counted; a controller this controller
   * does not know fails the sync.
   */
  private expectedScale(pods: readonly Pod[], unmanaged: string[]): number {
    const scales = new Map<string, number>();
    for (const pod of pods) {
      const ref = controllerRefOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata?.name ?? '');
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const found = this.controllerScale(pod.metadata?.namespace ?? '', ref);
      if (!found) throw new Error(`found no controllers for pod "${pod.metadata?.name ?? ''}"`);
      scales.set(found.uid, found.scale);
    }
    let total = 0;
    for (const s of scales.values()) total += s;
    return total;
  }

  /** The controller named by `ref` and its desired scale (upstream finders: Deployment via its ReplicaSet, ReplicaSet, StatefulSet). */
  private controllerScale(ns: string, ref: { apiVersion: string; kind: string; name: string; uid: string }): { uid: string; scale: number } | undefined {
    if (groupOf(ref.apiVersion) !== 'apps') return undefined;
    if (ref.kind === 'ReplicaSet') {
      const rs = this.rsStore.getByName(ns, ref.name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
      if (!rs || rs.metadata?.uid !== ref.uid) return undefined;
      const owner = controllerRefOf(rs);
      if (owner?.kind === 'Deployment' && groupOf(owner.apiVersion) === 'apps') {
        const d = this.deploymentStore.getByName(ns, owner.name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
        if (!d || d.metadata?.uid !== owner.uid) return undefined;
        return { uid: owner.uid, scale: d.spec?.replicas ?? 1 };
      }
      return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet') {
      const ss = this.statefulSetStore.getByName(ns, ref.name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
      if (!ss || ss.metadata?.uid !== ref.uid) return undefined;
      return { uid: ref.uid, scale: ss.spec?.replicas ?? 1 };
    }
    return undefined;
  }
}

/** Whether the budget's selector selects the pod (null: nothing; empty: every pod, as policy/v1). */
function selects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  try {
    return matchesLabels(labelSelectorFromObject(pdb.spec?.selector as LabelSelectorObject | undefined), pod.metadata?.labels);
  } catch {
    return false;
  }
}

/** A status for comparison: absent optional maps and lists equal empty ones. */
function normalise(s: PdbStatus | undefined): unknown {
  if (!s) return undefined;
  return { ...s, disruptedPods: s.disruptedPods ?? {}, conditions: s.conditions ?? [] };
}
