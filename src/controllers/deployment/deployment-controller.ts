// The Deployment controller (upstream pkg/controller/deployment): owns ReplicaSets, one per pod
// template, and moves pods from the old ones to the new one by scaling them (RollingUpdate within
// maxSurge / maxUnavailable, or Recreate). It never touches pods; the ReplicaSet controller does.
//
// Each sync reads the caches, performs at most one step of the rollout (scale up the new
// ReplicaSet, or scale down old ones), then writes status; the ReplicaSets' status changes that
// follow queue the Deployment again (level-triggered). Writes carry resourceVersions, so a sync
// working from a stale cache fails with Conflict and is retried.
//
// Rollback needs nothing here: apps/v1 has no spec.rollbackTo, and `kubectl rollout undo` copies an
// old ReplicaSet's template into the Deployment, which then rolls out like any update (that
// ReplicaSet becomes the new one and takes the next revision). A paused Deployment is only scaled.
// Not yet: the revision-history annotation, the ReplicaFailure condition copied from ReplicaSets.
import {
  deployments as deploymentsResource, isStatusError, labelSelectorFromObject, matchesLabels, pods as podsResource,
  replicaSets as replicaSetsResource,
  type Deployment, type KubeObject, type LabelSelectorObject, type Pod, type ReplicaSet,
} from '../../api/index.js';
import { objectKey, splitKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import { claimObjects } from '../claim.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { EventRecorder } from '../../client/index.js';
import { controllerRefOf, newControllerRef } from '../owner-refs.js';
import { CONTROLLER_UID_INDEX, NAMESPACE_INDEX } from '../shared-informers.js';
import { runWorkers, type ReconcileResult } from '../workers.js';
import { computeHash, POD_TEMPLATE_HASH_LABEL } from './hash.js';
import { newRSNewReplicas, planOldScaleDown, proportionalSizes, type RSCounts } from './rolling.js';
import { getCondition, newCondition, REASONS, rolloutStatus, calculateStatus, deploymentComplete, setCondition, statusChanged, type DeploymentStatus } from './status.js';
import {
  byCreation, creationMs, desiredReplicasDiffer, equalIgnoreHash, findNewReplicaSet, maxReplicasAnnotation, replicasOf,
  REVISION_ANNOTATION, revisionOf, rollingParams, setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './util.js';

/** Upstream ConcurrentDeploymentSyncs default. */
export const DEPLOYMENT_WORKERS = 5;

const RS_API = 'apps/v1';

/** The ReplicaSet as this sync last wrote it, or as cached. */
function latest(st: SyncState, rs: ReplicaSet): ReplicaSet {
  return st.written.get(rs.metadata?.uid ?? '') ?? rs;
}

function counts(rs: ReplicaSet): RSCounts {
  return { name: rs.metadata?.name ?? '', replicas: rs.spec?.replicas ?? 0, available: rs.status?.availableReplicas ?? 0, created: creationMs(rs) };
}

/** The Deployment as this sync sees it: writes replace it with what the server returned. */
interface SyncState {
  d: Deployment;
  /** ReplicaSets this sync wrote, by uid, as the server returned them. */
  written: Map<string, ReplicaSet>;
}

export class DeploymentController implements Controller {
  readonly queue: WorkQueue<string>;
  private readonly dStore: Indexer;
  private readonly rsStore: Indexer;
  private readonly podStore: Indexer;
  private readonly dClient: ResourceClient;
  private readonly rsClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext, private readonly workers = DEPLOYMENT_WORKERS) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.dClient = ctx.client.resource(deploymentsResource);
    this.rsClient = ctx.client.resource(replicaSetsResource);
    this.recorder = ctx.recorder('deployment-controller');
    const dInformer = ctx.informers.informerFor(deploymentsResource);
    const rsInformer = ctx.informers.informerFor(replicaSetsResource);
    const podInformer = ctx.informers.informerFor(podsResource);
    this.dStore = dInformer.store;
    this.rsStore = rsInformer.store;
    this.podStore = podInformer.store;
    dInformer.addEventHandler({
      onAdd: (d) => this.queue.add(objectKey(d)),
      onUpdate: (_o, d) => this.queue.add(objectKey(d)),
      onDelete: (d) => this.queue.add(objectKey(d)),
    });
    rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueueOwnerOrCandidates(rs),
      onUpdate: (old, rs) => {
        if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
        if (controllerRefOf(old)?.uid !== controllerRefOf(rs)?.uid) this.enqueueOwner(old);
        this.enqueueOwnerOrCandidates(rs);
      },
      onDelete: (rs) => this.enqueueOwner(rs),
    });
    // Recreate waits for old pods to be gone: their deletion may be what it waits for.
    podInformer.addEventHandler({
      onDelete: (p) => {
        const d = this.ownerOfPod(p as Pod);
        if (d?.spec?.strategy?.type === 'Recreate') this.queue.add(objectKey(d));
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  private resolveOwner(obj: KubeObject): Deployment | undefined {
    const ref = controllerRefOf(obj);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.dStore.getByName(obj.metadata?.namespace ?? '', ref.name);
    return d?.metadata?.uid === ref.uid ? (d as Deployment) : undefined;
  }

  private ownerOfPod(p: Pod): Deployment | undefined {
    const ref = controllerRefOf(p);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.rsStore.getByName(p.metadata?.namespace ?? '', ref.name);
    return rs && rs.metadata?.uid === ref.uid ? this.resolveOwner(rs) : undefined;
  }

  private enqueueOwner(rs: KubeObject): void {
    const d = this.resolveOwner(rs);
    if (d) this.queue.add(objectKey(d));
  }

  private enqueueOwnerOrCandidates(rs: KubeObject): void {
    if (controllerRefOf(rs)) return this.enqueueOwner(rs);
    for (const d of this.dStore.byIndex(NAMESPACE_INDEX, rs.metadata?.namespace ?? '') as Deployment[]) {
      try {
        const sel = labelSelectorFromObject(d.spec?.selector as LabelSelectorObject | undefined);
        if (sel.requirements.length > 0 && matchesLabels(sel, rs.metadata?.labels)) this.queue.add(objectKey(d));
      } catch {
        // An invalid selector selects nothing.
      }
    }
  }

  /** Converges one Deployment (upstream syncDeployment). Idempotent. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.dStore.get(key) as Deployment | undefined;
    if (!cached) return;
    const st: SyncState = { d: { ...structuredClone(cached), apiVersion: RS_API, kind: 'Deployment' }, written: new Map() };
    const d = st.d;
    const { namespace } = splitKey(key);
    const selector = labelSelectorFromObject(d.spec?.selector as LabelSelectorObject | undefined);
    if (selector.requirements.length === 0) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await this.writeStatus(st, { ...d.status, observedGeneration: d.metadata?.generation });
      }
      return;
    }
    const { claimed: rsList, error } = await claimObjects({
      owner: d, ownerApiVersion: RS_API, ownerKind: 'Deployment', selector, dependents: this.rsClient,
      getOwnerFresh: () => this.dClient.get(namespace, d.metadata?.name ?? ''),
    }, this.rsStore.byIndex(NAMESPACE_INDEX, namespace) as ReplicaSet[]);
    if (error) throw error;

    if (d.metadata?.deletionTimestamp) return this.syncStatusOnly(st, rsList);
    await this.checkPausedConditions(st);
    if (d.spec?.paused || this.isScalingEvent(st, rsList)) return this.scaleOnly(st, rsList);
    if (d.spec?.strategy?.type === 'Recreate') return this.rolloutRecreate(st, rsList);
    return this.rolloutRolling(st, rsList);
  }

  /**
   * Upstream checkPausedConditions: Progressing becomes Unknown/DeploymentPaused while paused and
   * Unknown/DeploymentResumed when resumed (not over a timed-out rollout).
   */
  private async checkPausedConditions(st: SyncState): Promise<void> {
    const d = st.d;
    if (d.spec?.progressDeadlineSeconds === undefined) return;
    const cur = getCondition(d.status, 'Progressing');
    if (cur?.reason === REASONS.timedOut) return;
    const pausedCond = cur?.reason === REASONS.paused;
    let cond;
    if (d.spec?.paused && !pausedCond) cond = newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', this.ctx.clock.now());
    else if (!d.spec?.paused && pausedCond) cond = newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', this.ctx.clock.now());
    if (!cond) return;
    const status = structuredClone(d.status ?? {}) as DeploymentStatus;
    setCondition(status, cond);
    await this.writeStatus(st, status);
  }

  private isScalingEvent(st: SyncState, rsList: ReplicaSet[]): boolean {
    const newRS = findNewReplicaSet(st.d, rsList);
    const olds = rsList.filter((rs) => rs !== newRS);
    return [newRS, ...olds].some((rs) => rs && (rs.spec?.replicas ?? 0) > 0 && desiredReplicasDiffer(rs, st.d));
  }

  private async syncStatusOnly(st: SyncState, rsList: ReplicaSet[]): Promise<void> {
    const newRS = findNewReplicaSet(st.d, rsList);
    const status = calculateStatus(st.d, rsList, newRS, this.ctx.clock.now());
    if (statusChanged(st.d, status)) await this.writeStatus(st, status);
  }

  /** Upstream `sync`: a resize (or a paused Deployment) scales without rolling out. */
  private async scaleOnly(st: SyncState, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(st, rsList, false);
    await this.scale(st, newRS, oldRSs);
    const all = [...oldRSs, ...(newRS ? [newRS] : [])].map((rs) => latest(st, rs));
    const status = calculateStatus(st.d, all, newRS && latest(st, newRS), this.ctx.clock.now());
    if (statusChanged(st.d, status)) await this.writeStatus(st, status);
  }


  /** Upstream DeploymentController.scale. */
  private async scale(st: SyncState, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const d = st.d;
    const replicas = replicasOf(d);
    const active = [...(newRS ? [newRS] : []), ...oldRSs].filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    let activeOrLatest: ReplicaSet | undefined;
    if (active.length === 1) activeOrLatest = active[0];
    else if (active.length === 0) activeOrLatest = newRS ?? [...oldRSs].sort(byCreation).at(-1);
    if (activeOrLatest) {
      await this.scaleReplicaSet(st, activeOrLatest, replicas);
      return;
    }
    // Saturated: the new ReplicaSet has all replicas available, old ones go to zero.
    if (newRS && (newRS.spec?.replicas ?? 0) === replicas && (newRS.status?.availableReplicas ?? 0) === replicas) {
      for (const rs of oldRSs) if ((rs.spec?.replicas ?? 0) > 0) await this.scaleReplicaSet(st, rs, 0);
      return;
    }
    const params = rollingParams(d);
    if (!params) return;
    const sizes = proportionalSizes(params, replicas, active.map((rs) => ({ ...counts(rs), annotatedMax: maxReplicasAnnotation(rs) })), d.status?.replicas ?? 0);
    for (const rs of active) await this.scaleReplicaSet(st, rs, sizes.get(rs.metadata?.name ?? '') ?? rs.spec?.replicas ?? 0);
  }

  /** Upstream rolloutRolling: one step, then status. */
  private async rolloutRolling(st: SyncState, rsList: ReplicaSet[]): Promise<ReconcileResult | void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(st, rsList, true);
    const d = st.d;
    const replicas = replicasOf(d);
    const params = rollingParams(d)!;
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    let stepped = false;
    if (newRS) {
      const cur = newRS.spec?.replicas ?? 0;
      if (cur > replicas) stepped = await this.scaleReplicaSet(st, newRS, replicas);
      else if (cur < replicas) stepped = await this.scaleReplicaSet(st, newRS, newRSNewReplicas(params, replicas, all.map(counts), counts(newRS)));
    }
    if (!stepped && newRS) {
      const plan = planOldScaleDown(params, replicas, oldRSs.filter((rs) => (rs.spec?.replicas ?? 0) > 0).map(counts), counts(newRS));
      for (const rs of oldRSs) {
        const size = plan.get(rs.metadata?.name ?? '');
        if (size !== undefined && (await this.scaleReplicaSet(st, rs, size))) stepped = true;
      }
    }
    return this.syncRolloutStatus(st, oldRSs, newRS, !stepped);
  }

  /** Upstream rolloutRecreate: all old pods gone before the new ReplicaSet scales up. */
  private async rolloutRecreate(st: SyncState, rsList: ReplicaSet[]): Promise<ReconcileResult | void> {
    let { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(st, rsList, false);
    let scaledDown = false;
    for (const rs of oldRSs) if ((rs.spec?.replicas ?? 0) > 0 && (await this.scaleReplicaSet(st, rs, 0))) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(st, oldRSs, newRS, false);
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(st, oldRSs, newRS, false);
    if (!newRS) ({ newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(st, rsList, true));
    if (newRS) await this.scaleReplicaSet(st, newRS, replicasOf(st.d));
    return this.syncRolloutStatus(st, oldRSs, newRS, true);
  }

  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    for (const rs of oldRSs) {
      if (rs === newRS) continue;
      for (const p of this.podStore.byIndex(CONTROLLER_UID_INDEX, rs.metadata?.uid ?? '') as Pod[]) {
        if (p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded') return true;
      }
    }
    return false;
  }

  /**
   * Upstream syncRolloutStatus, plus cleanupDeployment once the rollout is complete and
   * `mayCleanUp` (nothing was scaled in this sync).
   */
  private async syncRolloutStatus(st: SyncState, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined, mayCleanUp: boolean): Promise<ReconcileResult | void> {
    const now = this.ctx.clock.now();
    const all = [...oldRSs, ...(newRS ? [newRS] : [])].map((rs) => latest(st, rs));
    const status = rolloutStatus(st.d, all, newRS && latest(st, newRS), now);
    if (mayCleanUp && deploymentComplete(st.d, status)) await this.cleanupOldReplicaSets(st.d, oldRSs.map((rs) => latest(st, rs)));
    if (statusChanged(st.d, status)) await this.writeStatus(st, status);
    // Look again when the progress deadline would pass (upstream requeueStuckDeployment).
    const c = getCondition(status, 'Progressing');
    const deadline = st.d.spec?.progressDeadlineSeconds;
    if (deadline !== undefined && c?.status === 'True' && c.reason !== REASONS.newRSAvailable && !deploymentComplete(st.d, status)) {
      const due = (Date.parse(String(c.lastUpdateTime ?? '')) || now) + deadline * 1000 - now;
      return { requeueAfterMs: Math.max(1000, due + 1000) };
    }
  }

  /** Upstream cleanupDeployment: old, empty ReplicaSets beyond revisionHistoryLimit are deleted. */
  private async cleanupOldReplicaSets(d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const alive = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    alive.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of alive.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.rsClient.delete(rs.metadata?.namespace ?? '', rs.metadata?.name ?? '', { preconditions: { uid: rs.metadata?.uid } });
      } catch (e) {
        if (!isStatusError(e, 'NotFound')) throw e;
      }
    }
  }

  /**
   * Upstream getAllReplicaSetsAndSyncRevision + getNewReplicaSet: finds (or creates, when
   * `create`) the ReplicaSet of the current template, keeps its revision the highest, and
   * mirrors that revision on the Deployment.
   */
  private async getAllReplicaSetsAndSyncRevision(st: SyncState, rsList: ReplicaSet[], create: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const d = st.d;
    const existing = findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
    const now = this.ctx.clock.now();
    if (existing) {
      let rs = existing;
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadyChanged = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsChanged || minReadyChanged) {
        (copy.spec ??= {}).minReadySeconds = d.spec?.minReadySeconds;
        rs = await this.rsClient.update(copy.metadata?.namespace ?? '', { ...copy, apiVersion: RS_API, kind: 'ReplicaSet' } as KubeObject) as ReplicaSet;
        st.written.set(rs.metadata?.uid ?? '', rs);
      }
      await this.setDeploymentRevision(st, rs.metadata?.annotations?.[REVISION_ANNOTATION]);
      if (d.spec?.progressDeadlineSeconds !== undefined && !getCondition(st.d.status, 'Progressing')) {
        const status = structuredClone(st.d.status ?? {}) as DeploymentStatus;
        setCondition(status, newCondition('Progressing', 'True', REASONS.foundNewRS, `Found new replica set "${rs.metadata?.name}"`, now));
        await this.writeStatus(st, status);
      }
      return { newRS: rs, oldRSs };
    }
    if (!create) return { oldRSs };

    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    const tmplMeta = (template.metadata ??= {});
    tmplMeta.labels = { ...tmplMeta.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const name = `${d.metadata?.name}-${hash}`;
    const rs: ReplicaSet = {
      apiVersion: RS_API, kind: 'ReplicaSet',
      metadata: { name, namespace: d.metadata?.namespace, labels: { ...tmplMeta.labels }, ownerReferences: [newControllerRef(d, RS_API, 'Deployment')] },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    } as ReplicaSet;
    const replicas = newRSNewReplicas(rollingParams(d), replicasOf(d), [...oldRSs, rs].map(counts), counts(rs));
    rs.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await this.rsClient.create(d.metadata?.namespace ?? '', rs as KubeObject) as ReplicaSet;
    } catch (e) {
      if (!isStatusError(e, 'AlreadyExists')) throw e;
      const found = await this.rsClient.get(d.metadata?.namespace ?? '', name) as ReplicaSet;
      if (controllerRefOf(found)?.uid === d.metadata?.uid && equalIgnoreHash(found.spec?.template, d.spec?.template)) {
        // Ours, not yet in the cache.
        created = found;
        alreadyExisted = true;
      } else {
        // A hash collision: a different template under this name. Bump collisionCount and retry.
        await this.writeStatus(st, { ...structuredClone(st.d.status ?? {}), collisionCount: (st.d.status?.collisionCount ?? 0) + 1 });
        throw new Error(`hash collision for ReplicaSet ${d.metadata?.namespace}/${name}: collisionCount raised`);
      }
    }
    if (!alreadyExisted && replicas > 0) {
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} to ${replicas}`);
    }
    await this.setDeploymentRevision(st, String(newRevision));
    if (!alreadyExisted && d.spec?.progressDeadlineSeconds !== undefined) {
      const status = structuredClone(st.d.status ?? {}) as DeploymentStatus;
      setCondition(status, newCondition('Progressing', 'True', REASONS.newRSCreated, `Created new replica set "${created.metadata?.name}"`, now));
      await this.writeStatus(st, status);
    }
    st.written.set(created.metadata?.uid ?? '', created);
    return { newRS: created, oldRSs };
  }

  /** Upstream SetDeploymentRevision, written through the main resource (an annotation). */
  private async setDeploymentRevision(st: SyncState, revision: string | undefined): Promise<void> {
    if (!revision || st.d.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return;
    const next = structuredClone(st.d);
    (next.metadata!.annotations ??= {})[REVISION_ANNOTATION] = revision;
    st.d = { ...(await this.dClient.update(next.metadata?.namespace ?? '', next as KubeObject) as Deployment), apiVersion: RS_API, kind: 'Deployment' };
  }

  private async writeStatus(st: SyncState, status: DeploymentStatus): Promise<void> {
    const next = { ...st.d, status };
    st.d = { ...(await this.dClient.updateStatus(next.metadata?.namespace ?? '', next as KubeObject) as Deployment), apiVersion: RS_API, kind: 'Deployment' };
  }

  /**
   * Upstream scaleReplicaSetAndRecordEvent / scaleReplicaSet: sets spec.replicas and the
   * desired/max-replicas annotations; records ScalingReplicaSet when the size changed. Returns
   * whether the size changed.
   */
  private async scaleReplicaSet(st: SyncState, rs0: ReplicaSet, size: number): Promise<boolean> {
    const rs = latest(st, rs0);
    const d = st.d;
    const old = rs.spec?.replicas ?? 0;
    const copy = structuredClone(rs);
    const annotationsChanged = setReplicasAnnotations(copy, d);
    if (old === size && !annotationsChanged) return false;
    (copy.spec ??= {}).replicas = size;
    const updated = await this.rsClient.update(copy.metadata?.namespace ?? '', { ...copy, apiVersion: RS_API, kind: 'ReplicaSet' } as KubeObject) as ReplicaSet;
    st.written.set(updated.metadata?.uid ?? '', updated);
    if (old !== size) {
      const op = size > old ? 'up' : 'down';
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata?.name} to ${size} from ${old}`);
    }
    return old !== size;
  }
}

