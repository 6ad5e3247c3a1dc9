// persistentVolumeClaimRetentionPolicy (upstream updateClaimOwnerRefForSetAndPod, KEP-1847): the
// claims of a StatefulSet are kept by default; with whenDeleted=Delete the set owns them (the
// garbage collector removes them with the set), with whenScaled=Delete the pod of a condemned
// ordinal (at or above replicas) owns them (they go with the pod). The owner references are set
// BEFORE a condemned pod is deleted. Pure: returns the claim's new ownerReferences, or undefined
// when nothing changes.
import type { KubeObject, Pod, StatefulSet } from '../../api/index.js';
import { ownerRefsOf, type OwnerRef } from '../owner-refs.js';

export function claimOwnerRefs(set: StatefulSet, claim: KubeObject, pod: Pod, condemned: boolean): OwnerRef[] | undefined {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const deleteWithSet = policy.whenDeleted === 'Delete';
  const deleteWhenScaled = policy.whenScaled === 'Delete';
  const setUID = set.metadata?.uid ?? '';
  const podUID = pod.metadata?.uid ?? '';
  // Both Delete: a condemned pod's claims follow the pod rather than the set (upstream).
  const wantSet = deleteWithSet && !(deleteWhenScaled && condemned);
  const wantPod = deleteWhenScaled && condemned;
  const current = ownerRefsOf(claim);
  let refs = current.filter((r) => (r.uid !== setUID || wantSet) && (r.uid !== podUID || wantPod));
  if (wantSet && !refs.some((r) => r.uid === setUID)) refs = [...refs, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata?.name ?? '', uid: setUID }];
  if (wantPod && !refs.some((r) => r.uid === podUID)) refs = [...refs, { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: podUID }];
  const same = refs.length === current.length && refs.every((r, i) => r.uid === current[i]?.uid);
  return same ? undefined : refs;
}
