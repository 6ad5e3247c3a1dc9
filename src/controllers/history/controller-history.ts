// The write side of controller history (upstream history.Interface and getStatefulSetRevisions /
// DaemonSet constructHistory): makes sure a revision for the owner's current template exists and
// is the newest, reusing an equal older one (a rollback raises its revision number) and creating
// one otherwise. A name clash with different data raises collisionCount and retries, as upstream
// CreateControllerRevision; the caller persists the returned collisionCount in status.
import { isStatusError, type ControllerRevision, type KubeObject } from '../../api/index.js';
import type { ResourceClient } from '../../client/index.js';
import { equalRevision, newControllerRevision, nextRevision, sortRevisions, type RevisionOwner } from './revision.js';

export interface EnsuredRevision {
  revision: ControllerRevision;
  collisionCount: number;
}

/** Upstream's bound on collision retries is unbounded; ours stops after a generous number. */
const MAX_COLLISIONS = 20;

/** The revision for `owner`'s template among `owned` (the owner's revisions), created or raised as needed. */
export async function ensureUpdateRevision(revClient: ResourceClient, owner: RevisionOwner, owned: readonly ControllerRevision[]): Promise<EnsuredRevision> {
  const sorted = sortRevisions(owned);
  let collisionCount = owner.collisionCount ?? 0;
  const wanted = newControllerRevision({ ...owner, collisionCount }, nextRevision(sorted));
  const equal = sorted.filter((r) => equalRevision(r, wanted));
  const latest = sorted[sorted.length - 1];
  const ns = owner.obj.metadata?.namespace ?? '';
  if (equal.length > 0) {
    const found = equal[equal.length - 1]!;
    if (found === latest) return { revision: found, collisionCount };
    // Rolling back to an older template: it becomes the newest revision again.
    const raised = await revClient.update(ns, { ...found, apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: wanted.revision } as KubeObject);
    return { revision: raised as ControllerRevision, collisionCount };
  }
  for (let attempt = 0; ; attempt++) {
    const candidate = attempt === 0 ? wanted : newControllerRevision({ ...owner, collisionCount }, wanted.revision ?? 1);
    try {
      return { revision: await revClient.create(ns, candidate as KubeObject) as ControllerRevision, collisionCount };
    } catch (e) {
      if (!isStatusError(e, 'AlreadyExists') || attempt >= MAX_COLLISIONS) throw e;
      const existing = await revClient.get(ns, candidate.metadata?.name ?? '') as ControllerRevision;
      if (equalRevision(existing, candidate)) return { revision: existing, collisionCount };
      collisionCount++;
    }
  }
}
