// A ReplicaSet's status as a function of its pods (upstream calculateStatus in
// replica_set_utils.go): counts over the active pods it owns, plus the ReplicaFailure condition
// while creating or deleting pods fails.
import type { Pod, ReplicaSet } from '../../api/index.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';

export type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;
type Condition = NonNullable<ReplicaSetStatus['conditions']>[number];

/** `manageError`: the failure of this sync's creates (`diff` < 0) or deletes, if any. */
export function calculateReplicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], now: number, manageError?: { diff: number; message: string }): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const conditions: Condition[] = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError) {
    conditions.push(failure ?? {
      type: 'ReplicaFailure', status: 'True', reason: manageError.diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: manageError.message, lastTransitionTime: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
    });
  }
  return {
    replicas: pods.length, fullyLabeledReplicas: fullyLabeled, readyReplicas: ready, availableReplicas: available,
    observedGeneration: rs.metadata?.generation,
    ...(conditions.length ? { conditions } : {}),
  };
}

/** Whether writing `next` would change `rs.status` (upstream compares field by field). */
export function replicaSetStatusChanged(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? { replicas: 0 };
  return (cur.replicas ?? 0) !== next.replicas
    || (cur.fullyLabeledReplicas ?? 0) !== (next.fullyLabeledReplicas ?? 0)
    || (cur.readyReplicas ?? 0) !== (next.readyReplicas ?? 0)
    || (cur.availableReplicas ?? 0) !== (next.availableReplicas ?? 0)
    || cur.observedGeneration !== next.observedGeneration
    || JSON.stringify(cur.conditions ?? []) !== JSON.stringify(next.conditions ?? []);
}
