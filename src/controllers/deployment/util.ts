// Deployment ↔ ReplicaSet bookkeeping (upstream deployment/util): which ReplicaSet is the new one,
// revisions, and the annotations a Deployment stamps on its ReplicaSets.
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { canonicalJSON, POD_TEMPLATE_HASH_LABEL } from './hash.js';
import { maxSurge, type RollingParams } from './rolling.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** Deployment annotations never copied to its ReplicaSets (upstream annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, 'deprecated.deployment.rollback.to',
]);

export function replicasOf(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

/** The RollingUpdate parameters, or undefined for Recreate. */
export function rollingParams(d: Deployment): RollingParams | undefined {
  if (d.spec?.strategy?.type === 'Recreate') return undefined;
  return (d.spec?.strategy?.rollingUpdate ?? {}) as RollingParams;
}

function templateWithoutHash(t: unknown): string {
  const copy = structuredClone((t ?? {}) as { metadata?: { labels?: Record<string, string> } });
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return canonicalJSON(copy);
}

/** Upstream EqualIgnoreHash: the templates are equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return templateWithoutHash(a) === templateWithoutHash(b);
}

export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(n) ? n : 0;
}

export function creationMs(o: { metadata?: { creationTimestamp?: string } }): number {
  return Date.parse(o.metadata?.creationTimestamp ?? '') || 0;
}

/** Oldest first, ties by name (upstream ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = creationMs(a) - creationMs(b);
  if (d !== 0) return d;
  const an = a.metadata?.name ?? '';
  const bn = b.metadata?.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** Upstream FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/**
 * Upstream SetNewReplicaSetAnnotations (without revision history): copies the Deployment's
 * annotations, raises the revision to `newRevision`, and for a ReplicaSet being created sets
 * desired-replicas / max-replicas. Mutates `rs`; returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const meta = (rs.metadata ??= {});
  const ann = (meta.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  if (revisionOf(rs) < newRevision) {
    ann[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
  }
  if (!exists && setReplicasAnnotations(rs, d)) changed = true;
  return changed;
}

/** Upstream SetReplicasAnnotations: desired-replicas and max-replicas. Returns whether they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, d: Deployment): boolean {
  const replicas = replicasOf(d);
  const max = replicas + maxSurge(rollingParams(d), replicas);
  const ann = ((rs.metadata ??= {}).annotations ??= {});
  const desired = String(replicas);
  const maxStr = String(max);
  if (ann[DESIRED_REPLICAS_ANNOTATION] === desired && ann[MAX_REPLICAS_ANNOTATION] === maxStr) return false;
  ann[DESIRED_REPLICAS_ANNOTATION] = desired;
  ann[MAX_REPLICAS_ANNOTATION] = maxStr;
  return true;
}

/** The max-replicas annotation, if present and numeric. */
export function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const v = rs.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Upstream isScalingEvent's test: an active ReplicaSet was sized for another replica count. */
export function desiredReplicasDiffer(rs: ReplicaSet, d: Deployment): boolean {
  const v = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return v !== undefined && Number(v) !== replicasOf(d);
}
