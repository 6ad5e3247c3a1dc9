// Upstream ControllerRefManager.ClaimObject (controller_ref_manager.go): a controller owns the
// objects whose controller ownerReference names it. Among candidates it
// - keeps the ones it owns whose labels still match its selector;
// - releases the ones it owns that no longer match (unless it is being deleted);
// - adopts orphans that match (unless it or they are being deleted), after re-reading itself from
//   the API to be sure it still exists with the same uid (upstream RecheckDeletionTimestamp).
// Writes are merge patches guarded by the dependent's uid and resourceVersion (owner-refs.ts).
import { isStatusError, matchesLabels, type KubeObject, type ParsedLabelSelector } from '../api/index.js';
import type { ResourceClient } from '../client/index.js';
import { adoptPatch, controllerRefOf, newControllerRef, releasePatch } from './owner-refs.js';

export interface ClaimOptions {
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: ParsedLabelSelector;
  /** Where the dependents live (pods, replicasets). */
  dependents: ResourceClient;
  /** Reads the owner fresh from the API (a GET, not the cache). */
  getOwnerFresh(): Promise<KubeObject>;
}

/** The candidates `owner` controls after adoption and release, and the first failure if any. */
export async function claimObjects<T extends KubeObject>(opts: ClaimOptions, candidates: readonly T[]): Promise<{ claimed: T[]; error?: unknown }> {
  const ownerUID = opts.owner.metadata?.uid;
  const ownerDeleting = !!opts.owner.metadata?.deletionTimestamp;
  const claimed: T[] = [];
  let error: unknown;
  let canAdopt: Promise<void> | undefined;
  const recheck = () => (canAdopt ??= opts.getOwnerFresh().then((fresh) => {
    if (fresh.metadata?.uid !== ownerUID) throw new Error(`original ${opts.ownerKind} ${opts.owner.metadata?.namespace}/${opts.owner.metadata?.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${ownerUID}`);
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${opts.ownerKind} ${opts.owner.metadata?.namespace}/${opts.owner.metadata?.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }));
  const ns = opts.owner.metadata?.namespace ?? '';
  for (const obj of candidates) {
    const matches = matchesLabels(opts.selector, obj.metadata?.labels);
    const ref = controllerRefOf(obj);
    try {
      if (ref) {
        if (ref.uid !== ownerUID) continue;
        if (matches) {
          claimed.push(obj);
          continue;
        }
        if (ownerDeleting) continue;
        await recheck();
        await opts.dependents.patch(ns, obj.metadata?.name ?? '', 'merge', releasePatch(obj, ownerUID ?? ''));
        continue;
      }
      if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp || obj.metadata?.namespace !== ns) continue;
      await recheck();
      const adopted = await opts.dependents.patch(ns, obj.metadata?.name ?? '', 'merge',
        adoptPatch(obj, newControllerRef(opts.owner, opts.ownerApiVersion, opts.ownerKind)));
      claimed.push(adopted as T);
    } catch (e) {
      if (isStatusError(e, 'NotFound')) continue;
      error ??= e;
    }
  }
  return { claimed, error };
}
