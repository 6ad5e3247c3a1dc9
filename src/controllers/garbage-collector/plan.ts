// The garbage collector's decisions as pure functions of an object and what is known of its
// owners and dependents (upstream attemptToDeleteItem, classifyReferences,
// processDeletingDependentsItem and orphanDependents). The controller gathers the inputs from
// its caches (or the server) and performs the action; nothing here does I/O.
import type { KubeObject } from '../../api/index.js';
import { ownerRefsOf, type OwnerRef } from '../owner-refs.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/**
 * What an ownerReference points at:
 * - `absent`: no object with that name and uid exists (deleted, or recreated with another uid);
 * - `waitingForDependentsDeletion`: the owner is being deleted in the foreground;
 * - `solid`: any other existing owner (including one being deleted in the background).
 */
export type OwnerState = 'absent' | 'solid' | 'waitingForDependentsDeletion';

export interface ClassifiedOwners {
  solid: OwnerRef[];
  dangling: OwnerRef[];
  waitingForDependentsDeletion: OwnerRef[];
}

function hasFinalizer(obj: KubeObject, f: string): boolean {
  return obj.metadata?.finalizers?.includes(f) ?? false;
}

/** The state of the owner `ref` names, given the object found under its name (if any). */
export function ownerStateOf(owner: KubeObject | undefined, ref: OwnerRef): OwnerState {
  if (!owner || owner.metadata?.uid !== ref.uid) return 'absent';
  if (owner.metadata?.deletionTimestamp && hasFinalizer(owner, FINALIZER_DELETE_DEPENDENTS)) return 'waitingForDependentsDeletion';
  return 'solid';
}

export function classifyOwners(refs: readonly OwnerRef[], states: ReadonlyMap<string, OwnerState>): ClassifiedOwners {
  const out: ClassifiedOwners = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
  for (const ref of refs) {
    const s = states.get(ref.uid) ?? 'solid';
    if (s === 'absent') out.dangling.push(ref);
    else if (s === 'waitingForDependentsDeletion') out.waitingForDependentsDeletion.push(ref);
    else out.solid.push(ref);
  }
  return out;
}

export type DependentAction =
  | { kind: 'none' }
  /** Other owners still hold it: drop only the references to gone or foreground-deleting owners. */
  | { kind: 'removeOwnerReferences'; uids: string[] }
  | { kind: 'delete'; policy: PropagationPolicy };

/**
 * What to do with an object that is not being deleted itself, given its owners' states
 * (upstream attemptToDeleteItem). `hasDependents`: some object names this one as an owner.
 */
export function dependentAction(obj: KubeObject, owners: ClassifiedOwners, hasDependents: boolean): DependentAction {
  if (obj.metadata?.deletionTimestamp) return { kind: 'none' };
  const { solid, dangling, waitingForDependentsDeletion: waiting } = owners;
  if (dangling.length === 0 && waiting.length === 0) return { kind: 'none' };
  if (solid.length > 0) return { kind: 'removeOwnerReferences', uids: [...dangling, ...waiting].map((r) => r.uid) };
  // An owner waits for its dependents in the foreground: so must this object's own dependents.
  if (waiting.length > 0 && hasDependents) return { kind: 'delete', policy: 'Foreground' };
  // No owner is left: collect it, honouring a propagation policy already requested on it.
  if (hasFinalizer(obj, FINALIZER_ORPHAN)) return { kind: 'delete', policy: 'Orphan' };
  if (hasFinalizer(obj, FINALIZER_DELETE_DEPENDENTS)) return { kind: 'delete', policy: 'Foreground' };
  return { kind: 'delete', policy: 'Background' };
}

export type OwnerAction =
  | { kind: 'none' }
  /** Orphan: remove the reference to the owner from each of these dependents, then the finalizer. */
  | { kind: 'orphan'; dependents: KubeObject[] }
  /** Foreground: these dependents still block the owner; make sure they are being deleted. */
  | { kind: 'deleteDependents'; dependents: KubeObject[] }
  | { kind: 'removeFinalizer'; finalizer: string };

/** The reference from `dependent` to `ownerUID`, if any. */
export function refTo(dependent: KubeObject, ownerUID: string): OwnerRef | undefined {
  return ownerRefsOf(dependent).find((r) => r.uid === ownerUID);
}

/**
 * What to do for an object being deleted with a propagation finalizer (upstream
 * attemptToOrphan and processDeletingDependentsItem). `dependents`: the objects naming it as an
 * owner, as currently known.
 */
export function deletingOwnerAction(owner: KubeObject, dependents: readonly KubeObject[]): OwnerAction {
  if (!owner.metadata?.deletionTimestamp) return { kind: 'none' };
  const uid = owner.metadata.uid ?? '';
  if (hasFinalizer(owner, FINALIZER_ORPHAN)) {
    const holding = dependents.filter((d) => refTo(d, uid));
    return holding.length ? { kind: 'orphan', dependents: holding } : { kind: 'removeFinalizer', finalizer: FINALIZER_ORPHAN };
  }
  if (hasFinalizer(owner, FINALIZER_DELETE_DEPENDENTS)) {
    const blocking = dependents.filter((d) => refTo(d, uid)?.blockOwnerDeletion === true);
    if (blocking.length === 0) return { kind: 'removeFinalizer', finalizer: FINALIZER_DELETE_DEPENDENTS };
    return { kind: 'deleteDependents', dependents: dependents.filter((d) => refTo(d, uid)) };
  }
  return { kind: 'none' };
}

/** Merge patch dropping the references to `uids` (guarded by the dependent's uid and resourceVersion). */
export function removeOwnerReferencesPatch(obj: KubeObject, uids: readonly string[]): object {
  const rest = ownerRefsOf(obj).filter((r) => !uids.includes(r.uid));
  return { metadata: { uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion, ownerReferences: rest.length ? rest : null } };
}

/** Merge patch dropping `finalizer` (guarded by the object's uid and resourceVersion). */
export function removeFinalizerPatch(obj: KubeObject, finalizer: string): object {
  const rest = (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
  return { metadata: { uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion, finalizers: rest.length ? rest : null } };
}
