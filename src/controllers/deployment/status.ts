// A Deployment's status from its ReplicaSets (upstream calculateStatus, syncRolloutStatus and
// the condition helpers in deployment/util). Pure: `now` is passed in.
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { maxUnavailable } from './rolling.js';
import { replicasOf, rollingParams } from './util.js';

export type DeploymentStatus = NonNullable<Deployment['status']>;
export type DeploymentCondition = NonNullable<DeploymentStatus['conditions']>[number];

export const REASONS = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

export function timestamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: number): DeploymentCondition {
  const t = timestamp(now);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type) as DeploymentCondition | undefined;
}

/**
 * Upstream SetDeploymentCondition: no change when status and reason are the same; a condition
 * keeping its status keeps its lastTransitionTime.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, String(cond.type));
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  if (cur && cur.status === cond.status) cond = { ...cond, lastTransitionTime: cur.lastTransitionTime };
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
}

const sum = (rss: readonly ReplicaSet[], f: (rs: ReplicaSet) => number | undefined) => rss.reduce((n, rs) => n + (f(rs) ?? 0), 0);

/** Upstream calculateStatus: counts over all ReplicaSets, and the Available condition. */
export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const available = sum(allRSs, (rs) => rs.status?.availableReplicas);
  const total = sum(allRSs, (rs) => rs.spec?.replicas ?? 0);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sum(allRSs, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(allRSs, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  const replicas = replicasOf(d);
  if (available >= replicas - maxUnavailable(rollingParams(d), replicas)) {
    setCondition(status, newCondition('Available', 'True', REASONS.minimumAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', REASONS.minimumUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Upstream DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Upstream DeploymentProgressing: more updated, fewer old, more ready or more available pods. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** Upstream DeploymentTimedOut. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  const c = getCondition(s, 'Progressing');
  if (!c || d.spec?.progressDeadlineSeconds === undefined) return false;
  if (c.reason === REASONS.newRSAvailable) return false;
  if (c.reason === REASONS.timedOut) return true;
  const from = Date.parse(String(c.lastUpdateTime ?? '')) || 0;
  return from + d.spec.progressDeadlineSeconds * 1000 < now;
}

/**
 * Upstream syncRolloutStatus's condition logic: the status to write, with Progressing set from
 * whether the rollout completed, progressed or timed out.
 */
export function rolloutStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const s = calculateStatus(d, allRSs, newRS, now);
  const hasDeadline = d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;
  if (!hasDeadline) {
    removeCondition(s, 'Progressing');
    return s;
  }
  const cur = getCondition(d.status, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === REASONS.newRSAvailable;
  if (complete) return s;
  const what = newRS ? `ReplicaSet "${newRS.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
  if (deploymentComplete(d, s)) {
    setCondition(s, newCondition('Progressing', 'True', REASONS.newRSAvailable, `${what} has successfully progressed.`, now));
  } else if (deploymentProgressing(d, s)) {
    const c = newCondition('Progressing', 'True', REASONS.rsUpdated, `${what} is progressing.`, now);
    if (cur?.status === 'True') {
      c.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(s, 'Progressing');
    }
    setCondition(s, c);
  } else if (deploymentTimedOut(d, s, now)) {
    setCondition(s, newCondition('Progressing', 'False', REASONS.timedOut, `${what} has timed out progressing.`, now));
  }
  return s;
}

/** Whether writing `next` changes the Deployment's status. */
export function statusChanged(d: Deployment, next: DeploymentStatus): boolean {
  return JSON.stringify(normalize(d.status ?? {})) !== JSON.stringify(normalize(next));
}

function normalize(s: DeploymentStatus): object {
  return {
    g: s.observedGeneration, r: s.replicas ?? 0, u: s.updatedReplicas ?? 0, rd: s.readyReplicas ?? 0, a: s.availableReplicas ?? 0,
    un: s.unavailableReplicas ?? 0, cc: s.collisionCount, c: (s.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime]).sort(),
  };
}
