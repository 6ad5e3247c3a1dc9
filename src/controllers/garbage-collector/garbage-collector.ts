// The garbage collector (upstream pkg/controller/garbagecollector): deletes objects whose owners
// are gone and carries out the propagation policies the API server records as finalizers.
//
// - Background: an object every one of whose ownerReferences names a gone owner (deleted, or
//   recreated with another uid) is deleted with propagationPolicy Background; an object that
//   still has a live owner only loses its references to gone owners.
// - Foreground: an owner being deleted with the `foregroundDeletion` finalizer has its dependents
//   deleted (in the foreground themselves when they have dependents); the finalizer goes once no
//   dependent with blockOwnerDeletion remains.
// - Orphan: an owner being deleted with the `orphan` finalizer has the references to it removed
//   from its dependents, then the finalizer removed.
//
// Level-triggered over the shared informers' caches: every object with ownerReferences is looked
// at when first listed (so dependents of owners deleted while no collector ran are collected after
// a restart), again when its references or deletion state change, and whenever one of its owners
// or dependents disappears. An owner missing from the cache is confirmed with the server before
// anything is deleted, and every write is computed from a fresh read of the object it changes.
import {
  isStatusError, RESOURCES,
  controllerRevisions, cronJobs, configMaps, daemonSets, deployments, endpoints, endpointSlices, jobs,
  persistentVolumeClaims, pods, replicaSets, secrets, services, statefulSets,
  type KubeObject, type ResourceType,
} from '../../api/index.js';
import { objectKey, WorkQueue, type Indexer, type ResourceClient } from '../../client/index.js';
import type { Controller, ControllerContext } from '../controller.js';
import { ownerRefsOf, type OwnerRef } from '../owner-refs.js';
import { runWorkers } from '../workers.js';
import { itemKey, OwnershipGraph, splitItemKey } from './graph.js';
import {
  classifyOwners, deletingOwnerAction, dependentAction, ownerStateOf, refTo, removeFinalizerPatch, removeOwnerReferencesPatch,
  FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN, type OwnerState,
} from './plan.js';

/** Upstream ConcurrentGCSyncs default. */
export const GC_WORKERS = 20;

/** The resources whose objects the collector watches as owners and dependents. */
export const GC_RESOURCES: readonly ResourceType[] = [
  pods, replicaSets, deployments, daemonSets, statefulSets, jobs, cronJobs, controllerRevisions,
  services, endpoints, endpointSlices, configMaps, secrets, persistentVolumeClaims,
] as ResourceType[];

/** How many uids of owners known to be gone are remembered (upstream absentOwnerCache). */
const ABSENT_OWNER_CACHE_SIZE = 500;

interface Watched {
  id: string;
  rt: ResourceType;
  store: Indexer;
  client: ResourceClient;
}

const resourceId = (rt: { group: string; plural: string }) => `${rt.group}/${rt.plural}`;
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');
const kindKey = (group: string, kind: string) => `${group}/${kind}`;

function gcRelevantChange(old: KubeObject, cur: KubeObject): boolean {
  const o = old.metadata ?? {};
  const c = cur.metadata ?? {};
  return o.uid !== c.uid || o.deletionTimestamp !== c.deletionTimestamp
    || JSON.stringify(o.ownerReferences ?? []) !== JSON.stringify(c.ownerReferences ?? [])
    || JSON.stringify(o.finalizers ?? []) !== JSON.stringify(c.finalizers ?? []);
}

function hasPropagationFinalizer(obj: KubeObject): boolean {
  const f = obj.metadata?.finalizers ?? [];
  return f.includes(FINALIZER_ORPHAN) || f.includes(FINALIZER_DELETE_DEPENDENTS);
}

export class GarbageCollector implements Controller {
  readonly queue: WorkQueue<string>;
  readonly graph = new OwnershipGraph();
  private readonly watched = new Map<string, Watched>();
  /** Watched resources by `<group>/<Kind>`, to resolve ownerReferences. */
  private readonly byKind = new Map<string, Watched>();
  /** Every served resource type by `<group>/<Kind>`, for owners of kinds not watched. */
  private readonly catalogue = new Map<string, ResourceType>();
  private readonly absentOwners = new Set<string>();

