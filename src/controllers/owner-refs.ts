// ownerReferences as the workload controllers use them (upstream metav1.GetControllerOf,
// NewControllerRef) and the patches that adopt or release a dependent (upstream
// controller_ref_manager.go). Patches carry the dependent's uid and resourceVersion, so they apply
// only to the object the controller looked at: a recreated or changed object makes them fail.
import type { KubeObject } from '../api/index.js';

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function ownerRefsOf(obj: KubeObject): OwnerRef[] {
  return ((obj.metadata as { ownerReferences?: OwnerRef[] } | undefined)?.ownerReferences) ?? [];
}

/** The ownerReference with controller: true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerRef | undefined {
  return ownerRefsOf(obj).find((r) => r.controller === true);
}

/** A controller reference to `owner` (controller and blockOwnerDeletion true, as upstream). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerRef {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Merge patch adding `ref` to `obj`'s ownerReferences (upstream AdoptPod/AdoptReplicaSet). */
export function adoptPatch(obj: KubeObject, ref: OwnerRef): object {
  return { metadata: { uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion, ownerReferences: [...ownerRefsOf(obj), ref] } };
}

/** Merge patch removing the reference to `ownerUID` (upstream ReleasePod/ReleaseReplicaSet). */
export function releasePatch(obj: KubeObject, ownerUID: string): object {
  const rest = ownerRefsOf(obj).filter((r) => r.uid !== ownerUID);
  return { metadata: { uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion, ownerReferences: rest.length ? rest : null } };
}
