// The StatefulSet controller's pure core (upstream stateful_set_control.go updateStatefulSet):
// from the set's pods and its current and update revisions, the next actions and the status.
//
// - Pods are slotted by ordinal; missing ones are created (from the current revision below the
//   partition, the update revision otherwise), failed ones deleted to be recreated.
// - OrderedReady ("monotonic") stops at the first action, and at the first pod that is not yet
//   Running, Ready and available, so ordinal i+1 starts only after i is up; Parallel goes on.
// - Pods beyond `replicas` are condemned and deleted highest ordinal first.
// - RollingUpdate then deletes the highest-ordinal pod (at or above the partition) that is not at
//   the update revision, one at a time, waiting for the pods above it to be healthy; OnDelete
//   leaves pods alone until someone deletes them.
import type { Pod, StatefulSet } from '../../api/index.js';
import { POD_REVISION_LABEL } from '../history/index.js';
import { isPodAvailable, isPodReady } from '../pod-util.js';
import { ordinalOf } from './identity.js';

export type StatefulSetAction =
  | { kind: 'create'; ordinal: number; revision: 'current' | 'update' }
  | { kind: 'delete'; pod: Pod; failed?: boolean };

export interface StatefulSetStatusCounts {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision: string;
  updateRevision: string;
}

export interface StatefulSetPlanInput {
  set: StatefulSet;
  /** The pods the set owns. */
  pods: readonly Pod[];
  currentRevision: string;
  updateRevision: string;
  now: number;
}

const isTerminating = (p: Pod) => !!p.metadata?.deletionTimestamp;
const revisionOf = (p: Pod) => p.metadata?.labels?.[POD_REVISION_LABEL] ?? '';

/** Upstream isRunningAndReady. */
export function isRunningAndReady(p: Pod): boolean {
  return p.status?.phase === 'Running' && isPodReady(p);
}

/** Upstream isHealthy with minReadySeconds (isRunningAndAvailable, not terminating). */
function isHealthy(p: Pod | undefined, minReady: number, now: number): boolean {
  return !!p && p.status?.phase === 'Running' && isPodAvailable(p, minReady, now) && !isTerminating(p);
}

/** The actions to take now and the status they lead to. */
export function planStatefulSet(input: StatefulSetPlanInput): { actions: StatefulSetAction[]; status: StatefulSetStatusCounts } {
  const { set, pods, currentRevision, updateRevision, now } = input;
  const replicaCount = set.spec?.replicas ?? 1;
  const start = set.spec?.ordinals?.start ?? 0;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const rolling = set.spec?.updateStrategy?.type !== 'OnDelete';
  const partition = rolling ? set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0 : 0;
  const status: StatefulSetStatusCounts = {
    observedGeneration: set.metadata?.generation, replicas: 0, readyReplicas: 0, availableReplicas: 0,
    currentReplicas: 0, updatedReplicas: 0, currentRevision, updateRevision,
  };
  const countRevision = (rev: string, by: number) => {
    if (rev === currentRevision) status.currentReplicas += by;
    if (rev === updateRevision) status.updatedReplicas += by;
  };
  const slots: (Pod | undefined)[] = new Array<Pod | undefined>(replicaCount).fill(undefined);
  const condemned: Pod[] = [];
  for (const p of pods) {
    status.replicas++;
    if (isRunningAndReady(p)) status.readyReplicas++;
    if (isRunningAndReady(p) && isPodAvailable(p, minReady, now)) status.availableReplicas++;
    if (!isTerminating(p)) countRevision(revisionOf(p), 1);
    const ord = ordinalOf(set, p);
    if (ord < 0) continue;
    const i = ord - start;
    if (i >= 0 && i < replicaCount) slots[i] = p;
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
  const actions: StatefulSetAction[] = [];
  const done = () => ({ actions, status: completeRollingUpdate(set, status) });
  if (set.metadata?.deletionTimestamp) return done();
  const firstUnhealthy = [...slots, ...condemned].find((p) => !isHealthy(p, minReady, now));
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';

  for (let i = 0; i < replicaCount; i++) {
    const pod = slots[i];
    if (pod && pod.status?.phase === 'Failed' && !isTerminating(pod)) {
      actions.push({ kind: 'delete', pod, failed: true });
      status.replicas--;
      countRevision(revisionOf(pod), -1);
      if (monotonic) return done();
      continue;
    }
    if (!pod) {
      const revision = rolling && i < partition ? 'current' : 'update';
      actions.push({ kind: 'create', ordinal: i + start, revision });
      status.replicas++;
      countRevision(revision === 'current' ? currentRevision : updateRevision, 1);
      if (monotonic) return done();
      continue;
    }
    if (monotonic && (isTerminating(pod) || !isHealthy(pod, minReady, now))) return done();
  }

  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return done();
      continue;
    }
    if (monotonic && !isRunningAndReady(pod) && pod !== firstUnhealthy) return done();
    actions.push({ kind: 'delete', pod });
    countRevision(revisionOf(pod), -1);
    if (monotonic) return done();
  }
  if (!rolling) return done();

  for (let i = replicaCount - 1; i >= partition; i--) {
    const pod = slots[i];
    if (!pod) return done();
    if (revisionOf(pod) !== updateRevision && !isTerminating(pod)) {
      // Not yet planned for deletion above (a failed pod would be).
      if (!actions.some((a) => a.kind === 'delete' && a.pod === pod)) {
        actions.push({ kind: 'delete', pod });
        if (revisionOf(pod) === currentRevision) status.currentReplicas--;
      }
      return done();
    }
    if (!isHealthy(pod, minReady, now)) return done();
  }
  return done();
}

/** Upstream completeRollingUpdate: once every pod is updated and ready, the update revision is current. */
function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatusCounts): StatefulSetStatusCounts {
  if (set.spec?.updateStrategy?.type !== 'OnDelete' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  return status;
}