  /**
   * `served`: the resource types the server serves (default: Capstan's catalogue); watched
   * resources missing from it are skipped.
   */
  constructor(private readonly ctx: ControllerContext, private readonly workers = GC_WORKERS, served: readonly ResourceType[] = RESOURCES) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    for (const rt of served) this.catalogue.set(kindKey(rt.group, rt.kind), rt);
    for (const rt of GC_RESOURCES) {
      if (this.catalogue.get(kindKey(rt.group, rt.kind)) === undefined) continue;
      const informer = ctx.informers.informerFor(rt);
      const w: Watched = { id: resourceId(rt), rt, store: informer.store, client: ctx.client.resource(rt) };
      this.watched.set(w.id, w);
      this.byKind.set(kindKey(rt.group, rt.kind), w);
      informer.addEventHandler({
        onAdd: (obj) => this.observe(w, obj),
        onUpdate: (old, cur) => { if (gcRelevantChange(old, cur)) this.observe(w, cur); },
        onDelete: (obj) => this.forget(w, obj),
      });
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.sync(key), signal, (e) => this.ctx.onError(e));
  }

  /** Informer handler: record the object's edges and look at whatever its change may affect. */
  private observe(w: Watched, obj: KubeObject): void {
    const key = itemKey(w.id, objectKey(obj));
    const before = this.graph.ownersOf(key);
    const beforeUID = this.graph.uidOf(key);
    const uid = obj.metadata?.uid ?? '';
    const owners = ownerRefsOf(obj).map((r) => r.uid);
    this.graph.upsert(key, uid, owners);
    // Replaced under the same name while the informer did not see the deletion: the old object's
    // dependents now name a gone owner.
    if (beforeUID !== undefined && beforeUID !== uid) for (const dep of this.graph.dependentsOf(beforeUID)) this.queue.add(dep);
    if (owners.length > 0 || (obj.metadata?.deletionTimestamp && hasPropagationFinalizer(obj))) this.queue.add(key);
    // An owner waiting on this object may be free once its reference is gone.
    for (const o of before) if (!owners.includes(o)) this.enqueueUID(o);
  }

  private forget(w: Watched, obj: KubeObject): void {
    const key = itemKey(w.id, objectKey(obj));
    const uid = obj.metadata?.uid ?? '';
    const owners = this.graph.remove(key);
    // Its dependents may now be dangling; its foreground-deleting owners may now be unblocked.
    for (const dep of this.graph.dependentsOf(uid)) this.queue.add(dep);
    for (const o of owners) this.enqueueUID(o);
  }

  private enqueueUID(uid: string): void {
    const key = this.graph.keyOf(uid);
    if (key) this.queue.add(key);
  }

  private lookup(key: string): { w: Watched; obj: KubeObject } | undefined {
    const { resourceId: id, objectKey: k } = splitItemKey(key);
    const w = this.watched.get(id);
    const obj = w?.store.get(k);
    return w && obj ? { w, obj } : undefined;
  }

  /** Converges one object (upstream attemptToDeleteItem / attemptToOrphan). Idempotent. */
  async sync(key: string): Promise<void> {
    const found = this.lookup(key);
    if (!found) return;
    const { w, obj } = found;
    if (obj.metadata?.deletionTimestamp) {
      if (hasPropagationFinalizer(obj)) await this.processDeletingOwner(w, obj);
      return;
    }
    if (ownerRefsOf(obj).length === 0) return;
    if ((await this.decide(obj)).kind === 'none') return;
    // Act on the object as the server has it now: the cache may lag behind an adoption or release.
    const live = await this.getLive(w, obj);
    if (!live || live.metadata?.deletionTimestamp) return;
    const action = await this.decide(live);
    const ns = live.metadata?.namespace ?? '';
    const name = live.metadata?.name ?? '';
    if (action.kind === 'removeOwnerReferences') {
      await w.client.patch(ns, name, 'merge', removeOwnerReferencesPatch(live, action.uids));
    } else if (action.kind === 'delete') {
      await this.ignoreNotFound(w.client.delete(ns, name, { propagationPolicy: action.policy, preconditions: { uid: live.metadata?.uid } }));
    }
  }

  private async decide(obj: KubeObject) {
    const refs = ownerRefsOf(obj);
    const states = new Map<string, OwnerState>();
    for (const ref of refs) states.set(ref.uid, await this.ownerState(obj, ref));
    return dependentAction(obj, classifyOwners(refs, states), this.graph.hasDependents(obj.metadata?.uid ?? ''));
  }

  /** The state of the owner `ref` names for `dependent`: from the cache, else from the server. */
  private async ownerState(dependent: KubeObject, ref: OwnerRef): Promise<OwnerState> {
    if (this.absentOwners.has(ref.uid)) return 'absent';
    const group = groupOf(ref.apiVersion ?? '');
    const w = this.byKind.get(kindKey(group, ref.kind));
    const ns = dependent.metadata?.namespace ?? '';
    const rt = w?.rt ?? this.catalogue.get(kindKey(group, ref.kind));
    // An owner of a kind the server does not serve cannot be verified: never collect on a guess.
    if (!rt) return 'solid';
    // A namespaced owner can only own objects of its own namespace.
    if (rt.namespaced && !ns) return this.rememberAbsent(ref.uid);
    if (w) {
      const cached = w.store.getByName(rt.namespaced ? ns : '', ref.name);
      if (cached?.metadata?.uid === ref.uid) return ownerStateOf(cached, ref);
    }
    // Not in the cache (or another object under that name): ask the server, the cache may lag.
    let live: KubeObject;
    try {
      live = await (w?.client ?? this.ctx.client.resource(rt)).get(rt.namespaced ? ns : '', ref.name);
    } catch (e) {
      if (isStatusError(e, 'NotFound')) return this.rememberAbsent(ref.uid);
      throw e;
    }
    const state = ownerStateOf(live, ref);
    return state === 'absent' ? this.rememberAbsent(ref.uid) : state;
  }

  private rememberAbsent(uid: string): OwnerState {
    if (this.absentOwners.size >= ABSENT_OWNER_CACHE_SIZE) {
      const oldest = this.absentOwners.values().next().value;
      if (oldest !== undefined) this.absentOwners.delete(oldest);
    }
    this.absentOwners.add(uid);
    return 'absent';
  }

  /** An owner being deleted with `orphan` or `foregroundDeletion`. */
  private async processDeletingOwner(w: Watched, owner: KubeObject): Promise<void> {
    const uid = owner.metadata?.uid ?? '';
    const ns = owner.metadata?.namespace ?? '';
    const dependents: { w: Watched; obj: KubeObject }[] = [];
    for (const key of this.graph.dependentsOf(uid)) {
      const d = this.lookup(key);
      // A namespaced owner's references from other namespaces name some other (absent) object.
      if (d && (!w.rt.namespaced || d.obj.metadata?.namespace === ns)) dependents.push(d);
    }
    const watchedOf = new Map(dependents.map((d) => [d.obj, d.w] as const));
    const action = deletingOwnerAction(owner, dependents.map((d) => d.obj));
    switch (action.kind) {
      case 'none':
        return;
      case 'removeFinalizer': {
        const name = owner.metadata?.name ?? '';
        await this.ignoreNotFound(w.client.patch(ns, name, 'merge', removeFinalizerPatch(owner, action.finalizer)));
        return;
      }
      case 'orphan': {
        for (const dep of action.dependents) {
          const dw = watchedOf.get(dep)!;
          const live = await this.getLive(dw, dep);
          if (!live || !refTo(live, uid)) continue;
          await this.ignoreNotFound(dw.client.patch(live.metadata?.namespace ?? '', live.metadata?.name ?? '', 'merge', removeOwnerReferencesPatch(live, [uid])));
        }
        // Every dependent was released: the owner may go.
        await this.ignoreNotFound(w.client.patch(ns, owner.metadata?.name ?? '', 'merge', removeFinalizerPatch(owner, FINALIZER_ORPHAN)));
        return;
      }
      case 'deleteDependents':
        // Each dependent decides for itself (it sees this owner waiting); this owner is looked at
        // again when the blocking ones are gone.
        for (const dep of action.dependents) if (!dep.metadata?.deletionTimestamp) this.queue.add(itemKey(watchedOf.get(dep)!.id, objectKey(dep)));
        return;
    }
  }

  /** The object as the server has it now, if it is still the same object. */
  private async getLive(w: Watched, obj: KubeObject): Promise<KubeObject | undefined> {
    try {
      const live = await w.client.get(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
      return live.metadata?.uid === obj.metadata?.uid ? live : undefined;
    } catch (e) {
      if (isStatusError(e, 'NotFound')) return undefined;
      throw e;
    }
  }

  private async ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (!isStatusError(e, 'NotFound')) throw e;
    }
  }
}
