// The StatefulSet controller (upstream pkg/controller/statefulset): pods with stable names,
// hostnames and claims, created in ordinal order (or in parallel), updated by revision in reverse
// ordinal order above the partition, with ControllerRevisions as history and the status `kubectl
// rollout status sts/…` reads. Level-triggered: `sync(key)` reads the caches and converges.
//
// Ordering contracts (as upstream UpdateStatefulSet):
// - the update revision exists BEFORE any pod of it is created;
// - a pod's claims exist BEFORE the pod is created, and a condemned pod's claims get their
//   retention-policy owners BEFORE the pod is deleted;
// - actions run in plan order and stop at the first failure, so OrderedReady never skips an
//   ordinal; status is written after them from what this sync did.
// Pod names are fixed, so no expectations are needed: a create the cache has not shown yet fails
// with AlreadyExists, which counts as done.
import {
  controllerRevisions as revisionsResource, isStatusError, labelSelectorFromObject, matchesLabels, persistentVolumeClaims as pvcResource,
  pods as podsResource, statefulSets as statefulSetsResource,
  type ControllerRevision, type KubeObject, type LabelSelectorObject, type Pod, type StatefulSet,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import { claimObjects } from '../claim.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { ensureUpdateRevision, POD_REVISION_LABEL, revisionsToPrune, templateOfRevision } from '../history/index.js';
import { controllerRefOf } from '../owner-refs.js';
import { isPodReady } from '../pod-util.js';
import { CONTROLLER_UID_INDEX, NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { claimOwnerRefs } from './claim-retention.js';
import { claimsFor, isMemberOf, newStatefulSetPod, ordinalOf } from './identity.js';
import { planStatefulSet, type StatefulSetAction } from './plan.js';

/** Upstream ConcurrentStatefulSetSyncs default. */
export const STATEFULSET_WORKERS = 5;

const API_VERSION = 'apps/v1';
const KIND = 'StatefulSet';

export class StatefulSetController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly setStore: Indexer;
  private readonly podStore: Indexer;
  private readonly revStore: Indexer;
  private readonly pvcStore: Indexer;
  private readonly setClient: ResourceClient;
  private readonly podClient: ResourceClient;
  private readonly revClient: ResourceClient;
  private readonly pvcClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = STATEFULSET_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.setClient = ctx.client.resource(statefulSetsResource);
    this.podClient = ctx.client.resource(podsResource);
    this.revClient = ctx.client.resource(revisionsResource);
    this.pvcClient = ctx.client.resource(pvcResource);
    this.recorder = ctx.recorder('statefulset-controller');
    const setInformer = ctx.informers.informerFor(statefulSetsResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    this.setStore = setInformer.store;
    this.podStore = podInformer.store;
    this.revStore = ctx.informers.informerFor(revisionsResource).store;
    this.pvcStore = ctx.informers.informerFor(pvcResource).store;
    setInformer.addEventHandler({
      onAdd: (s) => this.queue.add(objectKey(s)),
      onUpdate: (_o, s) => this.queue.add(objectKey(s)),
      onDelete: (s) => this.queue.add(objectKey(s)),
    });
    podInformer.addEventHandler({
      onAdd: (p) => this.podChanged(p as Pod),
      onUpdate: (o, p) => {
        if (o.metadata?.resourceVersion === p.metadata?.resourceVersion) return;
        if (controllerRefOf(o)?.uid !== controllerRefOf(p)?.uid) this.podChanged(o as Pod);
        this.podChanged(p as Pod, o as Pod);
      },
      onDelete: (p) => this.podChanged(p as Pod),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** Wakes the pod's StatefulSet, or for an orphan every set selecting it. */
  private podChanged(pod: Pod, old?: Pod): void {
    const ref = controllerRefOf(pod);
    const ns = pod.metadata?.namespace ?? '';
    if (ref) {
      if (ref.kind !== KIND) return;
      const set = this.setStore.getByName(ns, ref.name) as StatefulSet | undefined;
      if (set?.metadata?.uid !== ref.uid) return;
      this.queue.add(objectKey(set));
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && old && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(objectKey(set), minReady * 1000 + 1000);
      return;
    }
    for (const set of this.setStore.byIndex(NAMESPACE_INDEX, ns) as StatefulSet[]) {
      try {
        const sel = labelSelectorFromObject(set.spec?.selector as LabelSelectorObject | undefined);
        if (sel.requirements.length > 0 && matchesLabels(sel, pod.metadata?.labels)) this.queue.add(objectKey(set));
      } catch {
        // An invalid selector selects nothing.
      }
    }
  }

  /** Converges one StatefulSet (upstream syncStatefulSet + UpdateStatefulSet). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const set = this.setStore.get(key) as StatefulSet | undefined;
    if (!set) return;
    const { namespace } = splitKey(key);
    let selector;
    try {
      selector = labelSelectorFromObject(set.spec?.selector as LabelSelectorObject | undefined);
    } catch (e) {
      this.ctx.onError(new Error(`StatefulSet ${key} has an invalid selector: ${(e as Error).message}`));
      return;
    }
    if (selector.requirements.length === 0) return;
    const candidates = (this.podStore.byIndex(NAMESPACE_INDEX, namespace) as Pod[]).filter((p) => isMemberOf(set, p) || controllerRefOf(p)?.uid === set.metadata?.uid);
    const { claimed, error: claimError } = await claimObjects({
      owner: set, ownerApiVersion: API_VERSION, ownerKind: KIND, selector, dependents: this.podClient,
      getOwnerFresh: () => this.setClient.get(namespace, set.metadata?.name ?? ''),
    }, candidates);
    if (claimError) throw claimError;

    const owned = this.revStore.byIndex(CONTROLLER_UID_INDEX, set.metadata?.uid ?? '') as ControllerRevision[];
    const { revision: updateRev, collisionCount } = await ensureUpdateRevision(this.revClient, {
      obj: set, apiVersion: API_VERSION, kind: KIND, template: set.spec?.template, collisionCount: set.status?.collisionCount,
    }, owned);
    const currentRev = owned.find((r) => r.metadata?.name === set.status?.currentRevision) ?? updateRev;
    const now = this.ctx.clock.now();
    const { actions, status } = planStatefulSet({
      set, pods: claimed, currentRevision: currentRev.metadata?.name ?? '', updateRevision: updateRev.metadata?.name ?? '', now,
    });

    let failure: unknown;
    try {
      await this.updateClaimOwners(set, claimed);
      for (const a of actions) await this.act(set, a, currentRev, updateRev);
      await this.truncateHistory(set, owned, claimed, currentRev, updateRev);
    } catch (e) {
      failure = e;
    }
    const prev = set.status ?? { replicas: 0 };
    const next = { ...prev, ...status, ...(collisionCount > 0 || prev.collisionCount !== undefined ? { collisionCount } : {}) };
    if (Object.entries(next).some(([k, v]) => (prev as Record<string, unknown>)[k] !== v)) {
      await this.setClient.updateStatus(namespace, { ...set, apiVersion: API_VERSION, kind: KIND, status: next } as KubeObject);
    }
    if (failure) throw failure;
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas !== status.availableReplicas) return { requeueAfterMs: minReady * 1000 };
  }

  private async act(set: StatefulSet, a: StatefulSetAction, currentRev: ControllerRevision, updateRev: ControllerRevision): Promise<void> {
    const ref = { ...set, apiVersion: API_VERSION, kind: KIND } as KubeObject;
    const setName = set.metadata?.name ?? '';
    const ns = set.metadata?.namespace ?? '';
    if (a.kind === 'create') {
      const rev = a.revision === 'current' ? currentRev : updateRev;
      const template = rev === updateRev ? set.spec?.template : templateOfRevision(rev);
      const pod = newStatefulSetPod(set, template, a.ordinal, rev.metadata?.name ?? '');
      const name = pod.metadata?.name ?? '';
      await this.createClaims(set, a.ordinal, name);
      try {
        await this.podClient.create(ns, pod);
        this.recorder.event(ref, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${setName} successful`);
      } catch (e) {
        if (isStatusError(e, 'AlreadyExists')) return;
        this.recorder.event(ref, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${setName} failed error: ${(e as Error).message ?? String(e)}`);
        throw e;
      }
      return;
    }
    const name = a.pod.metadata?.name ?? '';
    if (a.failed) this.recorder.event(ref, 'Warning', 'RecreatingFailedPod', `StatefulSet ${ns}/${setName} is recreating failed Pod ${name}`);
    try {
      await this.podClient.delete(ns, name, { preconditions: { uid: a.pod.metadata?.uid } });
      this.recorder.event(ref, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${setName} successful`);
    } catch (e) {
      if (isStatusError(e, 'NotFound')) return;
      this.recorder.event(ref, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${setName} failed error: ${(e as Error).message ?? String(e)}`);
      throw e;
    }
  }

  /** Upstream UpdatePodClaimForRetentionPolicy for every live pod: claims' owners follow the retention policy. */
  private async updateClaimOwners(set: StatefulSet, pods: readonly Pod[]): Promise<void> {
    const replicas = set.spec?.replicas ?? 1;
    const start = set.spec?.ordinals?.start ?? 0;
    for (const pod of pods) {
      const ord = ordinalOf(set, pod);
      if (ord < 0 || pod.metadata?.deletionTimestamp) continue;
      const condemned = ord < start || ord >= start + replicas;
      for (const template of claimsFor(set, ord)) {
        const claim = this.pvcStore.getByName(template.metadata?.namespace ?? '', template.metadata?.name ?? '');
        const refs = claim && claimOwnerRefs(set, claim, pod, condemned);
        if (!claim || !refs) continue;
        await this.pvcClient.patch(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '', 'merge', {
          metadata: { uid: claim.metadata?.uid, resourceVersion: claim.metadata?.resourceVersion, ownerReferences: refs.length ? refs : null },
        });
      }
    }
  }

  /** Upstream createPersistentVolumeClaims: each missing claim of the ordinal is created. */
  private async createClaims(set: StatefulSet, ordinal: number, podName: string): Promise<void> {
    const ref = { ...set, apiVersion: API_VERSION, kind: KIND } as KubeObject;
    for (const claim of claimsFor(set, ordinal)) {
      const ns = claim.metadata?.namespace ?? '';
      const name = claim.metadata?.name ?? '';
      if (this.pvcStore.getByName(ns, name)) continue;
      if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
        claim.metadata = { ...claim.metadata, ownerReferences: [{ apiVersion: API_VERSION, kind: KIND, name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '' }] };
      }
      try {
        await this.pvcClient.create(ns, claim as KubeObject);
        this.recorder.event(ref, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata?.name} success`);
      } catch (e) {
        if (isStatusError(e, 'AlreadyExists')) continue;
        this.recorder.event(ref, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${set.metadata?.name} failed error: ${(e as Error).message ?? String(e)}`);
        throw e;
      }
    }
  }

  /** Upstream truncateHistory: keep revisionHistoryLimit revisions besides the live ones. */
  private async truncateHistory(set: StatefulSet, owned: readonly ControllerRevision[], pods: readonly Pod[], currentRev: ControllerRevision, updateRev: ControllerRevision): Promise<void> {
    const live = new Set([currentRev.metadata?.name ?? '', updateRev.metadata?.name ?? '', ...pods.map((p) => p.metadata?.labels?.[POD_REVISION_LABEL] ?? '')]);
    for (const r of revisionsToPrune(owned, live, set.spec?.revisionHistoryLimit ?? 10)) {
      try {
        await this.revClient.delete(r.metadata?.namespace ?? '', r.metadata?.name ?? '', { preconditions: { uid: r.metadata?.uid } });
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
      }
    }
  }
}
